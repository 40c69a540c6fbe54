import fs from "node:fs";
import http, { type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { sql } from "kysely";
import type { ServerBuild } from "react-router";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { logIn } from "#src/modules/accounts/accounts.server.ts";
import { startApplication } from "#src/modules/applications/applications.server.ts";
import { insertBase } from "#src/modules/bases/bases-directory.fixtures.ts";
import { fixedClock } from "#src/platform/clock.ts";
import { cleanText, hasForbiddenChars } from "#src/platform/text.rules.ts";
import { createApp } from "#src/server/app.server.ts";
import { createEighthBatchCall } from "../support/application-fixtures.ts";
import { actorOf, createUserRecord, linkBase, type MadeUser, TEST_PASSWORD } from "../support/factories.ts";
import { createTestContext, type TestContext } from "../support/test-db.ts";

// Issue 14: a corpus of bad inputs against the real server build (`npm run build` first). Nothing
// may answer 5xx, nothing stored may hold a control character, and memory stays bounded.
const buildPath = path.resolve("build/server/index.js");
if (!fs.existsSync(buildPath)) throw new Error("build/server/index.js is missing: run `npm run build` first");

const clock = fixedClock("2023-02-20T10:00:00+08:00");
let t: TestContext;
let server: Server;
let port: number;
let origin: string;
const cookies: Record<"org" | "applicant" | "office" | "admin", string> = {
  org: "",
  applicant: "",
  office: "",
  admin: "",
};
let baseId: string;
let applicationId: string;

/** Every answer that was a 5xx, as `METHOD path [what] → status`. */
const serverErrors: string[] = [];
let requests = 0;

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
/** Live memory after a full collection: the heap and buffers. RSS alone also counts pages the allocator keeps. */
function rss(): number {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}
let rssBefore = 0;

beforeAll(async () => {
  t = await createTestContext({ clock });
  const build = (await import(buildPath)) as ServerBuild;
  // Without the response cache, whose memory is bounded by design: the bound below measures input handling.
  const ctx = { ...t.ctx, config: { ...t.ctx.config, responseCache: false } };
  server = createApp({ ctx, build, demo: () => false }).listen(0);
  await new Promise((r) => server.once("listening", r));
  port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;

  const org = await createUserRecord(t.ctx, { role: "org", regionCode: "330825" });
  baseId = await insertBase(t.ctx, { uscc: org.login, org_id: org.id });
  await linkBase(t.ctx, baseId, org.id);
  const applicant = await createUserRecord(t.ctx, { role: "org", regionCode: "330825" });
  const callId = await createEighthBatchCall(t.ctx);
  applicationId = await startApplication(t.ctx, actorOf(applicant), callId);
  const office = await createUserRecord(t.ctx, { role: "office" });
  const admin = await createUserRecord(t.ctx, { role: "admin" });
  const cookieFor = async (user: MadeUser) => {
    const { token } = await logIn(t.ctx, actorOf(null), {
      kind: user.role === "org" ? "org" : "staff",
      login: user.login,
      password: TEST_PASSWORD,
    });
    return `kepu_session=${token}`;
  };
  cookies.org = await cookieFor(org);
  cookies.applicant = await cookieFor(applicant);
  cookies.office = await cookieFor(office);
  cookies.admin = await cookieFor(admin);
  // Warm the routes once, so the bound below measures the corpus, not the first render of each page.
  for (const p of ["/", "/bases", "/register", "/my-base", "/activities"])
    await raw({ method: "GET", path: p, cookie: cookies.org });
  rssBefore = rss();
});
afterAll(async () => {
  server?.close();
  await t?.close();
});

// ---- the corpus ----

/** 64 hostile values: types, lengths, encodings, control characters, prototype keys, huge numbers. */
function hostileValues(): string[] {
  const controls = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join("");
  return [
    "",
    " ",
    "\u3000",
    "a",
    "a".repeat(101),
    "a".repeat(2_001),
    "字".repeat(20_001),
    "x".repeat(300_000),
    "\u0000",
    "a\u0000b",
    "\u0000".repeat(1000),
    controls,
    `名称${controls}科普教育基地`,
    "\u007f\u0080\u0085\u009b\u009f",
    "\u202eevil\u202c",
    "\u2066isolate\u2069\u202a\u202b\u202d",
    "\ufffd",
    "\ud800",
    "\udc00x\ud83d",
    "e\u0301\u0301\u0301",
    "ＡＢＣ１２３",
    "😀".repeat(500),
    "\r\n\r\n",
    "\t\t",
    "__proto__",
    "constructor",
    "prototype",
    "toString",
    "hasOwnProperty",
    "valueOf",
    "1e309",
    "-1e309",
    "-1",
    "0",
    "-0",
    "NaN",
    "Infinity",
    "99999999999999999999",
    "0x10",
    "1.5",
    "9".repeat(400),
    "null",
    "undefined",
    "true",
    "[]",
    "{}",
    '{"__proto__":{"x":1}}',
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "'; drop table users; --",
    "%00",
    "%FF%c0%ae",
    "../../../etc/passwd",
    "/\\evil.example",
    "2024-02-30",
    "9999-12-31",
    "0000-00-00",
    "2024-01-01T25:61",
    "1900-01-01T00:00",
    "91330800MA2XXXXXXX",
    "13800000000\u0000",
    "YY20231009-K3F9Q\u0000",
    "rename\u0000",
    "  正常的文字  ",
  ];
}
const VALUES = hostileValues();

interface Raw {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  cookie?: string;
  what?: string;
}

/** One request with exactly these bytes; records a 5xx. The body is always read to its end. */
function raw(r: Raw): Promise<{ status: number; body: string }> {
  requests++;
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {
      origin,
      ...(r.cookie ? { cookie: r.cookie } : {}),
      ...r.headers,
    };
    if (
      r.body !== undefined &&
      headers["content-length"] === undefined &&
      headers["transfer-encoding"] === undefined
    )
      headers["content-length"] = String(Buffer.byteLength(r.body));
    const req = http.request({ host: "127.0.0.1", port, method: r.method, path: r.path, headers }, (res) => {
      const parts: Buffer[] = [];
      res.on("data", (c: Buffer) => parts.push(c));
      res.on("end", () => {
        const status = res.statusCode ?? 0;
        if (status >= 500) serverErrors.push(`${r.method} ${r.path} [${r.what ?? ""}] → ${status}`);
        resolve({ status, body: Buffer.concat(parts).toString() });
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    if (r.body !== undefined) req.write(r.body);
    req.end();
  });
}

/** Runs the requests a few at a time: enough to finish quickly on two cores. */
async function runAll(list: (() => Promise<unknown>)[], concurrency = 4): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < list.length) await list[next++]();
    }),
  );
}

