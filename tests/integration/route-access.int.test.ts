import fs from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { ServerBuild } from "react-router";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { can, PERMISSION_NAMES, type Permission } from "#src/modules/accounts/accounts.policy.ts";
import { currentTotp } from "#src/modules/accounts/two-factor.rules.ts";
import { DEMO_TOTP_SECRET } from "#src/modules/demo/seed-demo.server.ts";
import type { SessionUser } from "#src/platform/context.ts";
import type { Role } from "#src/platform/db/schema.ts";
import { createApp } from "#src/server/app.server.ts";
import { ACTION_ACCESS, ROUTE_ACCESS, type RouteAccess } from "../../app/route-access.ts";
import routes from "../../app/routes.ts";
import { createTestContext, type TestContext } from "../support/test-db.ts";
import {
  type AccessFixture,
  PRINCIPALS,
  type Principal,
  type RecordIds,
  type Side,
  seedAccessFixture,
} from "./route-access.fixtures.ts";

// Every route of app/routes.ts × every role × a record of the own and of another county or org.
const buildPath = path.resolve("build/server/index.js");
if (!fs.existsSync(buildPath)) throw new Error("build/server/index.js is missing: run `npm run build` first");

type Outcome = "ok" | "login" | "forbidden" | "missing" | `to:${string}` | `status:${number}`;

/** Route patterns of the route table, flattened. */
function routePatterns(): string[] {
  const out: string[] = [];
  const walk = (entries: readonly { path?: string; index?: boolean; children?: unknown }[]) => {
    for (const e of entries) {
      out.push(e.index ? "" : (e.path ?? ""));
      if (Array.isArray(e.children)) walk(e.children);
    }
  };
  walk(routes as never);
  return out;
}

/** Which record a route's parameter names. */
const RECORD_OF: Record<string, keyof RecordIds> = {
  "applications/:id": "application",
  "applications/:id/edit": "application",
  "applications/:id/autosave": "application",
  "applications/:id/attachments.zip": "application",
  "applications/:id/pdf": "application",
  "files/:id": "applicationFile",
  "bases/:id": "base",
  "bases/:id/qr.svg": "base",
  "bases/:id/certificate.pdf": "base",
  "admin/bases/:id": "base",
  "admin/bases/:id/claim-code": "base",
  "admin/bases/:id/claim-letter.pdf": "base",
  "bases/:id/activities": "base",
  "bases/:id/activities.ics": "base",
  "bases/:id/activities/new": "base",
  "admin/changes/:id": "changeReport",
  "notices/:id": "notice",
  "notices/:id/objection": "notice",
  "notices/:id/naming.pdf": "namingNotice",
  "admin/notices/:id": "notice",
  "activities/:id": "activity",
  "activities/:id/edit": "activity",
  "admin/activity-reports/:id": "activity",
  "admin/campaigns/:id": "campaign",
  "admin/users/:userId": "user",
  "admin/calls/:callId": "call",
  "projects/calls/:callId": "call",
  "my-base/volunteers/activities/:id": "activity",
  "my-base/volunteers/:id": "volunteer",
  "my-base/volunteers/:id/certificate.pdf": "volunteer",
  "special/schools/:id": "schoolItem",
  "my-base/school-items/:id": "schoolItem",
  "special/schools/:id/order": "schoolItem",
  "school-orders/:id": "schoolOrder",
  "articles/:id": "article",
  "my-articles/:id": "article",
  "my-articles/:id/autosave": "article",
  "admin/articles/:id": "article",
  "admin/warnings/:id": "warning",
  "my-base/rectification/:id": "warning",
  "admin/warnings/new": "base",
};

/** Routes outside app/routes.ts that name a record too: the files module's download. */
const EXPRESS_ROUTES: Record<string, RouteAccess> = { "files/:id": "signed-in" };

/** Query strings a route needs to reach its records. */
const QUERY_OF: Record<string, (ids: RecordIds) => string> = {
  "review/export.xlsx": (ids) => `?call=${ids.call}`,
  "review/attachments.zip": (ids) => `?call=${ids.call}`,
  "admin/warnings/new": (ids) => `?base=${ids.base}`,
};

/** Routes that answer only a POST (a GET is refused before any record is read). */
const POST_ONLY = new Set([
  "applications/:id/autosave",
  "my-articles/:id/autosave",
  "my-base/rectification/:id/autosave",
  "my-base/evaluation/:id/autosave",
  "logout",
  "elder-mode",
  "admin/bases/:id/claim-letter.pdf",
]);

