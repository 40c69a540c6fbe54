import type { NextFunction, Request, RequestHandler, Response } from "express";
import {
  coalescedReads,
  type GenerationKey,
  readGenerationScopes,
  readGenerations,
} from "../cache/generations.server.ts";
import { ScopeLog } from "../cache/scope-log.ts";
import type { AppContext } from "../context.ts";
import { logger } from "../logger.ts";
import { ByteLru } from "./byte-lru.ts";
import { parseCookies } from "./cookies.ts";
import { HitGate } from "./hit-gate.ts";
import { newNonce, type SecurityHeaderSetter } from "./security.server.ts";
import { type RenderBroker, renderAlone } from "./shared-renders.server.ts";

/**
 * Whole-response cache for anonymous visitors of the public pages (ADR 0011).
 *
 * - Only GET, only without a session (no user and no session cookie), only the paths below.
 * - An entry is valid only under the data generations it was rendered under, so a write that
 *   bumps `bases`, `notices`, `activities` or `applications` retires it; the key is the URL plus
 *   the 演示数据 banner flag and the display cookies (`varyCookies`: 长辈模式).
 * - Pages carry the per-request CSP nonce. An entry is kept as the body split at every occurrence of
 *   the nonce it was rendered with (128 random bits, so nothing else matches), and each hit joins the
 *   parts with the nonce of its own request, which the CSP header already names.
 * - Only 200 responses without Set-Cookie and without `private`/`no-store` are kept.
 * - A request with `Cache-Control: no-cache` skips the lookup (renders afresh and refreshes the entry).
 */

/** The data kinds public pages show; read for each cacheable request (concurrent lookups share reads). */
export const RESPONSE_CACHE_GENERATIONS: readonly GenerationKey[] = [
  "bases",
  "notices",
  "activities",
  "applications",
  "school_services",
  "articles",
];

const ID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

/**
 * The public pages that may be cached, as page paths; each also in its `.data` form (React Router's
 * data requests: `/bases.data`, and `/_root.data` for `/`). Ids are UUIDs, so fixed sub-pages such as
 * /notices/objection-status (which shows a person's objection) never match.
 */
const CACHEABLE_PAGES: readonly RegExp[] = [
  /^\/$/,
  /^\/bases$/,
  new RegExp(`^/bases/${ID}$`),
  /^\/notices$/,
  new RegExp(`^/notices/${ID}$`),
  /^\/projects$/,
  /^\/projects\/calls$/,
  new RegExp(`^/projects/calls/${ID}$`),
  /^\/special$/,
  /^\/activities$/,
  new RegExp(`^/activities/${ID}$`),
  new RegExp(`^/bases/${ID}/activities$`),
  // 科普助力双减: the catalogue and its items (their ratings are under school_services too).
  /^\/special\/schools$/,
  new RegExp(`^/special/schools/${ID}$`),
  // News and experience sharing: the columns, an article and the feed (under articles).
  /^\/articles$/,
  new RegExp(`^/articles/${ID}$`),
  /^\/articles\/feed\.xml$/,
  // 通知公告: the calls' notices and their attachments.
  /^\/announcements$/,
];

const pageOf = (path: string) =>
  path === "/_root.data" ? "/" : path.endsWith(".data") ? path.slice(0, -".data".length) : path;

export function isCacheablePath(path: string, extra: readonly RegExp[] = []): boolean {
  const page = pageOf(path);
  return CACHEABLE_PAGES.some((re) => re.test(page)) || extra.some((re) => re.test(path));
}

/**
 * Pages about one base, which show nothing of any other base: such a page stays valid across
 * changes scoped to other bases (`bumpGeneration(trx, "bases", [id])`). Every other page depends on
 * every base.
 */
const ONE_BASE_PAGE = new RegExp(`^/bases/(${ID})(?:/activities)?$`);

export function baseScopeOf(path: string): string | null {
  return ONE_BASE_PAGE.exec(pageOf(path))?.[1]?.toLowerCase() ?? null;
}

/** The `bases` counter in a generations string, and the string without it. */
const BASES_COUNTER = /(?:^|,)bases:(\d+)/;
const basesCounter = (generation: string) => Number(BASES_COUNTER.exec(generation)?.[1] ?? 0);
const withoutBases = (generation: string) => generation.replace(BASES_COUNTER, "");

