/**
 * What the bench loads. Append a page here and it is captured for the baseline, loaded,
 * compared and reported like the others. Paths are requested from 127.0.0.1 only.
 */
export interface Target {
  /** Short unique name, used in the table, JSON and `--only`. */
  name: string;
  /** Path and query, as sent (must start with "/"). */
  path: string;
  /** Concurrent connections (`--connections` overrides all targets). */
  connections: number;
  /**
   * Extra request headers, sent alike to the app, the baseline and the one capture request.
   * Leave Accept-Encoding out to compare uncompressed responses (the default).
   */
  headers?: Record<string, string>;
  /** Status the app must answer with (default 200); checked on capture. */
  expectStatus?: number;
}

export const targets: Target[] = [
  { name: "home", path: "/", connections: 32 },
  { name: "healthz", path: "/healthz", connections: 32 },
];
