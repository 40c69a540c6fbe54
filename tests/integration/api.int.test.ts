import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Validator } from "@seriousme/openapi-schema-validator";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { announcementSchema } from "#src/modules/activities/activities.schema.ts";
import { announceActivity } from "#src/modules/activities/activities.server.ts";
import { issueTokenSchema } from "#src/modules/api/api-tokens.schema.ts";
import { issueApiToken, revokeApiToken } from "#src/modules/api/api-tokens.server.ts";
import { insertBase } from "#src/modules/bases/bases-directory.fixtures.ts";
import { bumpGeneration } from "#src/platform/cache/generations.server.ts";
import { fixedClock } from "#src/platform/clock.ts";
import { newId } from "#src/platform/ids.ts";
import { createApp } from "#src/server/app.server.ts";
import { actorOf, createUserRecord, linkBase, type MadeUser } from "../support/factories.ts";
import { fullMobileIn } from "../support/personal-data.ts";
import { createTestContext, type TestContext } from "../support/test-db.ts";

// The API never reaches React Router: the app is built without the page build, so this test needs no
// `npm run build`. Any request that fell through to the pages would fail loudly.
const noPages = () => Promise.reject(new Error("this test serves no pages"));

const clock = fixedClock("2026-05-10T10:00:00+08:00");
let t: TestContext;
let server: Server;
let origin: string;
let admin: MadeUser;
let longyouOrg: MadeUser;
let longyouBase: string;
let jiangshanBase: string;
let longyouActivity: string;
let jiangshanActivity: string;
let pastActivity: string;
const FULL_PHONES = ["13812345678", "13987654321", "13905701234", "13700001111"];

const validAnnouncement = {
  name: "天文科普讲座",
  type: "lecture",
  form: "offline",
  startsAt: "2026-05-20 09:00",
  endsAt: "2026-05-20 11:00",
  place: "报告厅",
  audience: "中小学生",
  expectedParticipants: 100,
  fee: "free",
  direction: "in",
  contactName: "林老师",
  contactPhone: "13905701234",
  description: "介绍太阳系。",
};

async function token(over: Record<string, string>): Promise<{ id: string; token: string }> {
  const input = issueTokenSchema.parse({
    name: "省平台",
    scopes: "read:bases",
    expiresOn: "2026-12-31",
    ...over,
  });
  return issueApiToken(t.ctx, actorOf(admin), input);
}

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${origin}${path}`, { headers });
const bearer = (tok: string) => ({ authorization: `Bearer ${tok}` });
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${origin}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

beforeAll(async () => {
  t = await createTestContext({ clock });
  admin = await createUserRecord(t.ctx, { role: "admin" });
  longyouOrg = await createUserRecord(t.ctx, { role: "org", regionCode: "330825" });
  longyouBase = await insertBase(t.ctx, {
    name: "龙游测试科普教育基地",
    region_code: "330825",
    uscc: longyouOrg.login,
  });
  await linkBase(t.ctx, longyouBase, longyouOrg.id);
  jiangshanBase = await insertBase(t.ctx, {
    name: "江山测试科普教育基地",
    region_code: "330881",
    leader_phone: "13700001111",
    warning_note: "江山的整改意见",
    status: "warning",
  });
  longyouActivity = await announceActivity(
    t.ctx,
    actorOf(longyouOrg),
    longyouBase,
    announcementSchema.parse({ ...validAnnouncement, expectedParticipants: "100", campaignIds: "" }),
  );
  const jiangshanOrg = await createUserRecord(t.ctx, { role: "org", regionCode: "330881" });
  await linkBase(t.ctx, jiangshanBase, jiangshanOrg.id);
  jiangshanActivity = await announceActivity(
    t.ctx,
    actorOf(jiangshanOrg),
    jiangshanBase,
    announcementSchema.parse({
      ...validAnnouncement,
      name: "江山植物课",
      expectedParticipants: "30",
      campaignIds: "",
      contactPhone: "13987654321",
    }),
  );
  // An activity of the Longyou base that is already over, for its 活动小结.
  clock.set("2026-05-01T08:00:00+08:00");
  pastActivity = await announceActivity(
    t.ctx,
    actorOf(longyouOrg),
    longyouBase,
    announcementSchema.parse({
      ...validAnnouncement,
      name: "五一科普游园",
      startsAt: "2026-05-02 09:00",
      endsAt: "2026-05-02 11:00",
      expectedParticipants: "",
      campaignIds: "",
    }),
  );
  clock.set("2026-05-10T10:00:00+08:00");
  const app = createApp({ ctx: t.ctx, build: noPages, demo: () => false });
  server = app.listen(0);
  await new Promise((r) => server.once("listening", r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.close();
  await t?.close();
});

interface OpenApiDoc {
  paths: Record<
    string,
    Record<
      string,
      {
        operationId: string;
        responses: Record<string, { content?: Record<string, { schema: object }> }>;
      }
    >
  >;
  components: { schemas: Record<string, object> };
}

async function loadDocument(): Promise<OpenApiDoc> {
  const res = await get("/api/v1/openapi.json");
  expect(res.status).toBe(200);
  return (await res.json()) as OpenApiDoc;
}

/** A JSON Schema validator over the document's components (OpenAPI 3.1 schemas are 2020-12). */
function responseChecker(doc: OpenApiDoc) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  (addFormatsModule as unknown as (a: Ajv2020) => void)(ajv);
  const ROOT = "https://kepu.invalid/openapi.json";
  ajv.addSchema({ $id: ROOT, components: doc.components });
  const rooted = (schema: object) =>
    JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', `"${ROOT}#/components/`)) as object;
  return (operationId: string, status: number, body: unknown, type = "application/json") => {
    for (const ops of Object.values(doc.paths))
      for (const op of Object.values(ops)) {
        if (op.operationId !== operationId) continue;
        const media = op.responses[String(status)]?.content?.[type];
        if (!media) throw new Error(`${operationId} documents no ${status} ${type}`);
        const validate = ajv.compile(rooted(media.schema));
        if (!validate(body)) throw new Error(`${operationId} ${status}: ${ajv.errorsText(validate.errors)}`);
        return;
      }
    throw new Error(`no operation ${operationId}`);
  };
}