/** Headers that belong to one response or are added again below this middleware. */
const PER_RESPONSE_HEADERS = new Set([
  "set-cookie",
  "content-length",
  "content-encoding",
  "transfer-encoding",
  "connection",
  "keep-alive",
  "date",
  "vary",
  "x-kepu-cache",
]);

interface Entry {
  generation: string;
  /** The base a one-base page is about (`baseScopeOf`), else null. */
  scope: string | null;
  status: number;
  headers: [string, string | string[]][];
  /** The body split at each occurrence of the nonce it was rendered with. */
  parts: Buffer[];
  bytes: number;
}

export function splitAt(body: Buffer, token: string): Buffer[] {
  const needle = Buffer.from(token);
  const parts: Buffer[] = [];
  let from = 0;
  for (let i = body.indexOf(needle, from); i >= 0; i = body.indexOf(needle, from)) {
    parts.push(body.subarray(from, i));
    from = i + needle.length;
  }
  parts.push(body.subarray(from));
  return parts;
}

export function joinWith(parts: readonly Buffer[], token: string): Buffer {
  if (parts.length === 1) return parts[0];
  const t = Buffer.from(token);
  const out: Buffer[] = [];
  parts.forEach((p, i) => {
    if (i > 0) out.push(t);
    out.push(p);
  });
  return Buffer.concat(out);
}

export interface ResponseCacheOptions {
  ctx: AppContext;
  /** The 演示数据 banner flag, part of the key. */
  demo: () => boolean;
  /** The session cookie's name: a request carrying it is never served from or stored into the cache. */
  sessionCookie: string;
  /**
   * Cookies that change how a page is drawn (长辈模式): their values are part of the key, so a page
   * drawn for one mode is never served in the other.
   */
  varyCookies?: readonly string[];
  /** Default 64 MB of bodies. */
  maxBytes?: number;
  /** Shares renders with the other worker processes; default: render alone. */
  broker?: RenderBroker;
  /**
   * The security headers every response carries: given, `early` can answer a hit by itself, ahead of
   * the middleware that would otherwise set them.
   */
  securityHeaders?: SecurityHeaderSetter;
  /**
   * While this process renders a page, hits wait for the render to end, up to this many ms each
   * (`HitGate`); 0 answers hits at once. Default 50.
   */
  holdHitsMs?: number;
  /**
   * More GET paths to keep (matched against the path as is): JSON answers of an API, kept like pages.
   * A request with an Authorization header is never served from or stored into the cache.
   */
  extraPaths?: readonly RegExp[];
}

