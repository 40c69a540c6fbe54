import http, { type Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestContext, type TestContext } from "../../../tests/support/test-db.ts";
import { bumpGeneration } from "../cache/generations.server.ts";
import { newId } from "../ids.ts";
import { ELDER_MODE_COOKIE, parseCookies } from "./cookies.ts";
import { responseCache } from "./response-cache.ts";
import { securityHeaders } from "./security.server.ts";
import {
  type RenderBroker,
  RenderBrokerState,
  type Reply,
  type SharedPage,
} from "./shared-renders.server.ts";

const ID = "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";

let t: TestContext;
let server: Server;
let base: string;
let renders = 0;
let demo = false;

/** The real middleware order: security headers (nonce), session lookup, the cache, then the page. */
beforeAll(async () => {
  t = await createTestContext();
  const app = express();
  app.use(securityHeaders(t.config, { dev: false }));
  app.use((req, res, next) => {
    const token = parseCookies(req.headers.cookie).kepu_session;
    res.locals.user = token === "valid" ? { id: "u1", role: "city", displayName: "王五" } : null;
    next();
  });
  app.use(
    responseCache({
      ctx: t.ctx,
      demo: () => demo,
      sessionCookie: "kepu_session",
      varyCookies: [ELDER_MODE_COOKIE],
    }),
  );
  app.get("/{*splat}", async (req, res) => {
    renders++;
    if (req.query.slow) await new Promise((r) => setTimeout(r, 100));
    const who = res.locals.user ? `<p>${res.locals.user.displayName}</p>` : "";
    const elder = parseCookies(req.headers.cookie)[ELDER_MODE_COOKIE] === "1" ? "长辈模式" : "";
    if (req.query.cookie) res.setHeader("Set-Cookie", "flash=1; Path=/");
    if (req.query.status) res.status(Number(req.query.status));
    res.type("html");
    res.write(`<html><head><script nonce="${res.locals.nonce}">1</script></head>`);
    res.end(
      `<body>render ${renders}${who}${elder}${demo ? "演示数据" : ""}<i data-n="${res.locals.nonce}"></i></body></html>`,
    );
  });
  server = app.listen(0);
  await new Promise((r) => server.once("listening", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.close();
  await t?.close();
});

async function get(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(base + path, { headers });
  const body = await res.text();
  const csp = res.headers.get("content-security-policy") ?? "";
  return {
    status: res.status,
    cache: res.headers.get("x-kepu-cache"),
    body,
    cspNonce: /'nonce-([^']+)'/.exec(csp)?.[1],
    bodyNonces: [...body.matchAll(/nonce="([^"]+)"|data-n="([^"]+)"/g)].map((m) => m[1] ?? m[2]),
    setCookie: res.headers.get("set-cookie"),
    contentType: res.headers.get("content-type"),
  };
}

