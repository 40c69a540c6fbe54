import fs from "node:fs";
import http, { type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import type { ServerBuild } from "react-router";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertBase } from "#src/modules/bases/bases-directory.fixtures.ts";
import { newId } from "#src/platform/ids.ts";
import { createApp } from "#src/server/app.server.ts";
import { theme } from "~/components/theme";
import { createUserRecord, TEST_PASSWORD } from "../support/factories.ts";
import { createTestContext, type TestContext } from "../support/test-db.ts";

// The HTTP boundary against the real server build: run `npm run build` first (the test script does).
const buildPath = path.resolve("build/server/index.js");
if (!fs.existsSync(buildPath)) throw new Error("build/server/index.js is missing: run `npm run build` first");

let t: TestContext;
let server: Server;
let base: string;

beforeAll(async () => {
  t = await createTestContext();
  const build = (await import(buildPath)) as ServerBuild;
  const app = createApp({ ctx: t.ctx, build, demo: () => false });
  server = app.listen(0);
  await new Promise((r) => server.once("listening", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.close();
  await t?.close();
});

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

async function login(username: string, password = TEST_PASSWORD) {
  return fetch(`${base}/login/staff`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: base },
    body: form({ username, password, redirectTo: "" }),
  });
}

describe("GET /healthz", () => {
  it("reports the engine after checking the database", async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", engine: t.ctx.engine, database: "ok" });
  });
});

describe("security headers", () => {
  it("sends a CSP with a per-request script nonce and the other baseline headers", async () => {
    const a = await fetch(`${base}/`);
    const b = await fetch(`${base}/`);
    const csp = a.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toBe(b.headers.get("content-security-policy"));
    expect(a.headers.get("x-content-type-options")).toBe("nosniff");
    expect(a.headers.get("x-powered-by")).toBeNull();
    const html = await a.text();
    expect(html).toContain("科普基地服务平台");
  });

  it("links the theme's stylesheet, served as CSS and cached by its content hash", async () => {
    const html = await (await fetch(`${base}/`)).text();
    const href = html.match(/<link rel="stylesheet" href="(\/theme\.css\?v=[0-9a-f]{12})">/)?.[1];
    expect(href).toBeDefined();
    const css = await fetch(`${base}${href}`);
    expect(css.status).toBe(200);
    expect(css.headers.get("content-type")).toContain("text/css");
    expect(css.headers.get("cache-control")).toContain("immutable");
    expect(await css.text()).toContain(`--ant-color-primary:${theme.token?.colorPrimary}`);
    const stale = await fetch(`${base}/theme.css?v=000000000000`);
    expect(stale.headers.get("cache-control")).not.toContain("immutable");
  });
});

/** A GET with exactly these headers (fetch would add Accept-Encoding). */
function rawGet(path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>(
    (resolve, reject) => {
      http
        .get(`${base}${path}`, { headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
          );
          res.on("error", reject);
        })
        .on("error", reject);
    },
  );
}

describe("response cache over HTTP", () => {
  const nonceOf = (csp: unknown) => /'nonce-([^']+)'/.exec(String(csp))?.[1] ?? "";
  // Headers that differ per response by nature, and the framing (a miss is streamed, a hit is not).
  const steady = (h: http.IncomingHttpHeaders) => {
    const {
      date: _d,
      "content-security-policy": _c,
      "x-kepu-cache": _x,
      "content-length": _l,
      "transfer-encoding": _t,
      ...rest
    } = h;
    return rest;
  };

  it("answers a hit with the miss's headers and body, its own nonce, compressed or not", async () => {
    const page = `/bases?page=1&t=${newId()}`;
    const miss = await rawGet(page);
    const hit = await rawGet(page);
    const again = await rawGet(page);
    expect([miss.status, hit.status, again.status]).toEqual([200, 200, 200]);
    expect([miss.headers["x-kepu-cache"], hit.headers["x-kepu-cache"]]).toEqual(["miss", "hit"]);
    expect(steady(hit.headers)).toEqual(steady(miss.headers));
    expect(hit.headers.vary).toBe("Accept-Encoding");
    expect(hit.headers["x-frame-options"]).toBe("DENY");
    const [n1, n2, n3] = [miss, hit, again].map((r) => nonceOf(r.headers["content-security-policy"]));
    expect(new Set([n1, n2, n3]).size).toBe(3);
    expect(hit.body.toString().replaceAll(n2, "N")).toBe(miss.body.toString().replaceAll(n1, "N"));
    expect(hit.body.toString()).toContain(`nonce="${n2}"`);
    expect(hit.headers["content-security-policy"]).toBe(
      String(miss.headers["content-security-policy"]).replace(n1, n2),
    );

    // A browser's request: the same page, compressed.
    const gz = await rawGet(page, { "accept-encoding": "gzip" });
    expect(gz.headers["x-kepu-cache"]).toBe("hit");
    expect(gz.headers["content-encoding"]).toBe("gzip");
    const n4 = nonceOf(gz.headers["content-security-policy"]);
    expect(gunzipSync(gz.body).toString().replaceAll(n4, "N")).toBe(miss.body.toString().replaceAll(n1, "N"));

    // Never for a request with a session cookie, nor one that asks to revalidate.
    const signedIn = await rawGet(page, { cookie: "kepu_session=whatever" });
    expect(signedIn.headers["x-kepu-cache"]).toBeUndefined();
    const fresh = await rawGet(page, { "cache-control": "no-cache" });
    expect(fresh.headers["x-kepu-cache"]).toBe("miss");
  });
});

