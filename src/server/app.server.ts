import type { Express } from "express";
import { createHttpApp, type HttpAppOptions } from "#src/platform/http/http-app.server.ts";
import { httpFeatures } from "./features.server.ts";

export type AppOptions = Omit<HttpAppOptions, "features">;

/**
 * The Express app of kepu: the platform's HTTP pipeline (headers, session, CSRF, response cache,
 * React Router) with the features plugged in. Tests and the server process build it here.
 */
export function createApp(opts: AppOptions): Express {
  return createHttpApp({ ...opts, features: httpFeatures(opts.ctx) });
}
