import fs from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { ServerBuild } from "react-router";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countyReviewSchema, roundSchema, scoreSchema } from "#src/modules/evaluation/evaluation.schema.ts";
import { advanceRound, createRound, setRoundEvaluator } from "#src/modules/evaluation/evaluation.server.ts";
import { reviewEntry } from "#src/modules/evaluation/evaluation-entries.server.ts";
import {
  calculateResults,
  publishResults,
  saveScore,
} from "#src/modules/evaluation/evaluation-scoring.server.ts";
import { createSession } from "#src/platform/auth/session.server.ts";
import { fixedClock } from "#src/platform/clock.ts";
import { extractPdfText } from "#src/platform/pdf/extract-pdf-text.ts";
import { createApp } from "#src/server/app.server.ts";
import { actorOf, createLinkedBase, createUserRecord, type MadeUser } from "../support/factories.ts";
import { createTestContext, type TestContext } from "../support/test-db.ts";

// The 自评 autosave and the 评价报告 PDF through the real server build: run `npm run build` first.
const buildPath = path.resolve("build/server/index.js");
if (!fs.existsSync(buildPath)) throw new Error("build/server/index.js is missing: run `npm run build` first");

const clock = fixedClock("2026-02-10T10:00:00+08:00");
let t: TestContext;
let server: Server;
let base: string;
let roundId: string;
const u = {} as Record<
  "office" | "city" | "longyou" | "jiangshan" | "orgA" | "orgB" | "ev1" | "ev2",
  MadeUser
>;
const entry = { A: "", B: "" };
const cookies = new Map<MadeUser, string>();

async function cookieFor(user: MadeUser) {
  // A full session straight away: staff who must use a second factor are not what is tested here.
  const token =
    cookies.get(user) ?? (await createSession(t.ctx, user.id, { ip: "127.0.0.1", userAgent: "test" }));
  cookies.set(user, token);
  return `kepu_session=${token}`;
}

const roundRow = () =>
  t.ctx.db.selectFrom("evaluation_rounds").selectAll().where("id", "=", roundId).executeTakeFirstOrThrow();
const entryRow = (id: string) =>
  t.ctx.db.selectFrom("evaluation_entries").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