const urlencoded = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

async function multipart(fields: Record<string, string>): Promise<{ type: string; body: Buffer }> {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  const req = new Request("http://x/", { method: "POST", body: fd });
  return { type: req.headers.get("content-type") ?? "", body: Buffer.from(await req.arrayBuffer()) };
}

interface FormCase {
  path: string;
  cookie?: string;
  fields: Record<string, string>;
}

function formCases(): FormCase[] {
  return [
    {
      path: "/register",
      fields: {
        uscc: "91330800MA2A1B2C3D",
        unitName: "测试单位",
        regionCode: "330825",
        contactName: "张三",
        phone: "13800000000",
        password: "Kepu-test-2026",
        confirmPassword: "Kepu-test-2026",
      },
    },
    {
      path: "/login/org",
      fields: { uscc: "91330800MA2A1B2C3D", password: "x", redirectTo: "/" },
    },
    { path: "/login/staff", fields: { username: "nobody", password: "x", redirectTo: "/" } },
    { path: "/notices/objection-status", fields: { ref: "YY20231009-K3F9QX", phone: "13800000000" } },
    {
      path: "/notices/unknown-notice/objection",
      fields: {
        applicationId: "x",
        objectorKind: "individual",
        objectorName: "张三",
        objectorUnit: "",
        objectorPhone: "13800000000",
        content: "这是一条足够长的异议内容，说明事实和理由。",
      },
    },
    {
      path: "/my-base",
      cookie: "org",
      fields: {
        intro: "简介",
        openingForm: "免费",
        openingHours: "9:00-17:00",
        openDays: "300",
        bookingPhone: "0570-7654321",
        address: "衢州市龙游县",
        version: "1",
      },
    },
    {
      path: "/my-base/changes/new",
      cookie: "org",
      fields: {
        kind: "rename",
        happenedOn: "2023-02-01",
        name: "新名称科普教育基地",
        unitName: "",
        address: "",
        leaderName: "",
        leaderPhone: "",
        contactName: "",
        contactPhone: "",
        explanation: "说明",
      },
    },
    {
      path: `/bases/{baseId}/activities/new`,
      cookie: "org",
      fields: {
        intent: "save",
        uscc: "",
        name: "活动",
        type: "lecture",
        form: "offline",
        startsAt: "2023-03-01 09:00",
        endsAt: "2023-03-01 11:00",
        place: "馆内",
        link: "",
        audience: "青少年",
        expectedParticipants: "100",
        fee: "free",
        direction: "in",
        contactName: "李四",
        contactPhone: "13800000000",
        description: "活动简介",
      },
    },
    {
      path: `/applications/{applicationId}/autosave`,
      cookie: "applicant",
      fields: { version: "1", baseName: "测试科普教育基地", intro: "简介", cond_0: "on", condNote_0: "说明" },
    },
    {
      path: `/applications/{applicationId}/edit`,
      cookie: "applicant",
      fields: { intent: "save", version: "1", baseName: "测试科普教育基地", intro: "简介" },
    },
  ];
}

