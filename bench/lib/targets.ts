/**
 * What the bench loads. Append a page here and it is captured for the baseline, loaded,
 * compared and reported like the others. Paths are requested from 127.0.0.1 only.
 */

/**
 * `core`: public pages on the demo data. `applications`: reviewer pages, export and upload on generated data.
 * `bases`: the public 科普基地 directory and base pages over 50,000 generated bases, cached and uncached.
 */
export type Suite =
  | "core"
  | "applications"
  | "bases"
  | "activities"
  | "schools"
  | "volunteers"
  | "edge"
  | "evaluation";
export const SUITES: readonly Suite[] = [
  "core",
  "applications",
  "bases",
  "activities",
  "schools",
  "volunteers",
  "edge",
  "evaluation",
];

/**
 * Demo staff accounts a target can be signed in as (password: the demo password); `school:` and
 * `base:` are the schools suite's generated school and the demo base's org account (seed-schools.ts).
 */
export type StaffLogin = "city" | "longyou" | "school:bench" | "base:demo";

export interface Target {
  /** Short unique name, used in the table, JSON and `--only`. */
  name: string;
  suite: Suite;
  /**
   * Path and query, as sent (must start with "/"). `{call}` is replaced by the id of the demo call
   * (the first row in `calls`) once the server runs, `{base}` by a generated active base in 龙游县;
   * activities suite: `{abase}` a base with activities, `{month}` this month, `{year}` this year;
   * volunteers suite: `{volunteer}` the demo base's volunteer with the most service records.
   * evaluation suite: `{eentry}` an entry of the generated round in 龙游县 (assigned to the city account).
   */
  path: string;
  /** Concurrent connections (`--connections` overrides all targets). */
  connections: number;
  /**
   * Extra request headers, sent alike to the app, the baseline and the one capture request.
   * Leave Accept-Encoding out to compare uncompressed responses (the default).
   */
  headers?: Record<string, string>;
  /** Sign in as this demo staff account first and send its session cookie with every request. */
  login?: StaffLogin;
  /** Status the app must answer with (default 200); checked on capture. */
  expectStatus?: number;
  /** Acceptance bar: PASS when the app's p99 is at most this many ms (the bar is stated for `connections`). */
  acceptP99Ms?: number;
  /** Acceptance bar: PASS when app req/s ÷ baseline req/s is at least this (e.g. 0.3). */
  acceptMinThroughputRatio?: number;
}

/**
 * The response cache (ADR 0011) answers anonymous public pages; `Cache-Control: no-cache` makes it
 * skip the lookup and render afresh, so the same server measures both paths. The baseline gets the
 * same header and ignores it.
 */
const UNCACHED = { "cache-control": "no-cache" };

/**
 * The bases suite's pages: each once warm from the cache (`*-cached`, bar: ≥ 30% of the baseline's
 * req/s) and once rendered on every request (`*-uncached`: 32 connections that all skip the cache,
 * a render-throughput stress figure with no bar). The acceptance's "uncached (first view after a
 * change): p99 ≤ 100 ms" is measured by the first-view-after-change check (first-view.ts).
 */
const BASE_PAGES: Array<{ name: string; path: string }> = [
  { name: "bases-list", path: "/bases" },
  { name: "bases-filtered", path: "/bases?county=330825&category=agriculture" },
  // 科技馆: BENCH_KEYWORD in seed-bases.ts (percent-encoded as a browser sends it).
  { name: "bases-search", path: `/bases?q=${encodeURIComponent("科技馆")}` },
  { name: "base-detail", path: "/bases/{base}" },
];

const baseTargets: Target[] = BASE_PAGES.flatMap(({ name, path }) => [
  { name: `${name}-cached`, suite: "bases" as const, path, connections: 32, acceptMinThroughputRatio: 0.3 },
  { name: `${name}-uncached`, suite: "bases" as const, path, connections: 32, headers: UNCACHED },
]);

/**
 * The activities suite over 2,000,000 generated activities: the public calendar filtered by county
 * and month and a base's 活动列表 (cached and uncached, reported as ratios), and the statistics page
 * as the city (signed in, so never response-cached; bar p99 ≤ 200 ms).
 */