export function responseCache(
  opts: ResponseCacheOptions,
): RequestHandler & { lru: ByteLru<Entry>; early: RequestHandler; gate: HitGate } {
  const lru = new ByteLru<Entry>(opts.maxBytes ?? 64 * 1024 * 1024);
  const gate = new HitGate(opts.holdHitsMs ?? 50);
  const admit: (serve: () => void) => void =
    opts.holdHitsMs === 0 ? (serve) => serve() : (serve) => gate.admit(serve);
  const broker = opts.broker ?? renderAlone;
  broker.watch?.((rendering) => gate.elsewhere(rendering));
  const currentGeneration = coalescedReads(() => readGenerations(opts.ctx, RESPONSE_CACHE_GENERATIONS));
  const baseChanges = new ScopeLog((after, upTo) => readGenerationScopes(opts.ctx, "bases", after, upTo));
  /**
   * The entry for `key` valid under `generation`: made under it, or a one-base page made before
   * changes that all named other bases (and nothing else changed).
   */
  const lookup = async (key: string, generation: string): Promise<Entry | undefined> => {
    const e = lru.peek(key);
    if (!e || e.generation === generation) return lru.get(key, generation);
    const scope = e.scope;
    if (scope === null || withoutBases(e.generation) !== withoutBases(generation))
      return lru.get(key, generation);
    const since = basesCounter(e.generation);
    const until = basesCounter(generation);
    // A failed read is a miss: the page is rendered afresh.
    if (!baseChanges.knows(since, until)) await baseChanges.learn(since, until).catch(() => {});
    return lru.get(key, generation, (x) => baseChanges.untouched(scope, basesCounter(x.generation), until));
  };
  // Renders in progress, by key and generation: concurrent misses for the same page wait for the
  // first one instead of each rendering it (right after a change, every reader misses at once).
  const inflight = new Map<string, Promise<void>>();
  const serve = (req: Request, res: Response, hit: Entry, nonce: string) => {
    res.statusCode = hit.status;
    for (const [name, value] of hit.headers) res.setHeader(name, value);
    res.setHeader("X-Kepu-Cache", "hit");
    if (notModified(req, hit)) {
      res.statusCode = 304;
      res.end();
      return;
    }
    res.end(joinWith(hit.parts, nonce));
  };
  const extraPaths = opts.extraPaths ?? [];
  const mayUse = (req: Request) =>
    req.method === "GET" &&
    isCacheablePath(req.path, extraPaths) &&
    req.headers.authorization === undefined &&
    parseCookies(req.headers.cookie)[opts.sessionCookie] === undefined;
  const varyCookies = opts.varyCookies ?? [];
  const variantOf = (req: Request) => {
    if (varyCookies.length === 0) return "";
    const cookies = parseCookies(req.headers.cookie);
    return varyCookies.map((name) => ` ${name}=${cookies[name] ?? ""}`).join("");
  };
  const keyOf = (req: Request) => `${opts.demo() ? "demo" : "real"}${variantOf(req)} ${req.originalUrl}`;
  const revalidates = (req: Request) => /(^|,)\s*no-cache\s*(,|$)/i.test(req.get("cache-control") ?? "");

  /**
   * Mounted first: a hit for a client that accepts no compression is answered here, past no other
   * middleware (compression's hooks alone cost about as much as the rest of a hit). Everything else
   * goes on, with the generation read kept for the handler below.
   */
  const early = async (req: Request, res: Response, next: NextFunction) => {
    try {
      const setHeaders = opts.securityHeaders;
      if (!setHeaders || req.headers["accept-encoding"] || !mayUse(req) || revalidates(req)) {
        next();
        return;
      }
      const generation = await currentGeneration();
      res.locals.cacheGeneration = generation;
      const hit = await lookup(keyOf(req), generation);
      if (!hit) {
        next();
        return;
      }
      admit(() => {
        try {
          const nonce = newNonce();
          setHeaders(res, nonce);
          res.setHeader("Vary", "Accept-Encoding");
          serve(req, res, hit, nonce);
        } catch (err) {
          next(err);
        }
      });
    } catch (err) {
      next(err);
    }
  };

  const handler = async (req: Request, res: Response, next: NextFunction) => {
    try {
      if (!mayUse(req) || res.locals.user) {
        next();
        return;
      }
      const nonce: string = res.locals.nonce;
      if (!nonce) {
        next();
        return;
      }
      // Read by `early` for this same request, or now: either way after the request arrived.
      const generation: string = res.locals.cacheGeneration ?? (await currentGeneration());
      const key = keyOf(req);
      const scope = baseScopeOf(req.path);
      const revalidate = revalidates(req);
      const hit = revalidate ? undefined : await lookup(key, generation);
      if (hit) {
        admit(() => {
          try {
            serve(req, res, hit, nonce);
          } catch (err) {
            next(err);
          }
        });
        return;
      }
      // From here this request renders, or waits for a render: hits wait for it (HitGate).
      const ended = gate.begin();
      whenOver(res, ended);
      const flightKey = `${generation} ${key}`;
      const pending = revalidate ? undefined : inflight.get(flightKey);
      if (pending) {
        await pending;
        const shared = lru.get(key, generation);
        if (shared) {
          serve(req, res, shared, nonce);
          return;
        }
      }
      let owner = false;
      if (!revalidate && !pending) {
        let settle = () => {};
        const flight = new Promise<void>((resolve) => {
          settle = resolve;
        });
        inflight.set(flightKey, flight);
        const done = () => {
          if (inflight.get(flightKey) === flight) inflight.delete(flightKey);
          settle();
        };
        // Stored, or answered without being kept, or the client went away: the waiters go on.
        whenOver(res, done);
        // Another worker may be rendering this page for this generation, or have rendered it.
        const shared = await broker.claim(flightKey);
        if (shared) {
          const entry = { ...shared, parts: shared.parts.map(asBuffer), generation, scope };
          lru.set(key, entry);
          serve(req, res, entry, nonce);
          return;
        }
        owner = true;
      }
      res.setHeader("X-Kepu-Cache", "miss");
      let reported = !owner;
      const report = (page: Omit<Entry, "generation" | "scope"> | null) => {
        if (reported) return;
        reported = true;
        broker.done(flightKey, page);
      };
      // Not kept (or the client gone, maybe while the claim was answered): the waiters render their own.
      if (owner) whenOver(res, () => report(null));
      capture(res, nonce, (entry) => {
        lru.set(key, { ...entry, generation, scope });
        report(entry);
      });
      next();
    } catch (err) {
      next(err);
    }
  };
  return Object.assign(handler, { lru, early, gate });
}