const ROLE_OF: Record<Exclude<Principal, "anon">, Role> = {
  orgApplicant: "org",
  orgBase: "org",
  orgStranger: "org",
  countyOwn: "county",
  countyOther: "county",
  city: "city",
  office: "office",
  evaluator: "evaluator",
  admin: "admin",
  school: "school",
};
const asUser = (p: Exclude<Principal, "anon">): SessionUser => ({
  id: p,
  role: ROLE_OF[p],
  displayName: p,
  login: p,
  regionCode: "",
  mustChangePassword: false,
});

/** Records an organization holds (the rest it can never reach), and the staff permission that reaches them in scope. */
const RECORD_RULES: Partial<
  Record<
    keyof RecordIds,
    {
      owner: Principal | null;
      staff: Permission | null;
      cityLevel?: boolean;
      /** The school principal holds the own side's record (its own 点单). */
      school?: boolean;
    }
  >
> = {
  application: { owner: "orgApplicant", staff: "applications:review" },
  applicationFile: { owner: "orgApplicant", staff: "applications:review" },
  base: { owner: "orgBase", staff: "bases:read" },
  activity: { owner: "orgBase", staff: "activities:announce" },
  changeReport: { owner: null, staff: "bases:manage" },
  user: { owner: null, staff: "users:read" },
  volunteer: { owner: "orgBase", staff: null },
  // The demo's call and notices are the city's: a county manages only its own county-level ones (第十九条).
  call: { owner: null, staff: "calls:manage", cityLevel: true },
  notice: { owner: null, staff: "notices:manage", cityLevel: true },
  schoolItem: { owner: "orgBase", staff: null },
  schoolOrder: { owner: "orgBase", staff: "school-orders:dispatch", school: true },
  // A base's article: its own org edits it; staff moderate it in scope (and are no authors of it).
  article: { owner: "orgBase", staff: "articles:review" },
  warning: { owner: "orgBase", staff: "warnings:read" },
};

/** County staff reach their own county's records; city-level staff reach all of the city's. */
const inScope = (p: Principal, side: Side) =>
  p === "countyOwn" ? side === "own" : p === "countyOther" ? side === "other" : true;

/** What the route table and the policy map say the answer must be. */
function expected(access: RouteAccess, pattern: string, p: Principal, side: Side): Outcome {
  if (access === "guest") return p === "anon" ? "ok" : "to:/workbench";
  if (access === "public") return "ok";
  if (p === "anon") return "login";
  const user = asUser(p);
  if (access !== "signed-in" && !can(user, access)) return "forbidden";
  const rule = RECORD_RULES[RECORD_OF[pattern]];
  if (!rule) return "ok";
  if (user.role === "org") return rule.owner === p && side === "own" ? "ok" : "missing";
  if (user.role === "school") return rule.school && side === "own" ? "ok" : "missing";
  if (rule.cityLevel && user.role === "county") return "missing";
  return rule.staff && can(user, rule.staff) && inScope(p, side) ? "ok" : "missing";
}

const orgWithoutBase = (p: Principal) => p === "orgApplicant" || p === "orgStranger";