const ACTIVITY_PAGES: Array<{ name: string; path: string }> = [
  { name: "activities-calendar", path: "/activities?county=330825&month={month}" },
  { name: "activities-base", path: "/bases/{abase}/activities" },
];
const activityTargets: Target[] = [
  ...ACTIVITY_PAGES.flatMap(({ name, path }) => [
    { name: `${name}-cached`, suite: "activities" as const, path, connections: 32 },
    { name: `${name}-uncached`, suite: "activities" as const, path, connections: 32, headers: UNCACHED },
  ]),
  {
    name: "activities-stats",
    suite: "activities",
    path: "/admin/activity-stats?year={year}",
    connections: 8,
    login: "city",
    acceptP99Ms: 200,
  },
];

/**
 * The schools suite (科普助力双减) over 250,000 items and 1,000,000 orders: the public catalogue
 * filtered by county and grade (cached: bar ≥ 30% of the baseline's req/s; uncached: no bar), and the
 * order lists of a school and of a base, signed in, at 8 connections (bar p99 ≤ 100 ms).
 */
const CATALOGUE = `/special/schools?county=330825&grade=${encodeURIComponent("初中")}`;
const schoolTargets: Target[] = [
  {
    name: "schools-catalogue-cached",
    suite: "schools",
    path: CATALOGUE,
    connections: 32,
    acceptMinThroughputRatio: 0.3,
  },
  {
    name: "schools-catalogue-uncached",
    suite: "schools",
    path: CATALOGUE,
    connections: 32,
    headers: UNCACHED,
  },
  {
    name: "school-orders-school",
    suite: "schools",
    path: "/school-orders",
    connections: 8,
    login: "school:bench",
    acceptP99Ms: 100,
  },
  {
    name: "school-orders-base",
    suite: "schools",
    path: "/my-base/school-orders",
    connections: 8,
    login: "base:demo",
    acceptP99Ms: 100,
  },
];

/**
 * The JSON API's directory (/api/v1/bases, issue 19) filtered by county over the same 50,000 bases:
 * from the response cache (bar: ≥ 30% of the baseline's req/s) and skipping it on every request at
 * 8 connections (bar: p99 ≤ 100 ms).
 */
const API_PATH = "/api/v1/bases?county=330825";
const apiTargets: Target[] = [
  {
    name: "api-bases-cached",
    suite: "bases",
    path: API_PATH,
    connections: 32,
    acceptMinThroughputRatio: 0.3,
  },
  {
    name: "api-bases-uncached",
    suite: "bases",
    path: API_PATH,
    connections: 8,
    headers: UNCACHED,
    acceptP99Ms: 100,
  },
];

/**
 * The volunteers suite (科技志愿服务队) over 200,000 volunteers and 2,000,000 service records: the demo
 * base's roster (a team of 2,000; the first page and page 50) and the record page of its volunteer
 * with 400 services, signed in as the base, at 8 connections (bar p99 ≤ 100 ms). `my-base-reference`
 * is the base's own 我的基地 page under the same load, no bar: what any signed-in page costs here.
 */
const volunteerTargets: Target[] = [
  { name: "my-base-reference", suite: "volunteers", path: "/my-base", connections: 8, login: "base:demo" },
  {
    name: "volunteers-roster",
    suite: "volunteers",
    path: "/my-base/volunteers",
    connections: 8,
    login: "base:demo",
    acceptP99Ms: 100,
  },
  {
    name: "volunteers-roster-page50",
    suite: "volunteers",
    path: "/my-base/volunteers?page=50",
    connections: 8,
    login: "base:demo",
    acceptP99Ms: 100,
  },
  {
    name: "volunteers-record",
    suite: "volunteers",
    path: "/my-base/volunteers/{volunteer}",
    connections: 8,
    login: "base:demo",
    acceptP99Ms: 100,
  },
];

/**
 * The evaluation suite (issue 16): one round in 评分 over the 50,000 bases and 2,000,000 activities, the
 * demo city account an evaluator of 龙游县 for this round only: its 【评分】 list and one base's scoring
 * page, signed in, at 8 connections (bar p99 ≤ 100 ms). The figures' computation is a check.
 */
const evaluationTargets: Target[] = [
  {
    name: "evaluation-scoring-list",
    suite: "evaluation",
    path: "/scoring",
    connections: 8,
    login: "city",
    acceptP99Ms: 100,
  },
  {
    name: "evaluation-scoring-entry",
    suite: "evaluation",
    path: "/scoring/{eentry}",
    connections: 8,
    login: "city",
    acceptP99Ms: 100,
  },
];