describe("sessions over HTTP", () => {
  it("sets an HttpOnly SameSite=Lax cookie, a new one per login, and no-store on signed-in pages", async () => {
    const user = await createUserRecord(t.ctx, { role: "city" });
    const first = await login(user.login);
    expect(first.status).toBe(302);
    const cookie1 = first.headers.get("set-cookie") ?? "";
    expect(cookie1).toMatch(/^kepu_session=[^;]{40,};/);
    expect(cookie1).toContain("HttpOnly");
    expect(cookie1).toContain("SameSite=Lax");
    const second = await login(user.login);
    const cookie2 = second.headers.get("set-cookie") ?? "";
    expect(cookie2.split(";")[0]).not.toBe(cookie1.split(";")[0]);

    const page = await fetch(`${base}/workbench`, { headers: { cookie: cookie2.split(";")[0] } });
    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control")).toBe("no-store");
    expect(await page.text()).toContain("我的工作台");

    const anon = await fetch(`${base}/workbench`, { redirect: "manual" });
    expect(anon.status).toBe(302);
    expect(anon.headers.get("location")).toContain("/login?redirectTo=%2Fworkbench");
  });

  it("shows the header's unread mark from the count read with the session", async () => {
    const user = await createUserRecord(t.ctx, { role: "city" });
    const cookie = ((await login(user.login)).headers.get("set-cookie") ?? "").split(";")[0];
    // The dot on the account button (app-layout.tsx); the page may also carry the theme's badge CSS.
    const dot = async () =>
      (await (await fetch(`${base}/workbench`, { headers: { cookie } })).text()).includes(
        'class="ant-scroll-number ant-badge-dot"',
      );
    expect(await dot()).toBe(false);
    await t.ctx.db
      .insertInto("notifications")
      .values({
        id: newId(),
        user_id: user.id,
        kind: "k",
        title: "标题",
        body: "正文",
        link: null,
        created_at: t.ctx.clock.now().toISOString(),
        read_at: null,
      })
      .execute();
    expect(await dot()).toBe(true);
    await t.ctx.db
      .updateTable("notifications")
      .set({ read_at: "2026-01-01T00:00:00.000Z" })
      .where("user_id", "=", user.id)
      .execute();
    expect(await dot()).toBe(false);
  });

  it("logs out on the server: the old cookie no longer works", async () => {
    const user = await createUserRecord(t.ctx, { role: "city" });
    const cookie = ((await login(user.login)).headers.get("set-cookie") ?? "").split(";")[0];
    const out = await fetch(`${base}/logout`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie, origin: base },
    });
    expect(out.status).toBe(302);
    const after = await fetch(`${base}/workbench`, { redirect: "manual", headers: { cookie } });
    expect(after.status).toBe(302);
  });
});

describe("CSRF", () => {
  it("refuses a state-changing request from another origin, or with no origin at all", async () => {
    const user = await createUserRecord(t.ctx, { role: "city" });
    const evil = await fetch(`${base}/login/staff`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://evil.example" },
      body: form({ username: user.login, password: TEST_PASSWORD }),
    });
    expect(evil.status).toBe(403);
    expect(evil.headers.get("set-cookie")).toBeNull();
    const bare = await fetch(`${base}/login/staff`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form({ username: user.login, password: TEST_PASSWORD }),
    });
    expect(bare.status).toBe(403);
  });
});

