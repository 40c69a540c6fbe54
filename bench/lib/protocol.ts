/** IPC messages between the harness and its children (no side effects: safe to import anywhere). */
export const MEMORY_MESSAGE = "kepu-bench:memory";
/** Baseline → harness: listening for the routes message (sent only after this, or it is lost). */
export const READY_MESSAGE = "kepu-bench:ready";
export const ROUTES_MESSAGE = "kepu-bench:routes";
export const LISTENING_MESSAGE = "kepu-bench:listening";

export interface CapturedResponse {
  path: string;
  /** Request headers (lower-case names) that select this response for `path` on the baseline. */
  match: Record<string, string>;
  status: number;
  statusMessage: string;
  /** Raw header pairs as received, less Date/Connection/Keep-Alive (node adds its own). */
  rawHeaders: string[];
  bodyBase64: string;
}