/** Answers that differ from the plain rule on purpose, with the reason. */
const EXCEPTIONS: Record<string, (p: Principal, side: Side) => Outcome | undefined> = {
  // The catch-all is the 404 page itself.
  // The files module answers an anonymous download 401 (no redirect: downloads are not pages).
  "files/:id": (p) => (p === "anon" ? "status:401" : undefined),
  // Only a password-only (pending) session is asked for a code: everyone else is sent on.
  // Organizations and schools have no second factor: the page is for staff only.
  "account/two-factor": (p) =>
    p !== "anon" && (ROLE_OF[p] === "org" || ROLE_OF[p] === "school") ? "forbidden" : undefined,
  "login/two-factor": (p) => (p === "anon" ? "ok" : "to:/workbench"),
  "*": () => "missing",
  // Staff have no applications of their own: their list is the review queue.
  applications: (p) => (p !== "anon" && !ROLE_OF[p].startsWith("org") ? "to:/review" : undefined),
  // Once submitted, the form is read-only: its owner is shown the application instead.
  "applications/:id/edit": (p, side) =>
    p === "orgApplicant" && side === "own" ? "to:/applications/:id" : undefined,
  // The certificate is offered on the base's public page: anyone else gets the same 404.
  "bases/:id/certificate.pdf": (p) => (p === "anon" ? "missing" : undefined),
  // An org without a base is sent to 我的基地, which says how to get one.
  "my-base/changes/new": (p) => (orgWithoutBase(p) ? "to:/my-base" : undefined),
  "my-base/volunteers": (p) => (orgWithoutBase(p) ? "to:/my-base" : undefined),
  "my-base/volunteers/team": (p) => (orgWithoutBase(p) ? "to:/my-base" : undefined),
  "my-base/volunteers/new": (p) => (orgWithoutBase(p) ? "to:/my-base" : undefined),
  "my-base/volunteers/import": (p) => (orgWithoutBase(p) ? "to:/my-base" : undefined),
  "my-base/volunteers/template.xlsx": (p) => (orgWithoutBase(p) ? "to:/my-base" : undefined),
  "my-base/volunteers/roster.xlsx": (p) => (orgWithoutBase(p) ? "to:/my-base" : undefined),
  "my-base/volunteers/hours.xlsx": (p) => (orgWithoutBase(p) ? "to:/my-base" : undefined),
  "my-base/evaluation": (p) => (orgWithoutBase(p) ? "to:/my-base" : undefined),
  // The fixture holds no evaluation round: a round or entry it names is a 404 to whoever may open the page.
  "admin/evaluation/:id": (p) => (p !== "anon" && can(asUser(p), "evaluation:read") ? "missing" : undefined),
  "admin/evaluation/:id/scores.xlsx": (p) =>
    p !== "anon" && can(asUser(p), "evaluation:read") ? "missing" : undefined,
  "admin/evaluation/:id/subsidies.xlsx": (p) =>
    p !== "anon" && can(asUser(p), "evaluation:manage") ? "missing" : undefined,
  "admin/evaluation/entries/:id": (p) =>
    p !== "anon" && can(asUser(p), "evaluation:read") ? "missing" : undefined,
  "evaluation/entries/:id/evidence": (p) => (p !== "anon" ? "missing" : undefined),
  "evaluation/entries/:id/report.pdf": (p) => (p !== "anon" ? "missing" : undefined),
  "scoring/:id": (p) => (p !== "anon" ? "missing" : undefined),
  "my-base/school-items": (p) => (orgWithoutBase(p) ? "to:/my-base" : undefined),
  "my-base/school-items/new": (p) => (orgWithoutBase(p) ? "to:/my-base" : undefined),
  "my-base/school-items/:id": (p) => (orgWithoutBase(p) ? "to:/my-base" : undefined),
  "my-base/school-orders": (p) => (orgWithoutBase(p) ? "to:/my-base" : undefined),
  "my-articles": (p) => (orgWithoutBase(p) ? "to:/my-base" : undefined),
  // Staff write articles of their own, never a base's: the base's article is a 404 to them.
  "my-articles/:id": (p) =>
    orgWithoutBase(p)
      ? "to:/my-base"
      : p !== "anon" && ROLE_OF[p] !== "org" && can(asUser(p), "articles:write")
        ? "missing"
        : undefined,
  // Any approved item is public: the order form opens for a school and says whether the item serves
  // its county; placing the order is refused there when it does not (school-orders.int.test).
  "special/schools/:id/order": (p) => (p === "school" ? "ok" : undefined),
  // The form asks whoever announces to confirm the base's USCC (【确定】): it holds only public data.
  "bases/:id/activities/new": (p) =>
    p !== "anon" && can(asUser(p), "activities:announce") ? "ok" : undefined,
};

let t: TestContext;
let server: Server;
let base: string;
let fx: AccessFixture;
const cookies = new Map<Principal, string>();

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** The answer reduced to what an authorization check decides; a single-fetch redirect is a 202 whose body names the target. */
async function outcomeOf(res: Response): Promise<Outcome> {
  const s = res.status;
  let to = s >= 300 && s < 400 ? res.headers.get("location") : null;
  if (s === 202 && res.headers.get("x-remix-response")) {
    const body = await res.text();
    if (body.startsWith('[["SingleFetchRedirect"')) to = /"redirect","([^"]*)"/.exec(body)?.[1] ?? "?";
  } else await res.body?.cancel();
  if (to) return to.startsWith("/login") ? "login" : `to:${to.split("?")[0].replace(UUID, ":id")}`;
  if (s >= 200 && s < 300) return "ok";
  if (s === 403) return "forbidden";
  if (s === 404) return "missing";
  return `status:${s}`;
}

async function signIn(p: Exclude<Principal, "anon">): Promise<string> {
  const { kind, login, password } = fx.logins[p];
  const res = await fetch(`${base}/login/${kind}`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: base },
    body: new URLSearchParams(kind === "org" ? { uscc: login, password } : { username: login, password }),
  });
  const cookie = res.headers.get("set-cookie")?.split(";")[0];
  if (res.status !== 302 || !cookie) throw new Error(`${p} could not sign in: ${res.status}`);
  if (!res.headers.get("location")?.startsWith("/login/two-factor")) return cookie;
  // The demo admin and office pass the second factor with the demo's public secret.
  const second = await fetch(`${base}/login/two-factor`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: base, cookie },
    body: new URLSearchParams({ code: currentTotp(DEMO_TOTP_SECRET, Date.now()) }),
  });
  const full = second.headers.get("set-cookie")?.split(";")[0];
  if (second.status !== 302 || !full)
    throw new Error(`${p} could not pass the second factor: ${second.status}`);
  return full;
}