export const targets: Target[] = [
  { name: "home", suite: "core", path: "/", connections: 32 },
  { name: "healthz", suite: "core", path: "/healthz", connections: 32 },
  // The reviewer queue page (SSR) over 20,000 generated applications: the city sees all six counties.
  {
    name: "review-city",
    suite: "applications",
    path: "/review?call={call}",
    connections: 8,
    login: "city",
    acceptP99Ms: 100,
  },
  // A county reviewer (龙游县, ~5,000 applications in scope).
  {
    name: "review-county",
    suite: "applications",
    path: "/review?call={call}",
    connections: 8,
    login: "longyou",
    acceptP99Ms: 100,
  },
  // A filtered view: one county, one stage.
  {
    name: "review-filtered",
    suite: "applications",
    path: "/review?call={call}&county=330825&status=county_review",
    connections: 8,
    login: "city",
    acceptP99Ms: 100,
  },
  ...baseTargets,
  ...apiTargets,
  ...schoolTargets,
  ...activityTargets,
  ...volunteerTargets,
  ...evaluationTargets,
];

/** Single timed operations (not load runs), each also run against the baseline. */
export type CheckName =
  | "export-xlsx"
  | "upload-video"
  | "export-activities-xlsx"
  | "export-volunteer-hours-xlsx"
  | "first-view-after-change"
  | "oversize-post"
  | "audit-flood"
  | "evaluation-figures";

export interface Check {
  name: CheckName;
  suite: Suite;
  description: string;
}

export const checks: Check[] = [
  {
    name: "export-xlsx",
    suite: "applications",
    description: "one full download of /review/export.xlsx?call={call} as longyou (~5,000 applications)",
  },
  {
    name: "upload-video",
    suite: "applications",
    description: "a 200 MB MP4 streamed as the demo org to its new draft (multipart, slot accepting video)",
  },
  {
    name: "first-view-after-change",
    suite: "bases",
    description:
      "200 times, ~50 ms apart, under a 32-connection cached background load: change a base and bump the " +
      "bases generation in one transaction, then time one anonymous GET of a directory page (must be a miss)",
  },
  {
    name: "export-activities-xlsx",
    suite: "activities",
    description:
      "one full download of /admin/activity-stats/export.xlsx (one county, ~200,000 activities) as city",
  },
  {
    name: "export-volunteer-hours-xlsx",
    suite: "volunteers",
    description:
      "one full download of /admin/volunteers/hours.xlsx?county=330825 (~300,000 confirmed services) as longyou",
  },
  {
    name: "evaluation-figures",
    suite: "evaluation",
    description:
      "the round's automatic indicators for every base (~48,000) computed once in a fresh process with the " +
      "server stopped: ≤ 60 s, RSS growth < 128 MB",
  },
  {
    name: "oversize-post",
    suite: "edge",
    description: "a 100 MB anonymous POST /register: 413 within 1 s, server RSS growth < 16 MB",
  },
  {
    name: "audit-flood",
    suite: "edge",
    description: "10 s of cross-origin POSTs at 8 connections: < 100 audit rows added, audit:verify passes",
  },
];

/** Acceptance bars for computing a round's automatic indicators over every base. */
export const EVALUATION_FIGURES_MAX_SEC = 60;
export const EVALUATION_FIGURES_MAX_RSS_GROWTH_MB = 128;

/** Acceptance bar for the activities export: the server's peak RSS growth while it streams. */
export const ACTIVITIES_EXPORT_MAX_RSS_GROWTH_MB = 128;

/** Acceptance bar for the volunteers' hours export: the server's peak RSS growth while it streams. */
export const VOLUNTEER_HOURS_EXPORT_MAX_RSS_GROWTH_MB = 128;

/** Acceptance bar for the video upload: the server's peak RSS growth while it streams the file. */
export const UPLOAD_MAX_RSS_GROWTH_MB = 64;

/**
 * first-view-after-change: background pages (cached, anonymous) and the pages timed after each
 * change, which the background never requests. `{base}` is the base the changes update;
 * `{bg1}`…`{bg3}` are other active bases.
 */
export const FIRST_VIEW = {
  backgroundPaths: [
    "/bases?page=2",
    "/bases?county=330802&category=culture_venue",
    `/bases?q=${encodeURIComponent("科技馆")}&page=2`,
    "/bases/{bg1}",
    "/bases/{bg2}",
    "/bases/{bg3}",
  ],
  timedPaths: ["/bases", "/bases?county=330825&category=agriculture", "/bases/{base}", "/bases?sort=newest"],
  connections: 32,
  rounds: 100,
  /** With --quick. */
  quickRounds: 20,
  /** One change a second: each change invalidates every directory page in every worker. */
  spacingMs: 1000,
};