const pathOf = (p: string) => p.replace("{baseId}", baseId).replace("{applicationId}", applicationId);

/** The requests for one form: each value in every field at once and in one field at a time, then the transport cases. */
async function formRequests(c: FormCase): Promise<(() => Promise<unknown>)[]> {
  const p = pathOf(c.path);
  const cookie = c.cookie ? cookies[c.cookie as keyof typeof cookies] : undefined;
  const names = Object.keys(c.fields);
  const out: (() => Promise<unknown>)[] = [];
  const post = (fields: Record<string, string>, what: string) => () =>
    raw({
      method: "POST",
      path: p,
      cookie,
      what,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: urlencoded(fields),
    });
  // One request per value, so each form gets them all: every field at once, or one field of a valid form.
  VALUES.forEach((v, i) => {
    const one = names[Math.floor(i / 2) % names.length] as string;
    if (i % 2 === 0) out.push(post(Object.fromEntries(names.map((n) => [n, v])), `all=#${i}`));
    else out.push(post({ ...c.fields, [one]: v }, `${one}=#${i}`));
  });
  // Prototype keys as field names, duplicated fields, a flood of fields.
  out.push(post({ ...c.fields, __proto__: "x", constructor: "y" } as Record<string, string>, "proto names"));
  out.push(() =>
    raw({
      method: "POST",
      path: p,
      cookie,
      what: "duplicates",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `${urlencoded(c.fields)}&${names.map((n) => `${n}=a&${n}=b`).join("&")}&__proto__[x]=1`,
    }),
  );
  out.push(() =>
    raw({
      method: "POST",
      path: p,
      cookie,
      what: "20000 fields",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: Array.from({ length: 20_000 }, (_, i) => `f${i}=${i}`).join("&"),
    }),
  );
  out.push(() =>
    raw({
      method: "POST",
      path: p,
      cookie,
      what: "bad percent",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `${names[0]}=%FF%c0%ae%00%&x=%E8%A1`,
    }),
  );
  // Wrong content types and broken multipart.
  const json = JSON.stringify(c.fields);
  for (const type of ["application/json", "text/plain", "application/xml", "application/octet-stream", ""]) {
    out.push(() =>
      raw({
        method: "POST",
        path: p,
        cookie,
        what: `type ${type}`,
        headers: type ? { "content-type": type } : {},
        body: json,
      }),
    );
  }
  const mp = await multipart(c.fields);
  out.push(() =>
    raw({
      method: "POST",
      path: p,
      cookie,
      what: "multipart ok",
      headers: { "content-type": mp.type },
      body: mp.body,
    }),
  );
  out.push(() =>
    raw({
      method: "POST",
      path: p,
      cookie,
      what: "multipart wrong boundary",
      headers: { "content-type": "multipart/form-data; boundary=nothing-like-it" },
      body: mp.body,
    }),
  );
  out.push(() =>
    raw({
      method: "POST",
      path: p,
      cookie,
      what: "multipart no boundary",
      headers: { "content-type": "multipart/form-data" },
      body: mp.body,
    }),
  );
  out.push(() =>
    raw({
      method: "POST",
      path: p,
      cookie,
      what: "multipart cut",
      headers: { "content-type": mp.type },
      body: mp.body.subarray(0, Math.floor(mp.body.length / 2)),
    }),
  );
  out.push(() =>
    raw({
      method: "POST",
      path: `${p}.data`,
      cookie,
      what: ".data json",
      headers: { "content-type": "application/json" },
      body: json,
    }),
  );
  // Oversize: declared up front (nothing is sent), and a chunked body that grows past the limit.
  out.push(() =>
    raw({
      method: "POST",
      path: p,
      cookie,
      what: "declared 100 MB",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "content-length": String(100 * 1024 * 1024),
      },
    }).then((r) => expect(r.status, `${p} declared oversize`).toBe(413)),
  );
  out.push(() =>
    chunkedOversize(p, cookie).then((status) => expect(status, `${p} chunked oversize`).toBe(413)),
  );
  return out;
}