describe("the OpenAPI document", () => {
  it("is valid OpenAPI 3.1 for a real validator", async () => {
    const doc = await loadDocument();
    const result = await new Validator().validate(doc as unknown as Parameters<Validator["validate"]>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect((doc as unknown as { openapi: string }).openapi).toBe("3.1.0");
  });

  it("answers every documented operation as documented, on this engine", async () => {
    const doc = await loadDocument();
    const check = responseChecker(doc);
    const { token: reader } = await token({ name: "契约读取", scopes: "read:bases,read:activities" });
    const { token: writer } = await token({
      name: "契约写入",
      scopes: "write:activities",
      baseId: longyouBase,
    });
    const calls: [string, number, Response, string?][] = [
      ["listBases", 200, await get("/api/v1/bases?county=330825&limit=5")],
      ["listBases", 200, await get("/api/v1/bases?limit=1", bearer(reader))],
      ["listBases", 400, await get("/api/v1/bases?limit=500"), "application/problem+json"],
      ["getBase", 200, await get(`/api/v1/bases/${longyouBase}`)],
      ["getBase", 200, await get(`/api/v1/bases/${longyouBase}`, bearer(reader))],
      ["getBase", 404, await get(`/api/v1/bases/${newId()}`), "application/problem+json"],
      ["listActivities", 200, await get("/api/v1/activities?when=all")],
      ["listActivities", 400, await get("/api/v1/activities?when=soon"), "application/problem+json"],
      ["getActivity", 200, await get(`/api/v1/activities/${longyouActivity}`, bearer(reader))],
      ["getActivity", 404, await get(`/api/v1/activities/${newId()}`), "application/problem+json"],
      ["listNotices", 200, await get("/api/v1/notices")],
      ["listCourses", 200, await get("/api/v1/courses")],
      ["announceActivity", 201, await post("/api/v1/activities", validAnnouncement, bearer(writer))],
      [
        "announceActivity",
        401,
        await post("/api/v1/activities", validAnnouncement),
        "application/problem+json",
      ],
      [
        "announceActivity",
        422,
        await post("/api/v1/activities", { ...validAnnouncement, name: "" }, bearer(writer)),
        "application/problem+json",
      ],
      [
        "fileActivityReport",
        409,
        await post(
          `/api/v1/activities/${longyouActivity}/report`,
          { links: [], actualParticipants: 10, summary: "好", version: 1 },
          bearer(writer),
        ),
        "application/problem+json",
      ],
      ["getOpenData", 200, await get("/api/v1/open-data/bases.json")],
      ["getOpenData", 404, await get("/api/v1/open-data/bases.pdf"), "application/problem+json"],
    ];
    const covered = new Set<string>();
    for (const [operationId, status, res, type] of calls) {
      expect(res.status, `${operationId} ${res.url}`).toBe(status);
      expect(res.headers.get("content-type") ?? "").toContain(type ?? "application/json");
      check(operationId, status, await res.json(), type);
      covered.add(operationId);
    }
    const documented = Object.values(doc.paths).flatMap((ops) =>
      Object.values(ops).map((o) => o.operationId),
    );
    expect([...covered].sort()).toEqual([...documented].sort());
  });

  it("answers errors as problem+json with a Chinese title, field messages and the instance", async () => {
    const res = await get("/api/v1/bases?limit=0&county=abc");
    expect(res.status).toBe(400);
    const p = await res.json();
    expect(p).toMatchObject({ type: "about:blank", title: "请求参数有误", status: 400 });
    expect(p.errors).toMatchObject({ limit: "limit 最小为1", county: "区域代码须为6位数字" });
    expect(p.instance).toBe("/api/v1/bases?limit=0&county=abc");
    const missing = await get("/api/v1/nothing-here");
    expect(missing.status).toBe(404);
    expect((await missing.json()).title).toBe("未找到");
  });
});

describe("public reads", () => {
  it("pages the directory with cursors until the last page", async () => {
    for (let i = 0; i < 3; i++)
      await insertBase(t.ctx, { name: `翻页${i}科普教育基地`, region_code: "330825" });
    const seen: string[] = [];
    let next: string | null = "";
    let total = 0;
    while (next !== null) {
      const res = await get(`/api/v1/bases?county=330825&limit=2${next ? `&cursor=${next}` : ""}`);
      const page = await res.json();
      seen.push(...page.data.map((b: { id: string }) => b.id));
      total = page.total;
      next = page.nextCursor;
    }
    expect(new Set(seen).size).toBe(total);
    expect(total).toBeGreaterThanOrEqual(4);
    const bad = await get("/api/v1/bases?cursor=garbage");
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toContain("application/problem+json");
    const problem = await bad.json();
    expect(problem.title).toBe("请求参数有误");
    expect(problem.errors.cursor).toBe("cursor 无效");
  });

  it("pages by keyset in every order exactly as one long page lists them, and refuses a cursor of another order or list", async () => {
    for (let i = 0; i < 4; i++)
      await insertBase(t.ctx, {
        name: `同名基地`,
        region_code: i % 2 ? "330825" : "330881",
        recognized_year: 2020 + (i % 2),
      });
    for (const sort of ["name", "county", "newest"]) {
      const whole = await (await get(`/api/v1/bases?sort=${sort}&limit=50`)).json();
      expect(whole.data.length).toBeLessThan(50);
      expect(whole.nextCursor).toBeNull();
      const paged: string[] = [];
      let next: string | null = "";
      while (next !== null) {
        const page = await (
          await get(`/api/v1/bases?sort=${sort}&limit=3${next ? `&cursor=${next}` : ""}`)
        ).json();
        expect(page.total, sort).toBe(whole.total);
        expect(page.data.length).toBeGreaterThan(0);
        paged.push(...page.data.map((b: { id: string }) => b.id));
        next = page.nextCursor;
      }
      expect(paged, sort).toEqual(whole.data.map((b: { id: string }) => b.id));
    }
    const byName = (await (await get("/api/v1/bases?limit=1")).json()).nextCursor;
    const otherSort = await get(`/api/v1/bases?sort=newest&cursor=${byName}`);
    expect(otherSort.status).toBe(400);
    expect((await otherSort.json()).errors.cursor).toBe(
      "cursor 与 sort 不一致，请使用同一排序下返回的 nextCursor",
    );
    const otherList = await get(`/api/v1/activities?cursor=${byName}`);
    expect(otherList.status).toBe(400);
  });

  it("pages activities by keyset past the first page, in start order, ties by id", async () => {
    const org = await createUserRecord(t.ctx, { role: "org", regionCode: "330825" });
    const baseId = await insertBase(t.ctx, {
      name: "翻页活动科普教育基地",
      region_code: "330825",
      uscc: org.login,
    });
    await linkBase(t.ctx, baseId, org.id);
    for (let i = 0; i < 23; i++) {
      // Two activities share each start time: the id orders them.
      const day = String(11 + Math.floor(i / 2)).padStart(2, "0");
      await announceActivity(
        t.ctx,
        actorOf(org),
        baseId,
        announcementSchema.parse({
          ...validAnnouncement,
          name: `翻页活动${i}`,
          startsAt: `2026-06-${day} 09:00`,
          endsAt: `2026-06-${day} 11:00`,
          expectedParticipants: "",
          campaignIds: "",
        }),
      );
    }
    for (const when of ["upcoming", "past", "all"]) {
      const seen: { id: string; startsAt: string }[] = [];
      let next: string | null = "";
      let pages = 0;
      while (next !== null) {
        const res = await get(
          `/api/v1/activities?baseId=${baseId}&when=${when}${next ? `&cursor=${next}` : ""}`,
        );
        const page = await res.json();
        seen.push(...page.data);
        next = page.nextCursor;
        pages++;
      }
      const expected = when === "past" ? 0 : 23;
      expect(seen.length, when).toBe(expected);
      expect(pages, when).toBe(expected > 20 ? 2 : 1);
      const key = (a: { id: string; startsAt: string }) => `${a.startsAt} ${a.id}`;
      expect(seen.map(key)).toEqual(seen.map(key).toSorted());
    }
    const upcoming = (await (await get(`/api/v1/activities?baseId=${baseId}`)).json()).nextCursor;
    const wrongWhen = await get(`/api/v1/activities?baseId=${baseId}&when=past&cursor=${upcoming}`);
    expect(wrongWhen.status).toBe(400);
  });

  it("sends an ETag and Cache-Control, answers 304 to If-None-Match, and serves anonymous reads from the response cache", async () => {
    const path = `/api/v1/bases/${longyouBase}`;
    const first = await get(path);
    const etag = first.headers.get("etag");
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(first.headers.get("cache-control")).toBe("public, max-age=60");
    const again = await get(path);
    expect(again.headers.get("x-kepu-cache")).toBe("hit");
    expect(again.headers.get("etag")).toBe(etag);
    const notModified = await get(path, { "if-none-match": etag! });
    expect(notModified.status).toBe(304);
    expect(await notModified.text()).toBe("");
    // A change to the base retires the kept answer and its ETag.
    await t.ctx.db.transaction().execute(async (trx) => {
      await trx.updateTable("bases").set({ intro: "新的简介" }).where("id", "=", longyouBase).execute();
      await bumpGeneration(trx, "bases", [longyouBase]);
    });
    const changed = await get(path, { "if-none-match": etag! });
    expect(changed.status).toBe(200);
    expect((await changed.json()).intro).toBe("新的简介");
  });

  it("never sends a token's answer from the cache, nor keeps it", async () => {
    const { token: reader } = await token({ name: "缓存检查", scopes: "read:bases" });
    const res = await get(`/api/v1/bases/${longyouBase}`, bearer(reader));
    expect(res.headers.get("x-kepu-cache")).toBeNull();
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    expect((await res.json()).private.uscc).toBe(longyouOrg.login);
    const anonymous = await (await get(`/api/v1/bases/${longyouBase}`)).json();
    expect(anonymous.private).toBeUndefined();
  });
});

/** Every list and every record it names, as JSON text. */
async function crawl(headers: Record<string, string>): Promise<string[]> {
  const bodies: string[] = [];
  const take = async (path: string) => {
    const res = await get(path, headers);
    expect(res.status, path).toBe(200);
    const text = await res.text();
    bodies.push(text);
    return JSON.parse(text);
  };
  let next: string | null = "";
  while (next !== null) {
    const page = await take(`/api/v1/bases?limit=50${next ? `&cursor=${next}` : ""}`);
    for (const b of page.data) await take(`/api/v1/bases/${b.id}`);
    next = page.nextCursor;
  }
  for (const when of ["upcoming", "past", "all"]) {
    next = "";
    while (next !== null) {
      const page = await take(`/api/v1/activities?when=${when}${next ? `&cursor=${next}` : ""}`);
      for (const a of page.data) await take(`/api/v1/activities/${a.id}`);
      next = page.nextCursor;
    }
  }
  await take("/api/v1/notices");
  await take("/api/v1/courses");
  for (const file of ["bases.json", "bases.csv", "activities.json", "activities.csv"])
    bodies.push(await (await get(`/api/v1/open-data/${file}`, headers)).text());
  return bodies;
}

describe("personal data", () => {
  it("no answer, with or without a token, holds a full personal phone", async () => {
    const { token: all } = await token({ name: "全量", scopes: "read:bases,read:activities" });
    for (const headers of [{}, bearer(all)]) {
      const bodies = await crawl(headers);
      expect(bodies.length).toBeGreaterThan(8);
      const joined = bodies.join("\n");
      for (const phone of FULL_PHONES) expect(joined).not.toContain(phone);
      expect(fullMobileIn(joined)).toBeNull();
      // The masked form is there: the crawl did reach the phones.
      expect(joined).toContain("138****5678");
    }
  });

  it("a token limited to one county reads private fields there and nowhere else", async () => {
    const { token: longyou } = await token({
      name: "龙游县平台",
      scopes: "read:bases,read:activities",
      regionCode: "330825",
    });
    const own = await (await get(`/api/v1/bases/${longyouBase}`, bearer(longyou))).json();
    expect(own.private).toMatchObject({ uscc: longyouOrg.login });
    const other = await (await get(`/api/v1/bases/${jiangshanBase}`, bearer(longyou))).text();
    expect(JSON.parse(other).private).toBeUndefined();
    expect(other).not.toContain("江山的整改意见");
    const ownActivity = await (await get(`/api/v1/activities/${longyouActivity}`, bearer(longyou))).json();
    expect(ownActivity.private).toMatchObject({ expectedParticipants: 100, reportStatus: "none" });
    const otherActivity = await (
      await get(`/api/v1/activities/${jiangshanActivity}`, bearer(longyou))
    ).json();
    expect(otherActivity.private).toBeUndefined();
    // Crawled through: private fields only on the county's own records, none in any list.
    const bodies = await crawl(bearer(longyou));
    expect(bodies.join("\n")).not.toContain("江山的整改意见");
    const records = bodies.filter((b) => b.startsWith('{"id"'));
    expect(records.filter((b) => b.includes('"private"')).length).toBeGreaterThan(0);
    for (const b of records) expect(b.includes('"private"')).toBe(b.includes('"regionCode":"330825"'));
    for (const b of bodies.filter((x) => x.startsWith('{"data"'))) expect(b).not.toContain('"private"');
  });
});

describe("tokens", () => {
  it("a revoked token gets 401 on its very next request", async () => {
    const issued = await token({ name: "将被吊销", scopes: "read:bases" });
    expect((await get("/api/v1/bases", bearer(issued.token))).status).toBe(200);
    await revokeApiToken(t.ctx, actorOf(admin), issued.id);
    const res = await get("/api/v1/bases", bearer(issued.token));
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.headers.get("www-authenticate")).toContain("Bearer");
    expect((await res.json()).title).toBe("未授权");
  });

  it("refuses unknown, malformed and expired tokens the same way", async () => {
    const expired = await token({ name: "将过期", scopes: "read:bases", expiresOn: "2026-05-11" });
    expect((await get("/api/v1/bases", bearer(expired.token))).status).toBe(200);
    clock.set("2026-05-12T00:00:01+08:00");
    try {
      expect((await get("/api/v1/bases", bearer(expired.token))).status).toBe(401);
    } finally {
      clock.set("2026-05-10T10:00:00+08:00");
    }
    expect((await get("/api/v1/bases", bearer(`kepu_${"A".repeat(43)}`))).status).toBe(401);
    expect((await get("/api/v1/bases", { authorization: "Basic abc" })).status).toBe(401);
  });

  it("stores only the token's hash, and audits every use", async () => {
    const issued = await token({ name: "审计检查", scopes: "read:bases" });
    const row = await t.ctx.db
      .selectFrom("api_tokens")
      .selectAll()
      .where("id", "=", issued.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(issued.token.slice(5));
    await get(`/api/v1/bases/${longyouBase}`, bearer(issued.token));
    await get("/api/v1/bases?limit=0", bearer(issued.token));
    // The use is recorded once the answer has gone out.
    let uses: { detail: string | null; outcome: string }[] = [];
    for (let i = 0; i < 50 && uses.length < 2; i++) {
      uses = await t.ctx.db
        .selectFrom("audit_events")
        .select(["detail", "outcome"])
        .where("action", "=", "api.request")
        .where("target_id", "=", issued.id)
        .execute();
      if (uses.length < 2) await new Promise((r) => setTimeout(r, 20));
    }
    expect(uses.map((u) => JSON.parse(u.detail ?? "{}").status).sort()).toEqual([200, 400]);
    const issuedEvent = await t.ctx.db
      .selectFrom("audit_events")
      .select("action")
      .where("target_id", "=", issued.id)
      .where("action", "=", "api_token.issue")
      .executeTakeFirst();
    expect(issuedEvent).toBeDefined();
  });

  it("limits the requests of each token", async () => {
    const issued = await token({ name: "限流", scopes: "read:bases" });
    await t.ctx.db
      .insertInto("rate_limits")
      .values({ key: `api-token:${issued.id}`, count: 600, reset_at: "2026-05-10T03:00:00.000Z" })
      .execute();
    const res = await get("/api/v1/bases", bearer(issued.token));
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("60");
    const other = await token({ name: "另一个", scopes: "read:bases" });
    expect((await get("/api/v1/bases", bearer(other.token))).status).toBe(200);
  });

  it("only an admin issues tokens, and a write token needs a base with an org account", async () => {
    const county = await createUserRecord(t.ctx, { role: "county" });
    const input = issueTokenSchema.parse({ name: "x", scopes: "read:bases", expiresOn: "2026-12-31" });
    await expect(issueApiToken(t.ctx, actorOf(county), input)).rejects.toMatchObject({ code: "FORBIDDEN" });
    const orphan = await insertBase(t.ctx, { region_code: "330825" });
    await expect(token({ name: "无账号", scopes: "write:activities", baseId: orphan })).rejects.toMatchObject(
      { fieldErrors: { baseId: "该基地还没有关联的法人账号，不能代其发布活动" } },
    );
    await expect(
      token({ name: "区域外", scopes: "write:activities", baseId: jiangshanBase, regionCode: "330825" }),
    ).rejects.toMatchObject({ fieldErrors: { baseId: "所选基地不在令牌的区域范围内" } });
    await expect(token({ name: "过长", expiresOn: "2027-12-31" })).rejects.toMatchObject({
      code: "VALIDATION",
    });
    expect(() =>
      issueTokenSchema.parse({ name: "w", scopes: "write:activities", expiresOn: "2026-12-31" }),
    ).toThrow("代基地发布活动的令牌须指定基地");
  });
});

describe("write:activities", () => {
  it("posts a 活动预告 as the base's own, validated like the form", async () => {
    const { token: writer } = await token({
      name: "报送系统",
      scopes: "write:activities",
      baseId: longyouBase,
    });
    const res = await post(
      "/api/v1/activities",
      { ...validAnnouncement, name: "接口发布的活动", campaignIds: [] },
      bearer(writer),
    );
    expect(res.status).toBe(201);
    const { id } = await res.json();
    const row = await t.ctx.db
      .selectFrom("activities")
      .select(["base_id", "name", "expected_participants", "created_by"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ base_id: longyouBase, name: "接口发布的活动", expected_participants: 100 });
    expect(row.created_by).toBe(longyouOrg.id);
    // The form's messages, beside each field.
    const bad = await post(
      "/api/v1/activities",
      { ...validAnnouncement, form: "online", endsAt: "2026-05-20 08:00", contactPhone: "123" },
      bearer(writer),
    );
    expect(bad.status).toBe(422);
    const p = await bad.json();
    expect(p.errors).toMatchObject({ link: "线上活动请填写参与链接", endsAt: expect.any(String) });
    expect(p.errors.contactPhone).toContain("手机号");
  });

  it("refuses without the scope, without a token, or with a body that is not JSON; no same-site Origin is needed", async () => {
    const { token: reader } = await token({ name: "只读", scopes: "read:activities" });
    const forbidden = await post("/api/v1/activities", validAnnouncement, bearer(reader));
    expect(forbidden.status).toBe(403);
    expect((await forbidden.json()).detail).toContain("write:activities");
    expect((await post("/api/v1/activities", validAnnouncement)).status).toBe(401);
    const { token: writer } = await token({ name: "格式", scopes: "write:activities", baseId: longyouBase });
    const form = await fetch(`${origin}/api/v1/activities`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...bearer(writer) },
      body: "name=x",
    });
    expect(form.status).toBe(415);
    const broken = await fetch(`${origin}/api/v1/activities`, {
      method: "POST",
      headers: { "content-type": "application/json", ...bearer(writer) },
      body: "{",
    });
    expect(broken.status).toBe(400);
  });

  it("files a 活动小结 for its own base's ended activity only, under the form's rules", async () => {
    const { token: writer } = await token({ name: "小结", scopes: "write:activities", baseId: longyouBase });
    const body = {
      links: ["https://news.example.cn/a/1"],
      actualParticipants: 80,
      summary: "顺利举行。",
      version: 1,
    };
    // Another base's activity: the same 404 as a missing one.
    const foreign = await post(`/api/v1/activities/${jiangshanActivity}/report`, body, bearer(writer));
    expect(foreign.status).toBe(404);
    // The form requires a photo first.
    const noPhoto = await post(`/api/v1/activities/${pastActivity}/report`, body, bearer(writer));
    expect(noPhoto.status).toBe(422);
    expect((await noPhoto.json()).errors.activity_photos).toBe("请至少上传1张活动图片");
    await t.ctx.db
      .insertInto("files")
      .values({
        id: newId(),
        storage_key: `test/${newId()}`,
        original_name: "活动.jpg",
        mime: "image/jpeg",
        size: 1000,
        sha256: "0".repeat(64),
        kind: "image",
        width: null,
        height: null,
        thumb_key: null,
        owner_type: "activity",
        owner_id: pastActivity,
        slot: "activity_photos",
        region_code: "330825",
        created_by: null,
        created_at: clock.now().toISOString(),
      })
      .execute();
    const ok = await post(`/api/v1/activities/${pastActivity}/report`, body, bearer(writer));
    expect(ok.status).toBe(200);
    const row = await t.ctx.db
      .selectFrom("activities")
      .select(["report_status", "actual_participants"])
      .where("id", "=", pastActivity)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ report_status: "submitted", actual_participants: 80 });
  });
});

