import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "#src/platform/clock.ts";
import { newId } from "#src/platform/ids.ts";
import {
  attachRequiredFiles,
  createEighthBatchCall,
  validApplicationForm,
} from "../../../tests/support/application-fixtures.ts";
import { actorOf, createUserRecord, type MadeUser } from "../../../tests/support/factories.ts";
import { createTestContext, type TestContext } from "../../../tests/support/test-db.ts";
import { insertBase } from "../bases/bases-directory.fixtures.ts";
import { callFormSchema, callFormValues } from "../calls/calls.schema.ts";
import { createCall, getCall } from "../calls/calls.server.ts";
import { draftFromForm } from "./applications.schema.ts";
import {
  getApplication,
  listReviewQueue,
  reviewApplication,
  saveDraft,
  startApplication,
  submitApplication,
  withdrawApplication,
} from "./applications.server.ts";

const clock = fixedClock("2023-02-20T10:00:00+08:00");
let t: TestContext;
let callId: string;
let county: MadeUser;

beforeAll(async () => {
  t = await createTestContext({ clock });
  callId = await createEighthBatchCall(t.ctx);
  county = await createUserRecord(t.ctx, { role: "county", regionCode: "330825" });
});
afterAll(async () => t?.close());

async function readyDraft(regionCode = "330825", call = callId) {
  const org = await createUserRecord(t.ctx, { role: "org", regionCode });
  const id = await startApplication(t.ctx, actorOf(org), call);
  const { version } = await saveDraft(
    t.ctx,
    actorOf(org),
    id,
    draftFromForm({ ...validApplicationForm(), regionCode }),
    1,
  );
  await attachRequiredFiles(t.ctx, id, regionCode);
  return { org, id, version };
}

const numberOf = async (id: string) =>
  (
    await t.ctx.db
      .selectFrom("applications")
      .select("application_no")
      .where("id", "=", id)
      .executeTakeFirstOrThrow()
  ).application_no;

describe("application numbers", () => {
  it("are given at the first 【提交】 per county, kept through return and resubmission, never reused", async () => {
    const a = await readyDraft("330825");
    expect(await numberOf(a.id)).toBeNull();
    await submitApplication(t.ctx, actorOf(a.org), a.id, a.version);
    expect(await numberOf(a.id)).toBe("2023-第八批-龙游-001");

    const b = await readyDraft("330825");
    await submitApplication(t.ctx, actorOf(b.org), b.id, b.version);
    expect(await numberOf(b.id)).toBe("2023-第八批-龙游-002");

    const k = await readyDraft("330802");
    await submitApplication(t.ctx, actorOf(k.org), k.id, k.version);
    expect(await numberOf(k.id)).toBe("2023-第八批-柯城-001");

    // Returned and resubmitted: the same number.
    const { app } = await getApplication(t.ctx, actorOf(county), a.id);
    await reviewApplication(t.ctx, actorOf(county), a.id, {
      action: "return",
      opinion: "请补充照片",
      internalNote: "",
      opinionDate: "",
      returnDeadline: "2023-03-10",
      score: "",
      version: app.version,
    });
    const returned = (await getApplication(t.ctx, actorOf(a.org), a.id)).app;
    await submitApplication(t.ctx, actorOf(a.org), a.id, returned.version);
    expect(await numberOf(a.id)).toBe("2023-第八批-龙游-001");

    // Withdrawn: the number stays with it, and the next one does not take it again.
    const bv = (await getApplication(t.ctx, actorOf(b.org), b.id)).app.version;
    await withdrawApplication(t.ctx, actorOf(b.org), b.id, bv);
    expect(await numberOf(b.id)).toBe("2023-第八批-龙游-002");
    const c = await readyDraft("330825");
    await submitApplication(t.ctx, actorOf(c.org), c.id, c.version);
    expect(await numberOf(c.id)).toBe("2023-第八批-龙游-003");
  });

  it("is shown to reviewers in their queue (and found by it) and in the notifications", async () => {
    const rows = (await listReviewQueue(t.ctx, actorOf(county), { q: "第八批-龙游-001" })).rows;
    expect(rows.map((r) => r.application_no)).toEqual(["2023-第八批-龙游-001"]);
    const notes = await t.ctx.db
      .selectFrom("notifications")
      .select(["user_id", "body"])
      .where("body", "like", "%（2023-第八批-龙游-001）%")
      .execute();
    // The county was told of the submission, the applicant of the return.
    expect(notes.some((n) => n.user_id === county.id)).toBe(true);
    expect(
      notes.some((n) => n.body.startsWith("您的申报“龙游县科技馆科普教育基地”（2023-第八批-龙游-001）")),
    ).toBe(true);
  });

  it("never hands one number to two submissions at once", async () => {
    const drafts = await Promise.all(Array.from({ length: 12 }, () => readyDraft("330822")));
    await Promise.all(drafts.map((d) => submitApplication(t.ctx, actorOf(d.org), d.id, d.version)));
    const numbers = await Promise.all(drafts.map((d) => numberOf(d.id)));
    expect(new Set(numbers).size).toBe(12);
    expect([...numbers].sort()).toEqual(
      Array.from({ length: 12 }, (_, i) => `2023-第八批-常山-${String(i + 1).padStart(3, "0")}`),
    );
    const counter = await t.ctx.db
      .selectFrom("application_no_counters")
      .select("last_seq")
      .where("prefix", "=", "2023-第八批-常山")
      .executeTakeFirstOrThrow();
    expect(Number(counter.last_seq)).toBe(12);
  });

  it("continues one sequence across two calls of the same year and batch", async () => {
    const second = await createEighthBatchCall(t.ctx);
    const d = await readyDraft("330824", second);
    const e = await readyDraft("330824");
    await submitApplication(t.ctx, actorOf(d.org), d.id, d.version);
    await submitApplication(t.ctx, actorOf(e.org), e.id, e.version);
    expect([await numberOf(d.id), await numberOf(e.id)]).toEqual([
      "2023-第八批-开化-001",
      "2023-第八批-开化-002",
    ]);
  });

  it("refuses a duplicate number at the database", async () => {
    const d = await readyDraft("330881");
    await submitApplication(t.ctx, actorOf(d.org), d.id, d.version);
    const other = await readyDraft("330881");
    await expect(
      t.ctx.db
        .updateTable("applications")
        .set({ application_no: await numberOf(d.id) })
        .where("id", "=", other.id)
        .execute(),
    ).rejects.toThrow(/unique|duplicate/i);
  });
});