beforeAll(async () => {
  t = await createTestContext({ clock });
  u.office = await createUserRecord(t.ctx, { role: "office" });
  u.city = await createUserRecord(t.ctx, { role: "city" });
  u.longyou = await createUserRecord(t.ctx, { role: "county", regionCode: "330825" });
  u.jiangshan = await createUserRecord(t.ctx, { role: "county", regionCode: "330881" });
  u.orgA = await createUserRecord(t.ctx, { role: "org", regionCode: "330825" });
  u.orgB = await createUserRecord(t.ctx, { role: "org", regionCode: "330881" });
  u.ev1 = await createUserRecord(t.ctx, { role: "evaluator" });
  u.ev2 = await createUserRecord(t.ctx, { role: "evaluator" });
  const baseA = await createLinkedBase(t.ctx, u.orgA, "330825", "龙游县报告测试馆", {
    recognized_year: 2020,
  });
  const baseB = await createLinkedBase(t.ctx, u.orgB, "330881", "江山市报告测试馆", {
    recognized_year: 2020,
  });
  roundId = await createRound(
    t.ctx,
    actorOf(u.office),
    roundSchema.parse({
      year: "2025",
      title: "2025年度科普教育基地绩效评价",
      selfDeadline: "2026-03-31",
      scoringDeadline: "2026-04-30",
      excellent: "80",
      good: "60",
      pass: "10",
    }),
  );
  for (const [ev, county] of [
    [u.ev1, "330825"],
    [u.ev2, "330881"],
  ] as const)
    await setRoundEvaluator(t.ctx, actorOf(u.office), roundId, {
      userId: ev.id,
      scopeKind: "county",
      scopeValues: [county],
      unitUscc: "",
      unitName: "",
    });
  await advanceRound(t.ctx, actorOf(u.office), roundId, "open", (await roundRow()).version);
  const rows = await t.ctx.db
    .selectFrom("evaluation_entries")
    .select(["id", "base_id"])
    .where("round_id", "=", roundId)
    .execute();
  entry.A = rows.find((r) => r.base_id === baseA)!.id;
  entry.B = rows.find((r) => r.base_id === baseB)!.id;
  const build = (await import(buildPath)) as ServerBuild;
  server = createApp({ ctx: t.ctx, build, demo: () => false }).listen(0);
  await new Promise((r) => server.once("listening", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);
afterAll(async () => {
  server?.close();
  await t?.close();
});

async function post(user: MadeUser | null, url: string, fields: Record<string, string>) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  return fetch(`${base}${url}`, {
    method: "POST",
    body: fd,
    redirect: "manual",
    headers: { cookie: user ? await cookieFor(user) : "", origin: base, accept: "application/json" },
  });
}

const MANUAL = ["institutions", "funding", "facilities", "innovation"];
const selfForm = (text: string, score: string, version: number) => ({
  ...Object.fromEntries(
    MANUAL.flatMap((k) => [
      [`score.${k}`, score],
      [`text.${k}`, `${text}（${k}）`],
    ]),
  ),
  version: String(version),
});
const autosave = (user: MadeUser, id: string, fields: Record<string, string>) =>
  post(user, `/my-base/evaluation/${id}/autosave`, fields);

describe("POST /my-base/evaluation/:id/autosave", () => {
  it("saves the base's draft and answers with the new version", async () => {
    const before = await entryRow(entry.A);
    const res = await autosave(u.orgA, entry.A, selfForm("制度齐全", "", before.version));
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toContain("no-store");
    const body = await res.json();
    expect(body).toMatchObject({ ok: true, version: before.version + 1 });
    expect(body.savedAt).toMatch(/^2026-02-10 10:00/);
    const after = await entryRow(entry.A);
    expect(after.status).toBe("pending");
    expect(JSON.parse(after.self_scores).institutions).toEqual({
      score: null,
      text: "制度齐全（institutions）",
    });
  });

  it("refuses a score out of range, and a stale version as a conflict", async () => {
    const v = (await entryRow(entry.A)).version;
    const bad = await autosave(u.orgA, entry.A, { ...selfForm("x", "", v), "score.innovation": "99" });
    expect(bad.status).toBe(422);
    expect((await bad.json()).message).toMatch(/[\u4e00-\u9fa5]/);
    const stale = await autosave(u.orgA, entry.A, selfForm("别处的草稿", "", v - 1));
    expect(stale.status).toBe(409);
    expect((await stale.json()).message).toContain("刚刚已被修改");
    const row = await entryRow(entry.A);
    expect(row.version).toBe(v);
    expect(row.self_scores).not.toContain("别处的草稿");
  });

  it("another base, staff and the signed-out cannot save it", async () => {
    const v = (await entryRow(entry.A)).version;
    expect((await autosave(u.orgB, entry.A, selfForm("冒名", "", v))).status).toBe(404);
    expect((await autosave(u.longyou, entry.A, selfForm("冒名", "", v))).status).toBe(403);
    expect(
      (await post(null, `/my-base/evaluation/${entry.A}/autosave`, selfForm("冒名", "", v))).status,
    ).toBe(302);
    expect((await entryRow(entry.A)).version).toBe(v);
  });

  it("a submitted self-assessment can no longer be autosaved", async () => {
    const v = (await entryRow(entry.A)).version;
    const submitted = await post(u.orgA, "/my-base/evaluation", {
      ...selfForm("材料齐全", "4", v),
      entryId: entry.A,
      intent: "submit",
    });
    expect(submitted.status).toBeLessThan(400);
    const row = await entryRow(entry.A);
    expect(row.status).toBe("submitted");
    const res = await autosave(u.orgA, entry.A, selfForm("提交后再改", "1", row.version));
    expect(res.status).toBe(409);
    expect((await entryRow(entry.A)).version).toBe(row.version);
  });
});

async function fetchReport(user: MadeUser | null, id: string) {
  return fetch(`${base}/evaluation/entries/${id}/report.pdf`, {
    redirect: "manual",
    headers: { cookie: user ? await cookieFor(user) : "" },
  });
}
async function reportText(user: MadeUser, id: string) {
  const res = await fetchReport(user, id);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/pdf");
  const pdf = Buffer.from(await res.arrayBuffer());
  expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
  const pages = extractPdfText(pdf);
  expect(pages.every((p) => p.notdefCount === 0)).toBe(true);
  return pages
    .map((p) => p.text)
    .join("")
    .replace(/\s+/g, "");
}

describe("GET /evaluation/entries/:id/report.pdf", () => {
  it("during the evaluation: staff in scope and the assigned evaluator, never another county or the base", async () => {
    for (const who of [u.office, u.city, u.longyou, u.ev1])
      expect({ who: who.role, status: (await fetchReport(who, entry.A)).status }).toEqual({
        who: who.role,
        status: 200,
      });
    // Out of scope is a 404, the same as a missing entry.
    for (const who of [u.jiangshan, u.ev2, u.orgB, u.orgA])
      expect({ who: who.login, status: (await fetchReport(who, entry.A)).status }).toEqual({
        who: who.login,
        status: 404,
      });
    expect((await fetchReport(u.office, "0190-missing")).status).toBe(404);
    expect((await fetchReport(null, entry.A)).status).toBe(302);
    const text = await reportText(u.longyou, entry.A);
    expect(text).toContain("科普教育基地年度评价报告");
    expect(text).toContain((await entryRow(entry.A)).base_name);
    expect(text).toContain("龙游县");
    expect(text).toContain("未公示");
    // Each report printed is on record, with who printed it; a refused one is not a print.
    const printed = await t.ctx.db
      .selectFrom("audit_events")
      .select("actor_id")
      .where("action", "=", "evaluation.report_pdf")
      .where("target_id", "=", entry.A)
      .execute();
    expect(printed.map((a) => a.actor_id).sort()).toEqual(
      [u.office.id, u.city.id, u.longyou.id, u.ev1.id, u.longyou.id].sort(),
    );
  });

  it("once published: the base fetches its own report with the total, grade and 公示 status", async () => {
    const r = await roundRow();
    await advanceRound(t.ctx, actorOf(u.office), roundId, "start_review", r.version);
    const a = await entryRow(entry.A);
    await reviewEntry(
      t.ctx,
      actorOf(u.longyou),
      entry.A,
      countyReviewSchema.parse({ decision: "pass", opinion: "材料齐全，同意推荐", version: a.version }),
    );
    await advanceRound(t.ctx, actorOf(u.office), roundId, "start_scoring", (await roundRow()).version);
    const scores = (v: string) =>
      scoreSchema.parse({
        scores: Object.fromEntries(MANUAL.map((k) => [k, v])),
        submit: "1",
        version: "0",
      });
    await saveScore(t.ctx, actorOf(u.ev1), entry.A, scores("4"));
    await saveScore(t.ctx, actorOf(u.ev2), entry.B, scores("2"));
    await calculateResults(t.ctx, actorOf(u.office), roundId);
    await publishResults(t.ctx, actorOf(u.office), roundId, {
      startDate: "2026-02-10",
      workingDays: 5,
      contact: "0570-1234567",
      version: (await roundRow()).version,
    });
    const done = await entryRow(entry.A);
    expect(done.final_score).not.toBeNull();
    const text = await reportText(u.orgA, entry.A);
    expect(text).toContain(done.base_name);
    expect(text).toContain(`总分${done.final_score}`);
    expect(text).toContain("材料齐全，同意推荐");
    expect(text).toContain("结果公示中");
    // The evaluators' mean of each manual indicator: 4.
    expect(text).toContain("制度建设744");
    // The other base still sees only its own.
    expect((await fetchReport(u.orgB, entry.A)).status).toBe(404);
    expect((await fetchReport(u.orgB, entry.B)).status).toBe(200);
    expect((await fetchReport(u.jiangshan, entry.A)).status).toBe(404);
  });
});
