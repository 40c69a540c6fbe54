/** Signing in and the applicant's UI steps, over plain node:http (so Origin and Cookie go as given). */
import http from "node:http";
import { assertLoopback } from "./processes.ts";

export interface SimpleResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** One request; the whole answer is read (these answers are small). */
export function request(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string; timeoutMs?: number } = {},
): Promise<SimpleResponse> {
  assertLoopback(url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: opts.method ?? "GET", headers: opts.headers, timeout: opts.timeoutMs ?? 30_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    req.on("timeout", () => req.destroy(new Error(`${opts.method ?? "GET"} ${url} timed out`)));
    req.on("error", reject);
    req.end(opts.body);
  });
}

/** The session cookie (`name=value`) a response sets, if any. */
function sessionCookie(res: SimpleResponse): string | null {
  for (const line of res.headers["set-cookie"] ?? []) {
    const pair = line.split(";")[0].trim();
    const [name, value] = pair.split("=", 2);
    if (/kepu_session$/.test(name) && value) return pair;
  }
  return null;
}

/**
 * Signs in through the real login form (POST /login/staff or /login/org, with the Origin the CSRF check
 * wants) and returns the `Cookie` header value for the new session.
 */
export async function logIn(
  baseUrl: string,
  kind: "staff" | "org",
  login: string,
  password: string,
): Promise<string> {
  const form = new URLSearchParams(
    kind === "staff" ? { username: login, password } : { uscc: login, password },
  );
  const res = await request(`${baseUrl}/login/${kind}`, {
    method: "POST",
    headers: { origin: baseUrl, "content-type": "application/x-www-form-urlencoded" },
    body: form.toString(),
  });
  const cookie = sessionCookie(res);
  if (res.status < 300 || res.status >= 400 || !cookie)
    throw new Error(
      `login as ${login} failed: HTTP ${res.status} ${res.headers.location ?? ""} ${res.body.toString("utf8").slice(0, 200)}`,
    );
  if (res.headers.location?.startsWith("/account/password"))
    throw new Error(`login as ${login}: the account must change its password first`);
  return cookie;
}

/**
 * 【我要申报】 as the signed-in org: POST /projects/calls/<callId>, which creates (or reopens) the draft
 * and redirects to /applications/<id>/edit. Returns the application id.
 */
export async function startDraft(baseUrl: string, cookie: string, callId: string): Promise<string> {
  const res = await request(`${baseUrl}/projects/calls/${encodeURIComponent(callId)}`, {
    method: "POST",
    headers: { origin: baseUrl, cookie, "content-type": "application/x-www-form-urlencoded" },
    body: "",
  });
  const m = /^\/applications\/([0-9a-f-]{36})\/edit$/.exec(res.headers.location ?? "");
  if (res.status < 300 || res.status >= 400 || !m)
    throw new Error(
      `starting a draft for call ${callId} failed: HTTP ${res.status} ${res.headers.location ?? ""} ${res.body.toString("utf8").slice(0, 300)}`,
    );
  return m[1];
}
