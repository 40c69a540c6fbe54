/**
 * What the bench loads. Append a page here and it is captured for the baseline, loaded,
 * compared and reported like the others. Paths are requested from 127.0.0.1 only.
 */

/** `core`: public pages on the demo data. `applications`: reviewer pages, export and upload on generated data. */
export type Suite = "core" | "applications";
export const SUITES: readonly Suite[] = ["core", "applications"];

/** Demo staff accounts a target can be signed in as (password: the demo password). */
export type StaffLogin = "city" | "longyou";

export interface Target {
  /** Short unique name, used in the table, JSON and `--only`. */
  name: string;
  suite: Suite;
  /**
   * Path and query, as sent (must start with "/"). `{call}` is replaced by the id of the demo call
   * (the first row in `calls`) once the server runs.
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
}

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
];

/** Single timed operations (not load runs), each also run against the baseline. */
export type CheckName = "export-xlsx" | "upload-video";

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
];

/** Acceptance bar for the video upload: the server's peak RSS growth while it streams the file. */
export const UPLOAD_MAX_RSS_GROWTH_MB = 64;