describe("response cache", () => {
  it("serves a hit after a miss, with a fresh nonce that the CSP header names", async () => {
    const a = await get("/bases?page=1");
    const b = await get("/bases?page=1");
    const c = await get("/bases?page=1");
    expect([a.cache, b.cache, c.cache]).toEqual(["miss", "hit", "hit"]);
    expect(b.body.replaceAll(b.cspNonce!, "N")).toBe(a.body.replaceAll(a.cspNonce!, "N"));
    expect(b.contentType).toContain("text/html");
    for (const r of [a, b, c]) {
      expect(r.bodyNonces).toEqual([r.cspNonce, r.cspNonce]);
      expect(r.cspNonce).toMatch(/^[A-Za-z0-9+/=]{24}$/);
    }
    expect(new Set([a.cspNonce, b.cspNonce, c.cspNonce]).size).toBe(3);
  });

  it("renders a page once for concurrent first views; the others wait and get it with their own nonce", async () => {
    const before = renders;
    const answers = await Promise.all(Array.from({ length: 5 }, () => get(`/bases/${ID}?slow=1`)));
    expect(renders - before).toBe(1);
    expect(answers.map((a) => a.cache).sort()).toEqual(["hit", "hit", "hit", "hit", "miss"]);
    for (const a of answers) {
      expect(a.status).toBe(200);
      expect(a.bodyNonces).toEqual([a.cspNonce, a.cspNonce]);
    }
    expect(new Set(answers.map((a) => a.cspNonce)).size).toBe(5);
  });

  it("renders again once a generation moves", async () => {
    const a = await get(`/bases/${ID}`);
    expect((await get(`/bases/${ID}`)).cache).toBe("hit");
    for (const key of ["bases", "notices", "activities", "applications"] as const) {
      await bumpGeneration(t.ctx.db, key);
      const after = await get(`/bases/${ID}`);
      expect(after.cache, key).toBe("miss");
      expect(after.body).not.toBe(a.body);
      expect((await get(`/bases/${ID}`)).cache).toBe("hit");
    }
  });

  it("never serves or stores a signed-in request, nor one carrying a session cookie", async () => {
    await get("/special");
    expect((await get("/special")).cache).toBe("hit");
    const signedIn = await get("/special", { cookie: "kepu_session=valid" });
    expect(signedIn.cache).toBeNull();
    expect(signedIn.body).toContain("王五");
    const stale = await get("/special", { cookie: "kepu_session=expired" });
    expect(stale.cache).toBeNull();
    const anon = await get("/special");
    expect(anon.cache).toBe("hit");
    expect(anon.body).not.toContain("王五");
    // A first visit by a signed-in user does not fill the cache for the anonymous.
    await get("/notices", { cookie: "kepu_session=valid" });
    expect((await get("/notices")).cache).toBe("miss");
  });

  it("keeps no response that sets a cookie, nor any status but 200", async () => {
    expect((await get("/projects?cookie=1")).setCookie).toContain("flash=1");
    const again = await get("/projects?cookie=1");
    expect(again.cache).toBe("miss");
    expect(again.setCookie).toContain("flash=1");
    await get("/projects?status=404");
    expect((await get("/projects?status=404")).cache).toBe("miss");
  });

  it("bypasses the lookup for Cache-Control: no-cache, and keys on the demo banner", async () => {
    await get("/projects/calls");
    expect((await get("/projects/calls")).cache).toBe("hit");
    const forced = await get("/projects/calls", { "cache-control": "no-cache" });
    expect(forced.cache).toBe("miss");
    demo = true;
    const withBanner = await get("/projects/calls");
    expect(withBanner.cache).toBe("miss");
    expect(withBanner.body).toContain("演示数据");
    demo = false;
    expect((await get("/projects/calls")).body).not.toContain("演示数据");
  });

  it("keys on the 长辈模式 cookie: a page drawn large is never served to a normal browser, nor the reverse", async () => {
    const elder = { cookie: `${ELDER_MODE_COOKIE}=1` };
    const normal1 = await get("/special?mode=1");
    const large1 = await get("/special?mode=1", elder);
    expect([normal1.cache, large1.cache]).toEqual(["miss", "miss"]);
    expect(large1.body).toContain("长辈模式");
    const normal2 = await get("/special?mode=1", { cookie: "other=1" });
    const large2 = await get("/special?mode=1", elder);
    expect([normal2.cache, large2.cache]).toEqual(["hit", "hit"]);
    expect(normal2.body).not.toContain("长辈模式");
    expect(large2.body).toContain("长辈模式");
  });

  it("leaves other paths and methods alone", async () => {
    expect((await get("/login")).cache).toBeNull();
    expect((await get("/notices/objection-status")).cache).toBeNull();
    const posted = await fetch(`${base}/bases`, { method: "POST" });
    expect(posted.headers.get("x-kepu-cache")).toBeNull();
  });
});