describe("names are stored trimmed (issue 15.4)", () => {
  it("trims base, unit and call names typed with full-width spaces or pasted invisible characters", async () => {
    const org = await createUserRecord(t.ctx, { role: "org", regionCode: "330825" });
    const id = await startApplication(t.ctx, actorOf(org), callId);
    await saveDraft(
      t.ctx,
      actorOf(org),
      id,
      draftFromForm({
        ...validApplicationForm(),
        baseName: "\u200b 龙游某某科普教育基地\u3000",
        unitName: "\ufeff龙游某某单位 ",
        address: " 龙游县某路1号 ",
      }),
      1,
    );
    const row = await t.ctx.db
      .selectFrom("applications")
      .select(["base_name", "unit_name", "address"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      base_name: "龙游某某科普教育基地",
      unit_name: "龙游某某单位",
      address: "龙游县某路1号",
    });

    const office = await createUserRecord(t.ctx, { role: "office" });
    const counties = ["330802", "330803", "330825", "330822", "330881", "330824"];
    const fd = new FormData();
    for (const [k, v] of Object.entries({
      kind: " 科普教育基地项目认定 ",
      title: "\u3000第九批衢州市科普教育基地创建\u200b",
      level: "city",
      regionCode: "330800",
      opensAt: "2024-01-10T00:00",
      closesAt: "2024-02-29",
      categoryCodes: "science_venue",
      notice: " 通知 ",
      issuers: " 衢州市科学技术协会\u3000\n",
    }))
      fd.append(k, v);
    const input = callFormSchema(counties).parse(callFormValues(fd, counties));
    const call = await getCall(t.ctx, await createCall(t.ctx, actorOf(office), input));
    expect([call.kind, call.title, call.issuers]).toEqual([
      "科普教育基地项目认定",
      "第九批衢州市科普教育基地创建",
      JSON.stringify(["衢州市科学技术协会"]),
    ]);
  });
});