/** Streams 2 MB chunked, 64 KB at a time, until the server answers; returns its status. */
function chunkedOversize(p: string, cookie: string | undefined): Promise<number> {
  requests++;
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        method: "POST",
        path: p,
        headers: {
          origin,
          "content-type": "application/x-www-form-urlencoded",
          ...(cookie ? { cookie } : {}),
        },
      },
      (res) => {
        answered = true;
        res.resume();
        res.on("end", () => {
          if ((res.statusCode ?? 0) >= 500) serverErrors.push(`POST ${p} [chunked] → ${res.statusCode}`);
          resolve(res.statusCode ?? 0);
        });
      },
    );
    req.on("error", (err) => {
      if (!answered) reject(err);
    });
    const chunk = Buffer.from(`a=${"b".repeat(64 * 1024 - 2)}`);
    let sent = 0;
    const pump = () => {
      while (!answered && sent < 2 * 1024 * 1024 + 64 * 1024) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once("drain", pump);
          return;
        }
      }
      if (!answered) req.end();
    };
    pump();
  });
}

interface QueryCase {
  path: string;
  params: string[];
  cookie?: keyof typeof cookies;
  /** A file, not a page: asked as is. A page's loaders are asked through its `.data` URL, which skips the render. */
  resource?: boolean;
}

function queryCases(): QueryCase[] {
  return [
    { path: "/bases", params: ["page", "q"] },
    { path: "/activities", params: ["page"] },
    { path: "/bases/{baseId}/activities", params: ["page"] },
    { path: "/login", params: ["redirectTo"] },
    { path: "/admin/bases", params: ["page", "county"], cookie: "office" },
    { path: "/admin/bases/export.xlsx", params: ["q"], cookie: "office", resource: true },
    { path: "/admin/users", params: ["page"], cookie: "admin" },
    { path: "/admin/audit", params: ["from"], cookie: "admin" },
    { path: "/review", params: ["page"], cookie: "office" },
    { path: "/review/export.xlsx", params: ["call"], cookie: "office", resource: true },
    { path: "/admin/changes", params: ["page"], cookie: "office" },
    { path: "/admin/activity-stats", params: ["year"], cookie: "office" },
    {
      path: "/admin/activity-stats/export.xlsx",
      params: ["year", "from", "county"],
      cookie: "office",
      resource: true,
    },
  ];
}

function queryRequests(c: QueryCase): (() => Promise<unknown>)[] {
  const p = pathOf(c.path);
  const cookie = c.cookie ? cookies[c.cookie] : undefined;
  const out: (() => Promise<unknown>)[] = [];
  const asked = c.resource ? p : `${p}.data`;
  for (const param of c.params) {
    VALUES.forEach((v, i) => {
      // Oversized query strings are refused by Node's header limit: a 431, not the app's concern.
      if (v.length > 2000) return;
      const query = new URLSearchParams({ [param]: v });
      out.push(() => raw({ method: "GET", path: `${asked}?${query}`, cookie, what: `${param}=#${i}` }));
    });
    // Raw bad encodings and huge numbers, also as a whole page (the render reads the loader's answer).
    for (const bad of [
      "%FF",
      "%c0%ae%c0%ae",
      "%E8%A1",
      "%",
      "%00",
      "%0A",
      "1e309",
      "-1",
      "NaN",
      "99999999",
    ]) {
      out.push(() =>
        raw({ method: "GET", path: `${asked}?${param}=${bad}`, cookie, what: `${param}=${bad}` }),
      );
      if (!c.resource && (bad === "%FF" || bad === "1e309"))
        out.push(() =>
          raw({ method: "GET", path: `${p}?${param}=${bad}`, cookie, what: `page ${param}=${bad}` }),
        );
    }
  }
  return out;
}

