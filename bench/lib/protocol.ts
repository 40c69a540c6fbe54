/** IPC messages between the harness and its children (no side effects: safe to import anywhere). */
export const MEMORY_MESSAGE = "kepu-bench:memory";
/** Baseline → harness: listening for the routes message (sent only after this, or it is lost). */
export const READY_MESSAGE = "kepu-bench:ready";
/** Harness → baseline: routes to answer (the first one makes it listen; later ones add routes). */
export const ROUTES_MESSAGE = "kepu-bench:routes";
export const LISTENING_MESSAGE = "kepu-bench:listening";
/** Baseline → harness: the routes of a later ROUTES_MESSAGE are in place. */
export const ROUTES_ADDED_MESSAGE = "kepu-bench:routes-added";

export interface CapturedResponse {
  /** Request method; default GET. A POST route reads the request body to its end, then answers. */
  method?: "GET" | "POST";
  path: string;
  /** Request headers (lower-case names) that select this response for `path` on the baseline. */
  match: Record<string, string>;
  status: number;
  statusMessage: string;
  /** Raw header pairs as received, less Date/Connection/Keep-Alive (node adds its own). */
  rawHeaders: string[];
  bodyBase64: string;
}
