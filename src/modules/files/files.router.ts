import { randomBytes } from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import busboy from "busboy";
import express, { type Request, type Response } from "express";
import type { Actor, AppContext, SessionUser } from "#src/platform/context.ts";
import { isAppError } from "#src/platform/errors.ts";
import { logger } from "#src/platform/logger.ts";
import { FileRejected } from "./files.errors.ts";
import {
  deleteFile,
  type FilesOptions,
  type FileView,
  openFileDownload,
  prepareUpload,
  type ReceivedUpload,
  recordUploadFailure,
  storeUpload,
  uploadTempDir,
} from "./files.server.ts";
import { tooLargeMessage } from "./slots.ts";

/** Room for the multipart envelope (boundaries, part headers) around the file when checking Content-Length. */
const MULTIPART_OVERHEAD = 64 * 1024;
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Temporary upload files older than this are removed when the router starts. */
const STALE_TEMP_MS = 24 * 60 * 60 * 1000;

function actorOf(req: Request, res: Response): Actor {
  return { user: (res.locals.user as SessionUser | null | undefined) ?? null, ip: req.ip ?? null };
}

function sendError(res: Response, err: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (isAppError(err)) {
    res
      .status(err.status)
      .json({ error: err.message, ...(err.fieldErrors ? { fieldErrors: err.fieldErrors } : {}) });
    return;
  }
  logger.error({ err }, "files route failed");
  res.status(500).json({ error: "服务器内部错误，请稍后再试" });
}

/**
 * Streams the one file field named `file` of a multipart request to a temporary file, counting bytes
 * as they arrive. More than `limit` bytes: rejects with 413 at once and removes the partial file.
 * Nothing is held in memory beyond the stream buffers.
 */
export function receiveUpload(req: Request, opts: { limit: number; dir: string }): Promise<ReceivedUpload> {
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({
        headers: req.headers,
        // Browsers send the file name as raw UTF-8.
        defParamCharset: "utf8",
        limits: { files: 1, fileSize: opts.limit + 1, fields: 20, fieldSize: 8 * 1024, parts: 25 },
      });
    } catch {
      reject(new FileRejected("bad_request", "请以 multipart/form-data 方式上传文件"));
      return;
    }
    let settled = false;
    let tempPath: string | null = null;
    let written: Promise<ReceivedUpload> | null = null;

    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      req.unpipe(bb);
      const cleanup = tempPath ? fsp.rm(tempPath, { force: true }) : Promise.resolve();
      cleanup.then(
        () => reject(err),
        () => reject(err),
      );
    };

    bb.on("file", (field, stream, info) => {
      if (field !== "file" || written) {
        stream.resume();
        return;
      }
      const target = path.join(opts.dir, `${Date.now()}-${randomBytes(8).toString("hex")}.part`);
      tempPath = target;
      let size = 0;
      const meter = new Transform({
        transform(chunk: Buffer, _enc, done) {
          size += chunk.length;
          if (size > opts.limit) done(new FileRejected("too_large", tooLargeMessage(opts.limit)));
          else done(null, chunk);
        },
      });
      stream.on("limit", () => meter.destroy(new FileRejected("too_large", tooLargeMessage(opts.limit))));
      written = pipeline(stream, meter, fs.createWriteStream(target, { flags: "wx", mode: 0o600 })).then(
        () => ({
          tempPath: target,
          originalName: info.filename ?? "",
          size,
        }),
      );
      written.catch(fail);
    });
    bb.on("error", () => fail(new FileRejected("bad_request", "上传的数据不完整，请重试")));
    bb.on("close", () => {
      if (settled) return;
      if (!written) {
        fail(new FileRejected("no_file", "请选择要上传的文件"));
        return;
      }
      written.then((r) => {
        if (settled) return;
        settled = true;
        resolve(r);
      }, fail);
    });
    req.on("close", () => {
      if (!req.complete) fail(new FileRejected("bad_request", "上传已中断，请重试"));
    });
    req.pipe(bb);
  });
}