describe("response cache: changes scoped to one base", () => {
  let a: string;
  let b: string;
  let c: string;
  const normalized = (r: Awaited<ReturnType<typeof get>>) => r.body.replaceAll(r.cspNonce!, "N");

  /** Views `path` until it is kept, and answers the kept page. */
  async function cached(path: string) {
    const first = await get(path);
    const again = await get(path);
    expect(again.cache, path).toBe("hit");
    expect(normalized(again)).toBe(normalized(first));
    return again;
  }

  // Scopes are ids; the stand-in page never reads the base, so none needs to exist.
  beforeAll(() => {
    a = newId();
    b = newId();
    c = newId();
  });

  it("keeps the pages of other bases across a change to one base, and retires that base's page and the lists", async () => {
    const pages = [
      `/bases/${b}`,
      `/bases/${b}/activities`,
      `/bases/${b}.data`,
      `/bases/${b}/activities.data`,
    ];
    const kept = new Map<string, string>();
    for (const p of pages) kept.set(p, normalized(await cached(p)));
    await cached(`/bases/${a}`);
    await cached("/bases");
    await cached("/bases?page=2");
    await cached("/bases.data");

    await bumpGeneration(t.ctx.db, "bases", [a]);
    const before = renders;
    for (const p of pages) {
      const r = await get(p);
      expect(r.cache, p).toBe("hit");
      expect(normalized(r), p).toBe(kept.get(p));
      expect(r.bodyNonces).toEqual([r.cspNonce, r.cspNonce]);
    }
    expect(renders).toBe(before);
    expect((await get(`/bases/${a}`)).cache).toBe("miss");
    for (const p of ["/bases", "/bases?page=2", "/bases.data"]) expect((await get(p)).cache, p).toBe("miss");
    expect(renders - before).toBe(4);

    // Several changes, each to other bases (one naming two), keep it too.
    await bumpGeneration(t.ctx.db, "bases", [c]);
    await bumpGeneration(t.ctx.db, "bases", [a, c]);
    await bumpGeneration(t.ctx.db, "bases", [a]);
    const r = await get(`/bases/${b}`);
    expect(r.cache).toBe("hit");
    expect(normalized(r)).toBe(kept.get(`/bases/${b}`));
    expect((await get(`/bases/${a}`)).cache).toBe("miss");
  });

  it("retires the page on a change scoped to its base, whatever the case of the id in the URL", async () => {
    const upper = `/bases/${b.toUpperCase()}`;
    await cached(`/bases/${b}`);
    await cached(`/bases/${b}/activities`);
    await cached(upper);
    await cached(`/bases/${a}`);
    await bumpGeneration(t.ctx.db, "bases", [c, b]);
    expect((await get(`/bases/${b}`)).cache).toBe("miss");
    expect((await get(`/bases/${b}/activities`)).cache).toBe("miss");
    expect((await get(upper)).cache).toBe("miss");
    expect((await get(`/bases/${a}`)).cache).toBe("hit");
  });

  it("retires the page on an unscoped bases change", async () => {
    await cached(`/bases/${b}`);
    await bumpGeneration(t.ctx.db, "bases");
    expect((await get(`/bases/${b}`)).cache).toBe("miss");
    expect((await get(`/bases/${b}`)).cache).toBe("hit");
  });

  it("retires the page when an unscoped change lies between scoped ones", async () => {
    await cached(`/bases/${b}`);
    await bumpGeneration(t.ctx.db, "bases", [a]);
    await bumpGeneration(t.ctx.db, "bases");
    await bumpGeneration(t.ctx.db, "bases", [a]);
    expect((await get(`/bases/${b}`)).cache).toBe("miss");
  });

  it("retires the page when another generation moves, alone or with a change to another base", async () => {
    for (const key of ["notices", "activities", "applications"] as const) {
      await cached(`/bases/${b}`);
      await bumpGeneration(t.ctx.db, key);
      expect((await get(`/bases/${b}`)).cache, key).toBe("miss");
    }
    await cached(`/bases/${b}`);
    await bumpGeneration(t.ctx.db, "bases", [a]);
    await bumpGeneration(t.ctx.db, "notices");
    expect((await get(`/bases/${b}`)).cache).toBe("miss");
  });

  it("keeps nothing but one-base pages across a scoped change", async () => {
    for (const p of ["/", "/notices", "/activities", "/special"]) await cached(p);
    await bumpGeneration(t.ctx.db, "bases", [a]);
    for (const p of ["/", "/notices", "/activities", "/special"])
      expect((await get(p)).cache, p).toBe("miss");
  });
});

