import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import path from "node:path";
import express, { type Request, type Response, type Router } from "express";
import type { z } from "zod";
import { announcementSchema, reportSchema } from "#src/modules/activities/activities.schema.ts";
import type { AppContext } from "#src/platform/context.ts";
import { AppError, isAppError } from "#src/platform/errors.ts";
import { logger } from "#src/platform/logger.ts";
import { buildOpenApiDocument } from "./api.openapi.ts";
import {
  activitiesQuerySchema,
  basesQuerySchema,
  coursesQuerySchema,
  openDataFileSchema,
  type Problem,
} from "./api.schema.ts";
import {
  apiAnnounceActivity,
  apiFileReport,
  apiGetActivity,
  apiGetBase,
  apiListActivities,
  apiListBases,
  apiListCourses,
  apiListNotices,
} from "./api.server.ts";
import { bearerToken } from "./api-tokens.rules.ts";
import { type ApiPrincipal, authenticateApiToken, recordTokenUse } from "./api-tokens.server.ts";
import { openDataFile } from "./open-data.server.ts";

/**
 * /api/v1 (issue 19) and its documentation page /api/docs. Reads are public; a bearer token adds the
 * private fields of its region and may write a base's activities. Every error is RFC 9457
 * problem+json with a Chinese title. Handlers never read the session: the API is cookie-less, so the
 * site's CSRF check does not apply to it (`isApiPath`).
 */

export const API_PREFIX = "/api/v1";
export const isApiPath = (p: string): boolean => p === API_PREFIX || p.startsWith(`${API_PREFIX}/`);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The anonymous API pages the response cache may keep, as the pages it keeps. */
export const API_CACHEABLE: readonly RegExp[] = [
  /^\/api\/v1\/(bases|activities|notices|courses|openapi\.json)$/,
  /^\/api\/v1\/(bases|activities)\/[0-9a-fA-F-]{36}$/,
];

const TITLES: Record<number, string> = {
  400: "请求参数有误",
  401: "未授权",
  403: "无权执行此操作",
  404: "未找到",
  405: "不支持的请求方法",
  409: "状态冲突",
  413: "请求内容过大",
  415: "请求内容须为 JSON",
  422: "提交的内容有误",
  423: "已锁定",
  429: "请求过于频繁",
  500: "服务器内部错误",
};

export function problemOf(status: number, detail?: string, errors?: Record<string, string>): Problem {
  const title = TITLES[status] ?? "请求失败";
  return {
    type: "about:blank",
    title,
    status,
    ...(detail && detail !== title ? { detail } : {}),
    ...(errors && Object.keys(errors).length ? { errors } : {}),
  };
}

function sendProblem(req: Request, res: Response, p: Problem): void {
  if (res.headersSent) return;
  res.status(p.status);
  res.setHeader("Content-Type", "application/problem+json; charset=utf-8");
  res.setHeader("Cache-Control", "no-store");
  if (p.status === 401) res.setHeader("WWW-Authenticate", 'Bearer realm="kepu"');
  if (p.status === 429) res.setHeader("Retry-After", "60");
  res.end(JSON.stringify({ ...p, instance: req.originalUrl.slice(0, 500) }));
}

/** zod issues as field → first message. */
function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "_";
    out[key] ??= issue.message;
  }
  return out;
}

function parse<S extends z.ZodType>(schema: S, input: unknown, status: 400 | 422): z.output<S> {
  const r = schema.safeParse(input);
  if (!r.success) {
    const errors = fieldErrors(r.error);
    throw Object.assign(new AppError("VALIDATION", Object.values(errors)[0] ?? TITLES[status]), {
      fieldErrors: errors,
      httpStatus: status,
    });
  }
  return r.data;
}

/** A query string's first value per name: repeated parameters are not part of the contract. */
function queryOf(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URL(req.originalUrl, "http://x").searchParams) if (!(k in out)) out[k] = v;
  return out;
}

/**
 * A JSON body as the form would send it: numbers become text and lists become the form's joined text,
 * so the form's own schema (and its messages) decide.
 */