describe("authorization at the route", () => {
  it("answers 403 for a role without the permission, and records the denial", async () => {
    const county = await createUserRecord(t.ctx, { role: "county" });
    const cookie = ((await login(county.login)).headers.get("set-cookie") ?? "").split(";")[0];
    const res = await fetch(`${base}/admin/audit`, { headers: { cookie } });
    expect(res.status).toBe(403);
    const denied = await t.ctx.db
      .selectFrom("audit_events")
      .selectAll()
      .where("actor_id", "=", county.id)
      .where("action", "=", "access.denied")
      .execute();
    expect(denied).toHaveLength(1);
  });

  it("answers 404 for another county's user record", async () => {
    const longyou = await createUserRecord(t.ctx, { role: "county", regionCode: "330825" });
    const jiangshan = await createUserRecord(t.ctx, { role: "org", regionCode: "330881" });
    const cookie = ((await login(longyou.login)).headers.get("set-cookie") ?? "").split(";")[0];
    const res = await fetch(`${base}/admin/users/${jiangshan.id}`, { headers: { cookie } });
    expect(res.status).toBe(404);
    const list = await (await fetch(`${base}/admin/users?region=330881`, { headers: { cookie } })).text();
    expect(list).not.toContain(jiangshan.login);
  });
});

describe("GET /admin/activity-stats", () => {
  it("shows the city every county's figures, a county only its own, and refuses an evaluator", async () => {
    const city = await createUserRecord(t.ctx, { role: "city" });
    const longyou = await createUserRecord(t.ctx, { role: "county", regionCode: "330825" });
    const evaluator = await createUserRecord(t.ctx, { role: "evaluator" });
    const inLongyou = await insertBase(t.ctx, {
      name: "统计页龙游科技馆科普教育基地",
      region_code: "330825",
    });
    const inKecheng = await insertBase(t.ctx, { name: "统计页柯城天文科普教育基地", region_code: "330802" });
    const now = new Date().toISOString();
    const activity = (baseId: string, region: string, participants: number | null) => ({
      id: newId(),
      base_id: baseId,
      region_code: region,
      name: "统计页测试活动",
      type: "lecture" as const,
      form: "offline" as const,
      starts_at: "2024-03-10T01:00:00.000Z",
      ends_at: "2024-03-10T03:00:00.000Z",
      start_month: "2024-03",
      fee: "free" as const,
      direction: "in" as const,
      report_status: participants === null ? ("none" as const) : ("accepted" as const),
      actual_participants: participants,
      created_by: city.id,
      created_at: now,
      updated_at: now,
    });
    await t.ctx.db
      .insertInto("activities")
      .values([
        activity(inLongyou, "330825", 100),
        activity(inLongyou, "330825", 20),
        activity(inLongyou, "330825", null),
        activity(inKecheng, "330802", 1000),
      ])
      .execute();
    const page = async (who: string) => {
      const cookie = ((await login(who)).headers.get("set-cookie") ?? "").split(";")[0];
      const res = await fetch(`${base}/admin/activity-stats?year=2024`, { headers: { cookie } });
      return { status: res.status, html: await res.text() };
    };
    const all = await page(city.login);
    expect(all.status).toBe(200);
    const figures = [...all.html.matchAll(/ant-statistic-content-value-int">([^<]+)</g)].map((m) => m[1]);
    expect(figures).toEqual(["4", "1,120", "3", "3"]);
    expect(all.html).toContain("统计页龙游科技馆科普教育基地");
    expect(all.html).toContain("统计页柯城天文科普教育基地");
    const own = await page(longyou.login);
    expect(own.status).toBe(200);
    expect([...own.html.matchAll(/ant-statistic-content-value-int">([^<]+)</g)].map((m) => m[1])).toEqual([
      "3",
      "120",
      "2",
      "2",
    ]);
    expect(own.html).toContain("统计页龙游科技馆科普教育基地");
    expect(own.html).not.toContain("统计页柯城天文科普教育基地");
    expect((await page(evaluator.login)).status).toBe(403);
  });
});

describe("a flood of cross-origin posts", () => {
  it("is refused every time, yet adds at most one audit row for the source and window, counting the rest", async () => {
    const csrfRows = async () =>
      (
        await t.ctx.db.selectFrom("audit_events").selectAll().where("action", "=", "access.denied").execute()
      ).filter((r) => r.detail?.includes("csrf_origin")).length;
    const before = await csrfRows();
    const statuses = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        fetch(`${base}/${"x".repeat(500)}/${i}`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://evil.example" },
          body: "username=a&password=b",
        }).then((r) => r.status),
      ),
    );
    expect(statuses.every((s) => s === 403)).toBe(true);
    expect(await csrfRows()).toBeLessThanOrEqual(before + 1);
    const counters = await t.ctx.db.selectFrom("audit_denials").selectAll().execute();
    const counted = counters.filter((c) => c.key.includes("access.denied")).reduce((a, c) => a + c.count, 0);
    expect(counted).toBeGreaterThanOrEqual(60);
    const stored = (
      await t.ctx.db.selectFrom("audit_events").selectAll().where("action", "=", "access.denied").execute()
    )
      .filter((r) => r.detail?.includes("csrf_origin"))
      .map((r) => JSON.parse(r.detail!).path as string);
    expect(stored.every((p) => p.length <= 200)).toBe(true);
  });
});