describe("0020-application-numbers", () => {
  it("numbers the applications submitted before it in the order they were submitted, and continues", async () => {
    const old = await createTestContext({ clock, migratedTo: "0018-holidays" });
    try {
      const call = await createEighthBatchCall(old.ctx);
      const insert = async (regionCode: string, submittedAt: string | null, status: string) => {
        const org = await createUserRecord(old.ctx, { role: "org", regionCode });
        const id = newId();
        // biome-ignore lint/suspicious/noExplicitAny: the table as it was before 0020
        await (old.ctx.db as any)
          .insertInto("applications")
          .values({
            id,
            call_id: call,
            org_id: org.id,
            region_code: regionCode,
            category_code: null,
            status,
            returned_from: null,
            return_deadline: null,
            base_name: " 某科普教育基地 ",
            unit_name: "\u3000某单位",
            address: "",
            leader_name: "",
            leader_phone: "",
            contact_name: "",
            contact_phone: "",
            booking_phone: "",
            volunteer_team_name: "",
            volunteer_count: null,
            volunteer_leader: "",
            volunteer_leader_phone: "",
            opening_form: null,
            area_sqm: null,
            open_days: null,
            intro: "",
            honors: "",
            conditions: "[]",
            city_score: null,
            submitted_at: submittedAt,
            created_at: "2023-01-15T00:00:00.000Z",
            updated_at: "2023-01-15T00:00:00.000Z",
          })
          .execute();
        return id;
      };
      const later = await insert("330825", "2023-02-03T01:00:00.000Z", "city_review");
      const draft = await insert("330825", null, "draft");
      const first = await insert("330825", "2023-02-01T01:00:00.000Z", "county_review");
      const jiangshan = await insert("330881", "2023-02-02T01:00:00.000Z", "recognized");
      const withdrawn = await insert("330825", "2023-02-02T02:00:00.000Z", "withdrawn");

      const baseId = await insertBase(old.ctx, { name: " 某某科普教育基地 ", unit_name: "某某单位\u200b " });
      await old.ctx.db.updateTable("calls").set({ title: " 第八批衢州市科普教育基地创建\t" }).execute();

      const { migrateToLatest } = await import("#src/platform/db/database.ts");
      expect(await migrateToLatest(old.handle)).toContain("0020-application-numbers");
      const rows = await old.ctx.db.selectFrom("applications").select(["id", "application_no"]).execute();
      const no = Object.fromEntries(rows.map((r) => [r.id, r.application_no]));
      expect(no[first]).toBe("2023-第八批-龙游-001");
      expect(no[withdrawn]).toBe("2023-第八批-龙游-002");
      expect(no[later]).toBe("2023-第八批-龙游-003");
      expect(no[jiangshan]).toBe("2023-第八批-江山-001");
      expect(no[draft]).toBeNull();

      // Names stored with spaces before every form trimmed them are trimmed (issue 15.4).
      const names = await old.ctx.db.selectFrom("applications").select(["base_name", "unit_name"]).execute();
      expect(new Set(names.map((n) => `${n.base_name}|${n.unit_name}`))).toEqual(
        new Set(["某科普教育基地|某单位"]),
      );
      expect(
        await old.ctx.db
          .selectFrom("bases")
          .select(["name", "unit_name", "search_text"])
          .where("id", "=", baseId)
          .executeTakeFirstOrThrow(),
      ).toEqual({
        name: "某某科普教育基地",
        unit_name: "某某单位",
        search_text: "某某科普教育基地 某某单位 衢州市龙游县龙洲街道测试路1号",
      });
      expect((await old.ctx.db.selectFrom("calls").select("title").executeTakeFirstOrThrow()).title).toBe(
        "第八批衢州市科普教育基地创建",
      );

      // The next submission continues after the backfilled numbers.
      const org = await createUserRecord(old.ctx, { role: "org", regionCode: "330825" });
      const id = await startApplication(old.ctx, actorOf(org), call);
      const { version } = await saveDraft(
        old.ctx,
        actorOf(org),
        id,
        draftFromForm(validApplicationForm()),
        1,
      );
      await attachRequiredFiles(old.ctx, id);
      await submitApplication(old.ctx, actorOf(org), id, version);
      const next = await old.ctx.db
        .selectFrom("applications")
        .select("application_no")
        .where("id", "=", id)
        .executeTakeFirstOrThrow();
      expect(next.application_no).toBe("2023-第八批-龙游-004");
    } finally {
      await old.close();
    }
  });
});