export function asFormFields(body: unknown, lists: Record<string, string>): Record<string, unknown> {
  if (!body || typeof body !== "object" || Array.isArray(body)) return {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) {
    if (typeof v === "number" && Number.isFinite(v)) out[k] = String(v);
    else if (Array.isArray(v) && k in lists) out[k] = v.map(String).join(lists[k]);
    else out[k] = v;
  }
  return out;
}

/** JSON with a strong ETag over its bytes; a matching If-None-Match gets 304. */
function sendBody(req: Request, res: Response, status: number, body: Buffer, contentType: string): void {
  const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
  res.setHeader("ETag", etag);
  res.setHeader("Vary", "Authorization, Accept-Encoding");
  if (!res.getHeader("Cache-Control"))
    res.setHeader("Cache-Control", res.locals.apiPrincipal ? "private, no-store" : "public, max-age=60");
  const match = req.get("if-none-match");
  if (status === 200 && match && match.split(",").some((t) => t.trim() === etag || t.trim() === "*")) {
    res.status(304).end();
    return;
  }
  res.status(status).setHeader("Content-Type", contentType);
  res.end(body);
}

const sendJson = (req: Request, res: Response, value: unknown, status = 200) =>
  sendBody(req, res, status, Buffer.from(JSON.stringify(value)), "application/json; charset=utf-8");

type Handler = (req: Request, res: Response, principal: ApiPrincipal | null) => Promise<void>;