beforeAll(async () => {
  t = await createTestContext();
  fx = await seedAccessFixture(t.ctx);
  const build = (await import(buildPath)) as ServerBuild;
  const app = createApp({
    ctx: { ...t.ctx, config: { ...t.ctx.config, responseCache: false } },
    build,
    demo: () => true,
  });
  server = app.listen(0);
  await new Promise((r) => server.once("listening", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  for (const p of PRINCIPALS) if (p !== "anon") cookies.set(p, await signIn(p));
}, 120_000);
afterAll(async () => {
  server?.close();
  await t?.close();
});

function urlOf(pattern: string, side: Side): string {
  const ids = fx.records[side];
  const record = RECORD_OF[pattern];
  const path = `/${pattern}`
    .replace(/:[A-Za-z]+/, () => (record ? ids[record] : "x"))
    .replace("*", "no-such-page");
  return path + (QUERY_OF[pattern]?.(ids) ?? "");
}

/** Page routes also answer React Router's single fetch (`<path>.data`) from the same loader. */
const isPage = (pattern: string) => !/\.|\/pdf$|autosave|^files\//.test(pattern) && pattern !== "*";

async function probe(url: string, p: Principal): Promise<Outcome> {
  const headers: Record<string, string> = {};
  if (p !== "anon") headers.cookie = cookies.get(p)!;
  return outcomeOf(await fetch(`${base}${url}`, { redirect: "manual", headers }));
}

describe("the route table and the policy", () => {
  it("names every route of app/routes.ts, and only those", () => {
    const patterns = routePatterns();
    expect(patterns.filter((p) => !(p in ROUTE_ACCESS))).toEqual([]);
    expect(Object.keys(ROUTE_ACCESS).filter((p) => !patterns.includes(p))).toEqual([]);
  });

  it("uses only permissions of the policy map, and every permission guards a route", () => {
    const used = new Set<string>([...Object.values(ROUTE_ACCESS), ...Object.values(ACTION_ACCESS).flat()]);
    expect(Object.keys(ACTION_ACCESS).filter((p) => !(p in ROUTE_ACCESS))).toEqual([]);
    for (const a of used)
      if (a !== "public" && a !== "guest" && a !== "signed-in") expect(PERMISSION_NAMES).toContain(a);
    expect(PERMISSION_NAMES.filter((p) => !used.has(p))).toEqual([]);
  });
});

describe("every route × every role × own and other records", () => {
  it("answers each as the table says, as a page and as single-fetch data", async () => {
    const table = { ...ROUTE_ACCESS, ...EXPRESS_ROUTES };
    const mismatches: string[] = [];
    for (const [pattern, access] of Object.entries(table)) {
      if (POST_ONLY.has(pattern)) continue;
      const sides: Side[] = RECORD_OF[pattern] ? ["own", "other"] : ["own"];
      for (const side of sides) {
        const url = urlOf(pattern, side);
        await Promise.all(
          PRINCIPALS.map(async (p) => {
            const want = EXCEPTIONS[pattern]?.(p, side) ?? expected(access, pattern, p, side);
            const page = await probe(url, p);
            if (page !== want) mismatches.push(`${pattern} [${side}] ${p}: page ${page}, table ${want}`);
            if (!isPage(pattern)) return;
            const [path, query] = url.split("?");
            const dataUrl = `${path === "/" ? "/_root" : path}.data${query ? `?${query}` : ""}`;
            const data = await probe(dataUrl, p);
            if (data !== want) mismatches.push(`${pattern} [${side}] ${p}: data ${data}, table ${want}`);
          }),
        );
      }
    }
    expect(mismatches.sort()).toEqual([]);
  }, 600_000);

  it("gives the evaluator 404 on an application, its files, PDF and ZIP, and 403 on the review export", async () => {
    const ids = fx.records.own;
    for (const url of [
      `/applications/${ids.application}`,
      `/applications/${ids.application}.data`,
      `/applications/${ids.application}/pdf`,
      `/applications/${ids.application}/attachments.zip`,
      `/files/${ids.applicationFile}`,
    ]) {
      expect([url, await probe(url, "evaluator")]).toEqual([url, "missing"]);
    }
    expect(await probe(`/review/export.xlsx?call=${ids.call}`, "evaluator")).toBe("forbidden");
  });
});
