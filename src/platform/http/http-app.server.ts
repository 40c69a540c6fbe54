import path from "node:path";
import { createRequestHandler } from "@react-router/express";
import compression from "compression";
import express, { type Express } from "express";
import { sql } from "kysely";
import type { ServerBuild } from "react-router";
import { readSession, type SessionFigure, sessionCookieName } from "../auth/session.server.ts";
import type { Actor, AppContext, SessionUser } from "../context.ts";
import { logger } from "../logger.ts";
import { ELDER_MODE_COOKIE, parseCookies } from "./cookies.ts";
import { bodyGuard, urlGuard } from "./input-guard.ts";
import { responseCache } from "./response-cache.ts";
import { isSameOrigin, securityHeaderSetter, securityHeaders } from "./security.server.ts";
import { workerRenderBroker } from "./shared-renders.server.ts";

declare module "react-router" {
  interface AppLoadContext {
    app: AppContext;
    user: SessionUser | null;
    ip: string | null;
    nonce: string;
    /** Whether the database holds demo data, for the 演示数据 banner. */
    demo: boolean;
    sessionToken: string | undefined;
  }
}

/**
 * What the features plug into the HTTP app. The platform knows none of them: the composition root
 * (src/server/app.server.ts) hands these in.
 */
export interface HttpFeatures {
  /**
   * Handlers mounted after the session lookup and the response cache, before the pages (the files
   * module's upload and download routes).
   */
  handlers: express.RequestHandler[];
  /** A write from another site, refused with 403: for the audit log. */
  onForeignOrigin(actor: Actor, request: { method: string; path: string }): Promise<void>;
  /**
   * Paths whose handlers never act on the session (a bearer-token API): a write there needs no same-site
   * Origin, since a browser cannot forge the token a request must carry; they parse and bound their own
   * bodies (JSON), so the form body guard leaves them alone.
   */
  sessionless?: (path: string) => boolean;
  /** More anonymous GET paths the response cache may keep (JSON answers), beside the public pages. */
  cacheable?: readonly RegExp[];
  /** Numbers every signed-in page shows, read with the session (`user.figures`). */
  sessionFigures?: Readonly<Record<string, SessionFigure>>;
}

export interface HttpAppOptions {
  ctx: AppContext;
  features: HttpFeatures;
  /** The built server, or a loader for it (Vite's in development). */
  build: ServerBuild | (() => Promise<ServerBuild>);
  demo: () => boolean;
  /** Development: Vite's middleware serves assets and hot reloads. */
  viteMiddleware?: express.RequestHandler;
  clientDir?: string;
}

export function createHttpApp(opts: HttpAppOptions): Express {
  const { ctx } = opts;
  const app = express();
  app.disable("x-powered-by");
  if (ctx.config.trustProxy) app.set("trust proxy", 1);
  // Bad input is refused before anything parses it (issue 14): URLs first, then bodies.
  app.use(urlGuard());
  app.use(bodyGuard(ctx.config.bodyLimits, opts.features.sessionless));
  const cookieName = sessionCookieName(ctx.config.production);
  const setSecurityHeaders = securityHeaderSetter(ctx.config, { dev: !!opts.viteMiddleware });
  // Anonymous public pages, kept whole until their data changes (ADR 0011).
  const cache =
    ctx.config.responseCache && !opts.viteMiddleware
      ? responseCache({
          ctx,
          demo: opts.demo,
          sessionCookie: cookieName,
          varyCookies: [ELDER_MODE_COOKIE],
          broker: workerRenderBroker(),
          securityHeaders: setSecurityHeaders,
          extraPaths: opts.features.cacheable,
        })
      : null;
  if (cache) app.use(cache.early);
  app.use(compression());
  app.use(securityHeaders(ctx.config, { dev: !!opts.viteMiddleware }));

  app.get("/healthz", async (_req, res) => {
    res.setHeader("Cache-Control", "no-store");
    try {
      await sql`select 1`.execute(ctx.db);
      res.json({ status: "ok", engine: ctx.engine, database: "ok" });
    } catch (err) {
      logger.error({ err }, "health check failed");
      res.status(503).json({ status: "error", engine: ctx.engine, database: "unreachable" });
    }
  });

  if (opts.viteMiddleware) {
    app.use(opts.viteMiddleware);
  } else {
    const clientDir = opts.clientDir ?? path.resolve("build/client");
    app.use("/assets", express.static(path.join(clientDir, "assets"), { immutable: true, maxAge: "1y" }));
    // The other files of the client build (favicon.svg): only paths that look like files reach
    // the disk, so pages are not each preceded by a failed stat.
    const files = express.static(clientDir, { maxAge: "1h", index: false });
    app.use((req, res, next) => (/\.[A-Za-z0-9]+$/.test(req.path) ? files(req, res, next) : next()));
  }

  app.use(async (req, res, next) => {
    try {
      const token = parseCookies(req.headers.cookie)[cookieName];
      const user = token ? await readSession(ctx, token, opts.features.sessionFigures) : null;
      res.locals.user = user;
      res.locals.sessionToken = token;
      if (!isSameOrigin(req, ctx.config.allowedOrigins) && !opts.features.sessionless?.(req.path)) {
        await opts.features.onForeignOrigin(
          { user, ip: req.ip ?? null },
          { method: req.method, path: req.path.slice(0, 200) },
        );
        res.status(403).type("text/plain; charset=utf-8").send("请求来源校验失败，请刷新页面后重试");
        return;
      }
      // Signed-in pages are personal: never stored by browsers or proxies.
      if (user) res.setHeader("Cache-Control", "no-store");
      next();
    } catch (err) {
      next(err);
    }
  });

  // Before the files router, which never serves these paths: a hit passes through as few handlers
  // as possible.
  if (cache) app.use(cache);

  for (const handler of opts.features.handlers) app.use(handler);

  app.all(
    "/{*splat}",
    createRequestHandler({
      build: opts.build,
      mode: opts.viteMiddleware ? "development" : "production",
      getLoadContext: (req, res) => ({
        app: ctx,
        user: res.locals.user ?? null,
        ip: req.ip ?? null,
        nonce: res.locals.nonce,
        demo: opts.demo(),
        sessionToken: res.locals.sessionToken,
      }),
    }),
  );

  app.use((err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    // A body the guard refused mid-stream fails its reader too; that is already answered.
    if (res.locals.inputRefused) return;
    const status = (err as { status?: unknown } | null)?.status;
    if (typeof status === "number" && status >= 400 && status < 500) {
      // Express's own client errors (a parameter that does not decode): the client's, not a 500.
      if (!res.headersSent) res.status(status).type("text/plain; charset=utf-8").send("请求无效");
      return;
    }
    logger.error({ err }, "unhandled error");
    if (!res.headersSent)
      res.status(500).type("text/plain; charset=utf-8").send("服务器内部错误，请稍后再试");
  });
  return app;
}