/** A kept answer with an ETag the client already holds (If-None-Match): 304 without the body. */
function notModified(req: Request, hit: Entry): boolean {
  const match = req.headers["if-none-match"];
  if (!match) return false;
  const etag = hit.headers.find(([name]) => name === "etag")?.[1];
  return typeof etag === "string" && match.split(",").some((t) => t.trim() === etag || t.trim() === "*");
}

/**
 * Runs `fn` when the response has been sent or abandoned, or at once if it already has been: the
 * client may leave while this request awaits a database read or a claim, and "close" has fired then.
 */
export function whenOver(res: Pick<Response, "writableFinished" | "closed" | "once">, fn: () => void): void {
  if (res.writableFinished || res.closed) {
    fn();
    return;
  }
  res.once("finish", fn);
  res.once("close", fn);
}

/** Pages from another process arrive as plain byte arrays. */
const asBuffer = (u: Uint8Array) =>
  Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength);

/** Buffers what the handlers below write and, if the response may be kept, hands it to `store`. */
function capture(
  res: Response,
  nonce: string,
  store: (e: Omit<Entry, "generation" | "scope">) => void,
): void {
  // Headers already set (CSP with this request's nonce, security headers) are set afresh on every hit.
  const preset = new Set(res.getHeaderNames());
  const chunks: Buffer[] = [];
  let size = 0;
  let headers: [string, string | string[]][] | null = null;
  let keep = true;
  const snapshot = () => {
    headers ??= Object.entries(res.getHeaders())
      .filter(([name]) => !PER_RESPONSE_HEADERS.has(name) && !preset.has(name))
      .map(([name, value]) => [name, Array.isArray(value) ? value : String(value)]);
  };
  const take = (chunk: unknown, encoding?: unknown) => {
    if (!keep || chunk === undefined || chunk === null || typeof chunk === "function") return;
    const buf = Buffer.isBuffer(chunk)
      ? chunk
      : typeof chunk === "string"
        ? Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8")
        : chunk instanceof Uint8Array
          ? Buffer.from(chunk)
          : null;
    if (!buf) {
      keep = false;
      return;
    }
    chunks.push(Buffer.from(buf)); // a copy: the caller may reuse its buffer
    size += buf.length;
    if (size > 16 * 1024 * 1024) keep = false;
  };
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => Response;
  res.write = ((...args: unknown[]) => {
    snapshot();
    take(args[0], args[1]);
    return write(...args);
  }) as Response["write"];
  res.end = ((...args: unknown[]) => {
    snapshot();
    take(args[0], args[1]);
    const result = end(...args);
    try {
      const cacheControl = String(res.getHeader("cache-control") ?? "");
      const contentType = String(res.getHeader("content-type") ?? "");
      if (
        keep &&
        res.statusCode === 200 &&
        res.getHeader("set-cookie") === undefined &&
        !/no-store|private/i.test(cacheControl) &&
        /^(text\/(html|x-script)|application\/json)/.test(contentType) &&
        headers
      ) {
        const body = Buffer.concat(chunks);
        store({ status: 200, headers, parts: splitAt(body, nonce), bytes: body.length });
      }
    } catch (err) {
      logger.warn({ err }, "response cache: could not keep a response");
    }
    return result;
  }) as Response["end"];
}