describe("open data", () => {
  it("offers the directory and this year's activities as CSV, XLSX and JSON with licence and generation time", async () => {
    const json = await (await get("/api/v1/open-data/bases.json")).json();
    expect(json.licence).toContain("CC BY 4.0");
    expect(json.generatedAt).toBe(clock.now().toISOString());
    expect(json.rows.map((r: { id: string }) => r.id)).toContain(longyouBase);
    const csv = await get("/api/v1/open-data/activities.csv");
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect(csv.headers.get("content-disposition")).toContain("kepu-activities-2026.csv");
    const text = await csv.text();
    expect(text).toContain("CC BY 4.0");
    expect(text).toContain("# 生成时间：2026-05-10T02:00:00.000Z");
    expect(text).toContain("江山植物课");
    const xlsx = await get("/api/v1/open-data/bases.xlsx");
    expect(xlsx.headers.get("content-type")).toContain("spreadsheetml");
    const bytes = Buffer.from(await xlsx.arrayBuffer());
    expect(bytes.subarray(0, 2).toString()).toBe("PK");
  });

  it("is made again when the data changes, and kept while it does not", async () => {
    const before = await (await get("/api/v1/open-data/bases.json")).json();
    clock.advance(60_000);
    const same = await (await get("/api/v1/open-data/bases.json")).json();
    expect(same.generatedAt).toBe(before.generatedAt);
    const added = await t.ctx.db.transaction().execute(async (trx) => {
      const id = await insertBase({ ...t.ctx, db: trx }, { name: "新认定科普教育基地" });
      await bumpGeneration(trx, "bases");
      return id;
    });
    const after = await (await get("/api/v1/open-data/bases.json")).json();
    expect(after.generatedAt).not.toBe(before.generatedAt);
    expect(after.rows.map((r: { id: string }) => r.id)).toContain(added);
    clock.set("2026-05-10T10:00:00+08:00");
  });
});