export function createApiRouter(ctx: AppContext): Router {
  const router = express.Router({ caseSensitive: true, strict: true });
  let document: string | null = null;
  const openapi = () => {
    document ??= JSON.stringify(buildOpenApiDocument(ctx.config.publicUrl));
    return document;
  };

  const handle =
    (fn: Handler) =>
    async (req: Request, res: Response): Promise<void> => {
      try {
        await fn(req, res, (res.locals.apiPrincipal as ApiPrincipal | undefined) ?? null);
      } catch (e) {
        if (isAppError(e)) {
          const status = (e as { httpStatus?: number }).httpStatus ?? e.status;
          sendProblem(req, res, problemOf(status, e.message, e.fieldErrors));
          return;
        }
        logger.error({ err: e }, "api request failed");
        sendProblem(req, res, problemOf(500));
      }
    };

  // The token, when there is one: every request looks it up, so a revocation holds at once.
  router.use(API_PREFIX, async (req, res, next) => {
    const raw = bearerToken(req.get("authorization"));
    if (raw === null) return next();
    if (raw === "malformed") return sendProblem(req, res, problemOf(401, "Authorization 须为 Bearer 令牌"));
    try {
      const principal = await authenticateApiToken(ctx, raw);
      res.locals.apiPrincipal = principal;
      res.once("finish", () => {
        recordTokenUse(ctx, principal, {
          method: req.method,
          path: req.originalUrl.split("?")[0],
          status: res.statusCode,
          ip: req.ip ?? null,
        }).catch((err) => logger.error({ err }, "api token use not recorded"));
      });
      next();
    } catch (e) {
      if (isAppError(e)) return sendProblem(req, res, problemOf(e.status, e.message));
      next(e);
    }
  });

  const id = (req: Request) => {
    const v = String(req.params.id);
    if (!UUID.test(v)) throw new AppError("NOT_FOUND", "未找到该记录");
    return v;
  };
  const json = express.json({ limit: "64kb", type: () => true });
  const body: express.RequestHandler = (req, res, next) => {
    if (!req.is("application/json"))
      return sendProblem(req, res, problemOf(415, "请以 application/json 提交"));
    json(req, res, (err?: unknown) => {
      if (err) {
        const tooLarge = (err as { type?: string }).type === "entity.too.large";
        return sendProblem(
          req,
          res,
          problemOf(tooLarge ? 413 : 400, tooLarge ? "请求内容过大" : "JSON 格式有误"),
        );
      }
      next();
    });
  };
  const requireToken = (principal: ApiPrincipal | null): ApiPrincipal => {
    if (!principal) throw new AppError("UNAUTHENTICATED", "请在 Authorization 中提供 Bearer 令牌");
    return principal;
  };

  router.get(
    `${API_PREFIX}/openapi.json`,
    handle(async (req, res) =>
      sendBody(req, res, 200, Buffer.from(openapi()), "application/json; charset=utf-8"),
    ),
  );
  router.get(
    `${API_PREFIX}/bases`,
    handle(async (req, res) =>
      sendJson(req, res, await apiListBases(ctx, parse(basesQuerySchema, queryOf(req), 400))),
    ),
  );
  router.get(
    `${API_PREFIX}/bases/:id`,
    handle(async (req, res, p) => sendJson(req, res, await apiGetBase(ctx, p, id(req)))),
  );
  router.get(
    `${API_PREFIX}/activities`,
    handle(async (req, res) =>
      sendJson(req, res, await apiListActivities(ctx, parse(activitiesQuerySchema, queryOf(req), 400))),
    ),
  );
  router.get(
    `${API_PREFIX}/activities/:id`,
    handle(async (req, res, p) => sendJson(req, res, await apiGetActivity(ctx, p, id(req)))),
  );
  router.get(
    `${API_PREFIX}/notices`,
    handle(async (req, res) => sendJson(req, res, await apiListNotices(ctx))),
  );
  router.get(
    `${API_PREFIX}/courses`,
    handle(async (req, res) =>
      sendJson(req, res, await apiListCourses(ctx, parse(coursesQuerySchema, queryOf(req), 400))),
    ),
  );
  router.post(
    `${API_PREFIX}/activities`,
    body,
    handle(async (req, res, p) => {
      const principal = requireToken(p);
      const input = parse(announcementSchema, asFormFields(req.body, { campaignIds: "," }), 422);
      sendJson(req, res, await apiAnnounceActivity(ctx, principal, req.ip ?? null, input), 201);
    }),
  );
  router.post(
    `${API_PREFIX}/activities/:id/report`,
    body,
    handle(async (req, res, p) => {
      const principal = requireToken(p);
      const activityId = id(req);
      const input = parse(reportSchema, asFormFields(req.body, { links: "\n" }), 422);
      sendJson(req, res, await apiFileReport(ctx, principal, req.ip ?? null, activityId, input));
    }),
  );
  router.get(
    `${API_PREFIX}/open-data/:file`,
    handle(async (req, res) => {
      const file = openDataFileSchema.safeParse(req.params.file);
      if (!file.success) throw new AppError("NOT_FOUND", "没有这个数据集或格式");
      const f = await openDataFile(ctx, file.data);
      res.setHeader("Content-Disposition", `attachment; filename="${f.filename}"`);
      res.setHeader("Last-Modified", new Date(f.generatedAt).toUTCString());
      res.setHeader("Link", '<https://creativecommons.org/licenses/by/4.0/>; rel="license"');
      sendBody(req, res, 200, f.body, f.contentType);
    }),
  );
  router.all(
    `${API_PREFIX}/{*rest}`,
    handle(async () => {
      throw new AppError("NOT_FOUND", "没有这个接口，请查看 /api/v1/openapi.json");
    }),
  );
  router.all(
    API_PREFIX,
    handle(async () => {
      throw new AppError("NOT_FOUND", "没有这个接口，请查看 /api/v1/openapi.json");
    }),
  );

  // The documentation page: Scalar's browser bundle served from the installed package, no CDN.
  const require = createRequire(import.meta.url);
  const scalarDist = path.dirname(require.resolve("@scalar/api-reference/style.css"));
  router.get("/api/docs/scalar.js", (_req, res) => {
    res.setHeader("Cache-Control", "public, max-age=86400");
    res.sendFile(path.join(scalarDist, "browser/standalone.js"));
  });
  router.get("/api/docs", (_req, res) => {
    res.setHeader("Cache-Control", "public, max-age=300");
    res.type("text/html; charset=utf-8").send(DOCS_PAGE);
  });
  return router;
}

const DOCS_CONFIG = JSON.stringify({
  withDefaultFonts: false,
  hideClientButton: true,
  telemetry: false,
  agent: { disabled: true },
});

const DOCS_PAGE = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>开放接口文档 - 科普基地服务平台</title>
</head>
<body>
<noscript>本页需要启用 JavaScript。接口说明也可直接读取 <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>。</noscript>
<script id="api-reference" data-url="/api/v1/openapi.json" data-configuration='${DOCS_CONFIG}'></script>
<script src="/api/docs/scalar.js"></script>
</body>
</html>
`;
