import type { IncomingMessage } from "node:http";
import type { NextFunction, Request, RequestHandler, Response } from "express";

/**
 * The edge checks of issue 14, before anything parses a request: a URL that does not decode,
 * and a request body that is too large or not a form. Nothing here buffers a body: bytes are
 * counted as they pass to the handler that reads them.
 */

export interface BodyLimits {
  /** Any form post (React Router actions). */
  formBytes: number;
  /** The 附件2 autosave, posted every few seconds while typing. */
  autosaveBytes: number;
  /** The base import, whose XLSX travels inside the form (the route allows 10 MB). */
  importBytes: number;
}

const TEXT = "text/plain; charset=utf-8";
const FORM_TYPES = new Set(["application/x-www-form-urlencoded", "multipart/form-data"]);
const BODY_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const BAD_URL_MESSAGE = "网址编码无效，请检查链接是否完整";

/**
 * Whether every %-escape of a raw URL decodes to UTF-8 (no %FF, no overlong %C0%AE, no cut
 * escape) and it carries no control character once decoded.
 */
export function isWellFormedUrl(rawUrl: string): boolean {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawUrl);
  } catch {
    return false;
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing them is the point
  return !/[\u0000-\u001f\u007f]/.test(decoded);
}

/** 400 before the router for a URL it could only fail on. */
export function urlGuard(): RequestHandler {
  return (req, res, next) => {
    if (isWellFormedUrl(req.originalUrl)) return next();
    res.status(400).set("Cache-Control", "no-store").type(TEXT).send(BAD_URL_MESSAGE);
  };
}

/** The limit for a body posted to `path` (a React Router `.data` request counts as its page). */
export function bodyLimitFor(path: string, limits: BodyLimits): number {
  const page = path.replace(/\.data$/, "");
  if (/^\/applications\/[^/]+\/autosave$/.test(page)) return limits.autosaveBytes;
  if (page === "/admin/bases/import" || page === "/my-base/volunteers/import") return limits.importBytes;
  return limits.formBytes;
}

/** `multipart/form-data; boundary=x` → its media type and boundary. */
export function mediaTypeOf(header: string | undefined): { type: string; boundary?: string } {
  if (!header) return { type: "" };
  const [type = "", ...params] = header.split(";");
  let boundary: string | undefined;
  for (const p of params) {
    const m = /^\s*boundary\s*=\s*(?:"([^"]*)"|([^\s;]*))\s*$/i.exec(p);
    if (m) boundary = m[1] ?? m[2];
  }
  return { type: type.trim().toLowerCase(), boundary };
}

function tooLargeMessage(limit: number): string {
  return limit >= 1024 * 1024
    ? `提交的内容过大（上限 ${Math.round(limit / 1024 / 1024)} MB），请精简后重试`
    : `提交的内容过大（上限 ${Math.round(limit / 1024)} KB），请精简后重试`;
}

/** Answers and closes the connection: the rest of the body is never read. */
function refuse(req: IncomingMessage, res: Response, status: number, message: string): void {
  if (res.headersSent) {
    req.destroy();
    return;
  }
  res.locals.inputRefused = true;
  // Node destroys the socket once this answer is written, instead of draining the body.
  res.status(status).set({ Connection: "close", "Cache-Control": "no-store" }).type(TEXT).send(message);
}

const LINGER_MS = 2000;
const LINGER_BYTES = 16 * 1024 * 1024;

/**
 * 413 before a byte of the body is read, then a bounded "lingering close": the rest is read and
 * thrown away for at most 2 s or 16 MB before the connection is cut. Closing at once with unread
 * bytes makes the kernel reset the connection, and a client that is still sending then loses
 * the answer it was already sent.
 */
function refuseAndLinger(req: IncomingMessage, res: Response, message: string): void {
  res.locals.inputRefused = true;
  const socket = req.socket;
  let discarded = 0;
  const cut = () => socket.destroy();
  const timer = setTimeout(cut, LINGER_MS);
  timer.unref();
  req.on("data", (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > LINGER_BYTES) {
      clearTimeout(timer);
      cut();
    }
  });
  req.once("end", () => {
    clearTimeout(timer);
    cut();
  });
  // After a "Connection: close" answer Node calls destroySoon(), which closes with the body
  // unread; half-close instead, and let Node drain the body into the listener above.
  socket.destroySoon = () => {
    socket.end();
  };
  res.status(413).set({ Connection: "close", "Cache-Control": "no-store" }).type(TEXT).send(message);
}

/**
 * Every body-carrying request except the files router's (it enforces its per-slot limits while
 * streaming) and those `ownLimits` names (a JSON API that parses and bounds its own bodies): a form, within its limit. Over the limit by Content-Length: 413 at once. A chunked or
 * understated body is counted while it streams and refused the moment it passes the limit.
 */
export function bodyGuard(limits: BodyLimits, ownLimits?: (path: string) => boolean): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!BODY_METHODS.has(req.method) || req.path.startsWith("/files/") || ownLimits?.(req.path))
      return next();
    const limit = bodyLimitFor(req.path, limits);
    const declared = req.headers["content-length"];
    if (declared !== undefined && Number(declared) > limit) {
      refuseAndLinger(req, res, tooLargeMessage(limit));
      return;
    }
    // A POST without a body (【退出登录】 sends none) has no type to check.
    const bodyless =
      (declared === undefined || Number(declared) === 0) && req.headers["transfer-encoding"] === undefined;
    if (bodyless) return next();
    const { type, boundary } = mediaTypeOf(req.headers["content-type"]);
    if (!FORM_TYPES.has(type)) {
      refuse(
        req,
        res,
        415,
        "请通过页面上的表单提交（仅接受 application/x-www-form-urlencoded 或 multipart/form-data）",
      );
      return;
    }
    if (type === "multipart/form-data" && (!boundary || boundary.length > 70)) {
      refuse(req, res, 400, "表单数据格式无效（缺少分隔符），请刷新页面后重试");
      return;
    }
    // A multipart body must open with its boundary; the first bytes say so before any parsing.
    const opening = boundary ? Buffer.from(`--${boundary}`) : null;
    let head: Buffer | null = opening ? Buffer.alloc(0) : null;
    let seen = 0;
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > limit) {
        stop();
        refuse(req, res, 413, tooLargeMessage(limit));
        return;
      }
      if (head && opening) {
        head = Buffer.concat([head, chunk]);
        const body = head.subarray(head.subarray(0, 2).equals(Buffer.from("\r\n")) ? 2 : 0);
        if (body.length >= opening.length) {
          head = null;
          if (!body.subarray(0, opening.length).equals(opening)) {
            stop();
            refuse(req, res, 400, "表单数据格式无效（分隔符不匹配），请刷新页面后重试");
          }
        }
      }
    };
    const onEnd = () => {
      // A non-empty multipart body shorter than its own boundary.
      if (head && head.length > 0) refuse(req, res, 400, "表单数据格式无效，请刷新页面后重试");
      stop();
    };
    const stop = () => {
      req.off("data", onData);
      req.off("end", onEnd);
    };
    // Listening would start the flow before the reader is attached: pause until it asks for data.
    req.on("data", onData);
    req.once("end", onEnd);
    req.pause();
    next();
  };
}