/** Removes leftovers of interrupted uploads (best effort). */
async function sweepTempDir(dir: string): Promise<void> {
  try {
    const now = Date.now();
    for (const name of await fsp.readdir(dir)) {
      const p = path.join(dir, name);
      const s = await fsp.stat(p).catch(() => null);
      if (s?.isFile() && now - s.mtimeMs > STALE_TEMP_MS) await fsp.rm(p, { force: true });
    }
  } catch {
    // the directory may not exist yet
  }
}

/**
 * The files routes. Mount after the session and CSRF middleware (it reads `res.locals.user`).
 * - `POST /files/:ownerType/:ownerId/:slot` multipart, one field `file` → 201 `{id, name, size, mime, kind, url, thumbUrl?}`
 * - `GET /files/:id`, `GET /files/:id/thumb` (`?inline=1` for images and PDFs)
 * - `DELETE /files/:id`, `POST /files/:id/delete` → 204
 */
export function createFilesRouter(ctx: AppContext, opts: FilesOptions = {}): express.Router {
  const router = express.Router();
  const tempDir = uploadTempDir(ctx);
  void sweepTempDir(tempDir);

  router.post("/files/:ownerType/:ownerId/:slot", async (req, res) => {
    const actor = actorOf(req, res);
    try {
      const target = await prepareUpload(
        ctx,
        actor,
        { ownerType: req.params.ownerType, ownerId: req.params.ownerId, slotId: req.params.slot },
        opts,
      );
      const declared = Number(req.headers["content-length"]);
      if (Number.isFinite(declared) && declared > target.streamLimit + MULTIPART_OVERHEAD) {
        const err = new FileRejected("too_large", tooLargeMessage(target.streamLimit));
        await recordUploadFailure(ctx, actor, target, err, { contentLength: declared });
        throw err;
      }
      await fsp.mkdir(tempDir, { recursive: true });
      let received: ReceivedUpload;
      try {
        received = await receiveUpload(req, { limit: target.streamLimit, dir: tempDir });
      } catch (err) {
        if (err instanceof FileRejected) await recordUploadFailure(ctx, actor, target, err);
        throw err;
      }
      let view: FileView;
      try {
        view = await storeUpload(ctx, actor, target, received, opts);
      } finally {
        await fsp.rm(received.tempPath, { force: true });
      }
      res.status(201).json(view);
    } catch (err) {
      if (!req.complete) {
        // The body was not read to its end: answer now, drop the rest, and close the connection.
        res.setHeader("Connection", "close");
        req.resume();
      }
      sendError(res, err);
    }
  });

  const download = (variant: "original" | "thumb") => async (req: Request, res: Response) => {
    try {
      const id = String(req.params.id);
      if (!ID.test(id)) {
        res.status(404).json({ error: "未找到该文件" });
        return;
      }
      const file = await openFileDownload(ctx, actorOf(req, res), id, {
        ...opts,
        variant,
        inline: req.query.inline === "1",
        audit: req.method !== "HEAD",
      });
      res.setHeader("Content-Type", file.mime);
      res.setHeader("Content-Length", String(file.size));
      res.setHeader("Content-Disposition", file.disposition);
      res.setHeader("X-Content-Type-Options", "nosniff");
      res.setHeader("Cache-Control", "private, no-store");
      if (file.inline) {
        // Shown in our own gallery or PDF preview frame; no scripts run in it.
        res.setHeader(
          "Content-Security-Policy",
          file.mime === "application/pdf"
            ? "frame-ancestors 'self'"
            : "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'; sandbox",
        );
        res.setHeader("X-Frame-Options", "SAMEORIGIN");
      } else {
        res.setHeader("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; sandbox");
      }
      if (req.method === "HEAD") {
        file.body.destroy();
        res.end();
        return;
      }
      await pipeline(file.body, res);
    } catch (err) {
      sendError(res, err);
    }
  };
  router.get("/files/:id", download("original"));
  router.get("/files/:id/thumb", download("thumb"));

  const remove = async (req: Request, res: Response) => {
    try {
      const id = String(req.params.id);
      if (!ID.test(id)) {
        res.status(404).json({ error: "未找到该文件" });
        return;
      }
      await deleteFile(ctx, actorOf(req, res), id, opts);
      res.status(204).end();
    } catch (err) {
      sendError(res, err);
    }
  };
  router.delete("/files/:id", remove);
  router.post("/files/:id/delete", remove);

  return router;
}