const PATHS = [
  "/activities.ics",
  "/bases/{baseId}/activities.ics",
  "/bases/%E2%80%AE/activities.ics",
  "/bases/%FF",
  "/%c0%ae%c0%ae/etc/passwd",
  "/bases/%00",
  "/bases/__proto__",
  "/bases/constructor/activities",
  "/notices/__proto__",
  "/activities/%E8%A1",
  "/applications/..%2F..%2Fetc/pdf",
  `/bases/${"a".repeat(4000)}`,
];

// ---- the run ----

describe("a corpus of bad inputs (issue 14)", () => {
  it("never answers 5xx, stores no control character and keeps memory bounded", async () => {
    const list: (() => Promise<unknown>)[] = [];
    for (const c of formCases()) list.push(...(await formRequests(c)));
    for (const c of queryCases()) list.push(...queryRequests(c));
    for (const p of PATHS.map(pathOf)) {
      list.push(() => raw({ method: "GET", path: p, cookie: cookies.office, what: "path" }));
      list.push(() => raw({ method: "GET", path: p, what: "path anonymous" }));
    }
    await runAll(list);

    // A dirty but valid profile is stored, cleaned: the scan below is not vacuous.
    const dirty = "基地\u0000简介\u202e，\r\n第二行\u0007\ufffd";
    const version = (
      await t.ctx.db.selectFrom("bases").select("version").where("id", "=", baseId).executeTakeFirstOrThrow()
    ).version;
    const saved = await raw({
      method: "POST",
      path: "/my-base",
      cookie: cookies.org,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: urlencoded({
        intro: dirty,
        openingForm: "免费",
        openingHours: "9:00\t-17:00\u0000",
        openDays: "300",
        bookingPhone: "0570-7654321",
        address: "衢州市龙游县\u0000",
        version: String(version),
      }),
    });
    expect(saved.status).toBeLessThan(400);
    const base = await t.ctx.db
      .selectFrom("bases")
      .select(["intro", "opening_hours", "address"])
      .where("id", "=", baseId)
      .executeTakeFirstOrThrow();
    expect(base).toEqual({ intro: cleanText(dirty), opening_hours: "9:00 -17:00", address: "衢州市龙游县" });
    expect(base.intro).toBe("基地简介，\n第二行");

    expect(serverErrors).toEqual([]);
    expect(requests).toBeGreaterThan(1500);

    const stored = await storedControlCharacters();
    expect(stored).toEqual([]);

    const grown = rss() - rssBefore;
    expect(grown, `live memory grew by ${Math.round(grown / 1024 / 1024)} MB`).toBeLessThan(64 * 1024 * 1024);
  }, 300_000);
});

/** Tables the forms write, every text column, JSON values opened: `table.column = value` for each bad one. */
async function storedControlCharacters(): Promise<string[]> {
  const tables = [
    "users",
    "bases",
    "change_reports",
    "activities",
    "applications",
    "application_events",
    "objections",
    "campaigns",
    "calls",
    "public_notices",
    "notice_entries",
    "audit_events",
  ];
  const existing = new Set(
    t.ctx.engine === "postgres"
      ? (
          await sql<{
            name: string;
          }>`select table_name as name from information_schema.tables where table_schema = 'public'`.execute(
            t.ctx.db,
          )
        ).rows.map((r) => r.name)
      : (
          await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(t.ctx.db)
        ).rows.map((r) => r.name),
  );
  const bad: string[] = [];
  const check = (where: string, v: unknown): void => {
    if (typeof v === "string") {
      if (/^[[{]/.test(v)) {
        try {
          check(where, JSON.parse(v));
          return;
        } catch {
          // Not JSON: checked as text below.
        }
      }
      if (hasForbiddenChars(v)) bad.push(`${where} = ${JSON.stringify(v.slice(0, 80))}`);
    } else if (Array.isArray(v)) {
      for (const [i, x] of v.entries()) check(`${where}[${i}]`, x);
    } else if (v && typeof v === "object" && !(v instanceof Date) && !Buffer.isBuffer(v))
      for (const [k, x] of Object.entries(v)) check(`${where}.${k}`, x);
  };
  for (const table of tables) {
    if (!existing.has(table)) continue;
    const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(t.ctx.db))
      .rows;
    for (const row of rows) for (const [col, v] of Object.entries(row)) check(`${table}.${col}`, v);
  }
  expect(existing.has("bases") && existing.has("users")).toBe(true);
  return bad;
}