describe("response cache across worker processes", () => {
  // Two apps with their own caches, as two workers, sharing the primary's broker state through an
  // in-process channel that copies pages the way IPC does (a Buffer arrives as a plain Uint8Array).
  let shared = 0;
  const servers: Server[] = [];
  const bases: string[] = [];

  function channel(): RenderBroker[] {
    const state = new RenderBrokerState();
    const waiting = new Map<string, (page: SharedPage | null) => void>();
    let lastId = 0;
    const deliver = (replies: Reply[]) => {
      for (const r of replies)
        setImmediate(() => {
          const k = `${r.worker}:${r.message.id}`;
          const resolve = waiting.get(k);
          waiting.delete(k);
          resolve?.(r.message.kepu === "render-page" ? structuredClone(r.message.page) : null);
        });
    };
    return [1, 2].map((worker) => ({
      claim: (flight) =>
        new Promise((resolve) => {
          const id = ++lastId;
          waiting.set(`${worker}:${id}`, resolve);
          deliver(state.claim(worker, id, flight));
        }),
      done: (flight, page) => deliver(state.done(worker, flight, page && structuredClone(page))),
    }));
  }

  beforeAll(async () => {
    for (const broker of channel()) {
      const app = express();
      app.use(securityHeaders(t.config, { dev: false }));
      app.use(responseCache({ ctx: t.ctx, demo: () => false, sessionCookie: "kepu_session", broker }));
      app.get("/{*splat}", async (req, res) => {
        shared++;
        await new Promise((r) => setTimeout(r, 50));
        if (req.query.status) res.status(Number(req.query.status));
        res.type("html").end(`<html><script nonce="${res.locals.nonce}"></script>render ${shared}</html>`);
      });
      const server = app.listen(0);
      await new Promise((r) => server.once("listening", r));
      servers.push(server);
      bases.push(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    }
  });
  afterAll(() => {
    for (const s of servers) s.close();
  });

  const fetchFrom = async (worker: number, path: string) => {
    const res = await fetch(bases[worker] + path);
    const body = await res.text();
    const csp = res.headers.get("content-security-policy") ?? "";
    return { cache: res.headers.get("x-kepu-cache"), body, cspNonce: /'nonce-([^']+)'/.exec(csp)?.[1] };
  };

  it("renders a page once for both workers after a change, each answer with its own nonce", async () => {
    await bumpGeneration(t.ctx.db, "bases");
    const before = shared;
    const [a, b, c] = await Promise.all([
      fetchFrom(0, "/notices"),
      fetchFrom(1, "/notices"),
      fetchFrom(1, "/notices"),
    ]);
    expect(shared - before).toBe(1);
    expect(new Set([a, b, c].map((r) => r.body.replace(r.cspNonce!, "N"))).size).toBe(1);
    for (const r of [a, b, c]) expect(r.body).toContain(`nonce="${r.cspNonce}"`);
    expect([a, b, c].filter((r) => r.cache === "miss")).toHaveLength(1);
    // A worker that asks later gets the kept page; the next change renders once more.
    expect((await fetchFrom(0, "/notices")).cache).toBe("hit");
    expect((await fetchFrom(1, "/notices")).cache).toBe("hit");
    expect(shared - before).toBe(1);
    await bumpGeneration(t.ctx.db, "notices");
    await Promise.all([fetchFrom(0, "/notices"), fetchFrom(1, "/notices")]);
    expect(shared - before).toBe(2);
  });

  it("lets each worker render a page that could not be kept", async () => {
    const before = shared;
    const answers = await Promise.all([
      fetchFrom(0, "/projects?status=500"),
      fetchFrom(1, "/projects?status=500"),
    ]);
    expect(answers.map((r) => r.cache)).toEqual(["miss", "miss"]);
    expect(shared - before).toBe(2);
  });
});

describe("response cache: a visitor who leaves while the render is claimed", () => {
  it("still reports the render, so other workers and the hit gates do not wait for it", async () => {
    let answer: (page: SharedPage | null) => void = () => {};
    let claimed = 0;
    const done: Array<[string, SharedPage | null]> = [];
    const broker: RenderBroker = {
      claim: () => {
        claimed++;
        return new Promise((resolve) => {
          answer = resolve;
        });
      },
      done: (flight, page) => done.push([flight, page]),
    };
    const app = express();
    app.use(securityHeaders(t.config, { dev: false }));
    const cache = responseCache({ ctx: t.ctx, demo: () => false, sessionCookie: "kepu_session", broker });
    app.use(cache);
    app.get("/{*splat}", (_req, res) => {
      res.type("html").end("<html>page</html>");
    });
    const s = app.listen(0);
    await new Promise((r) => s.once("listening", r));
    try {
      const { port } = s.address() as AddressInfo;
      const req = http.get({ host: "127.0.0.1", port, path: "/projects" });
      req.on("error", () => {});
      await vi.waitFor(() => expect(claimed).toBe(1));
      req.destroy();
      await new Promise((r) => setTimeout(r, 50));
      answer(null);
      await vi.waitFor(() => expect(done).toHaveLength(1));
      expect(done[0][0]).toMatch(/ real \/projects$/);
      expect(done[0][1]).toBeNull();
      expect(cache.gate.rendering).toBe(0);
    } finally {
      s.close();
    }
  });
});
