import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { fileTypeFromFile } from "file-type";
import { type Expression, type ExpressionBuilder, type Kysely, sql } from "kysely";
import { deniedAsNotFound } from "#src/modules/accounts/authorize.server.ts";
import { recordAudit } from "#src/modules/audit/audit.server.ts";
import type { Actor, AppContext, SessionUser } from "#src/platform/context.ts";
import type { DB, StoredFile } from "#src/platform/db/schema.ts";
import { AppError } from "#src/platform/errors.ts";
import { newId } from "#src/platform/ids.ts";
import { logger } from "#src/platform/logger.ts";
import { newStorageKey, openStorage, type Storage, variantKey } from "#src/platform/storage/index.ts";
import { FileRejected } from "./files.errors.ts";
import {
  cfbMimeFor,
  contentDisposition,
  nameForStoredType,
  sanitizeFileName,
  tooManyPixelsMessage,
} from "./files.rules.ts";
import { ImageDecodeError, MAX_INPUT_PIXELS, makeThumbnail, reencodeImage } from "./images.server.ts";
import { type FileOwnerAccess, type FileOwnerHooks, getFileOwner, ownerSlotIds } from "./owners.ts";
import {
  allowedMimes,
  canAddToSlot,
  describeKinds,
  type FileKind,
  getSlot,
  kindOfMime,
  maxBytesFor,
  type SlotDef,
  streamLimitFor,
  tooLargeMessage,
  type UploadLimits,
  uploadLimitsFromEnv,
} from "./slots.ts";

export { type FileOwnerAccess, type FileOwnerHooks, registerFileOwner } from "./owners.ts";

/** What the UI gets for one stored file. */
export interface FileView {
  id: string;
  name: string;
  size: number;
  mime: string;
  kind: FileKind;
  slot: string;
  width: number | null;
  height: number | null;
  url: string;
  thumbUrl?: string;
  createdAt: string;
}

export function toFileView(row: StoredFile): FileView {
  return {
    id: row.id,
    name: row.original_name,
    size: Number(row.size),
    mime: row.mime,
    kind: row.kind,
    slot: row.slot,
    width: row.width,
    height: row.height,
    url: `/files/${row.id}`,
    ...(row.thumb_key ? { thumbUrl: `/files/${row.id}/thumb` } : {}),
    createdAt: row.created_at,
  };
}

/** Where uploads stream to before they are checked; on the same disk as the data. */
export function uploadTempDir(ctx: Pick<AppContext, "config">): string {
  return path.join(ctx.config.dataDir, "tmp", "uploads");
}

export interface FilesOptions {
  storage?: Storage;
  limits?: UploadLimits;
}

const storageOf = (ctx: AppContext, opts?: FilesOptions) => opts?.storage ?? openStorage(ctx.config);
const limitsOf = (opts?: FilesOptions) => opts?.limits ?? uploadLimitsFromEnv();

function requireActiveUser(actor: Actor): SessionUser {
  if (!actor.user) throw new AppError("UNAUTHENTICATED", "请先登录");
  if (actor.user.mustChangePassword) throw new AppError("FORBIDDEN", "请先修改初始密码");
  return actor.user;
}

function ownerHooks(ownerType: string): FileOwnerHooks {
  const hooks = getFileOwner(ownerType);
  if (!hooks) throw new AppError("NOT_FOUND", "未找到该记录");
  return hooks;
}

/** A refused write: 403 if the actor may see the owner, else the same 404 as a miss. Both are audited. */
async function refuseWrite(
  ctx: AppContext,
  actor: Actor,
  hooks: FileOwnerHooks,
  target: { ownerType: string; ownerId: string; slot: string; fileId?: string },
): Promise<never> {
  const readable = await hooks.canRead(ctx, actor, target.ownerId);
  await recordAudit(ctx, ctx.db, actor, {
    action: "access.denied",
    outcome: "denied",
    targetType: target.fileId ? "file" : target.ownerType,
    targetId: target.fileId ?? target.ownerId,
    detail: { reason: "file_write", ownerType: target.ownerType, ownerId: target.ownerId, slot: target.slot },
  });
  if (readable) throw new AppError("FORBIDDEN", "当前不能修改该材料");
  throw new AppError("NOT_FOUND", "未找到该记录");
}

/** An authorized place for one upload, established before any byte is read. */
export interface UploadTarget {
  ownerType: string;
  ownerId: string;
  slot: SlotDef;
  regionCode: string;
  /** The largest file accepted while streaming. */
  streamLimit: number;
}

/**
 * Checks, before the body is read, that the actor may upload into this slot of this owner
 * and that the slot has room. Throws 401/403/404/422.
 */
export async function prepareUpload(
  ctx: AppContext,
  actor: Actor,
  input: { ownerType: string; ownerId: string; slotId: string },
  opts?: FilesOptions,
): Promise<UploadTarget> {
  const hooks = ownerHooks(input.ownerType);
  if (!(hooks.publicWrite && !actor.user)) requireActiveUser(actor);
  const slot = getSlot(input.ownerType, input.slotId);
  if (!slot || !ownerSlotIds(hooks).includes(slot.id)) {
    throw new AppError("NOT_FOUND", "未找到该上传位置");
  }
  const access = await hooks.canWrite(ctx, actor, input.ownerId, slot.id);
  if (!access) return refuseWrite(ctx, actor, hooks, { ...input, slot: slot.id });
  const target: UploadTarget = {
    ownerType: input.ownerType,
    ownerId: input.ownerId,
    slot,
    regionCode: access.regionCode,
    streamLimit: streamLimitFor(slot, limitsOf(opts)),
  };
  const current = await countInSlot(ctx.db, target);
  const room = canAddToSlot(slot, current);
  if (!room.ok) {
    const err = new FileRejected("count_exceeded", room.message);
    await recordUploadFailure(ctx, actor, target, err);
    throw err;
  }
  return target;
}

async function countInSlot(db: Kysely<DB>, t: { ownerType: string; ownerId: string; slot: SlotDef }) {
  const row = await db
    .selectFrom("files")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("owner_type", "=", t.ownerType)
    .where("owner_id", "=", t.ownerId)
    .where("slot", "=", t.slot.id)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Records a refused upload (size, type, count…) in the audit log. */
export async function recordUploadFailure(
  ctx: AppContext,
  actor: Actor,
  target: Pick<UploadTarget, "ownerType" | "ownerId" | "slot">,
  err: FileRejected,
  detail: Record<string, unknown> = {},
): Promise<void> {
  await recordAudit(ctx, ctx.db, actor, {
    action: "file.upload",
    outcome: "failure",
    targetType: target.ownerType,
    targetId: target.ownerId,
    detail: { reason: err.reason, slot: target.slot.id, ...detail },
  });
}

export interface ReceivedUpload {
  /** The streamed bytes, in `uploadTempDir`; the caller removes it afterwards. */
  tempPath: string;
  /** As the client named it; sanitized here. */
  originalName: string;
  size: number;
}

/**
 * Checks a streamed upload by its magic bytes, re-encodes images (stripping metadata) with a thumbnail,
 * stores the bytes under a new key and then inserts the row and the audit event in one transaction.
 * If the transaction fails, the stored bytes are deleted again: the row and the bytes exist together or not at all.
 */
export async function storeUpload(
  ctx: AppContext,
  actor: Actor,
  target: UploadTarget,
  upload: ReceivedUpload,
  opts?: FilesOptions,
): Promise<FileView> {
  // Anonymous only where the owner type allows it (its canWrite has already checked the request).
  const user = ownerHooks(target.ownerType).publicWrite && !actor.user ? null : requireActiveUser(actor);
  const storage = storageOf(ctx, opts);
  const limits = limitsOf(opts);
  const { slot } = target;
  let name = sanitizeFileName(upload.originalName);
  const reject = async (err: FileRejected, detail: Record<string, unknown> = {}): Promise<never> => {
    await recordUploadFailure(ctx, actor, target, err, { name, size: upload.size, ...detail });
    throw err;
  };

  if (upload.size === 0) return reject(new FileRejected("empty", "文件为空，请重新选择"));
  if (upload.size > target.streamLimit) {
    return reject(new FileRejected("too_large", tooLargeMessage(target.streamLimit)));
  }
  const detected = await fileTypeFromFile(upload.tempPath);
  const detectedMime = detected?.mime ?? "unknown";
  const kind = kindOfMime(detectedMime);
  if (!kind || !allowedMimes(slot).includes(detectedMime)) {
    const heic = detectedMime === "image/heic" || detectedMime === "image/heif";
    const message = heic
      ? "暂不支持 HEIC 格式的照片，请转换为 JPG 后上传（iPhone 可在“设置 › 相机 › 格式”中选择“兼容性最佳”）"
      : `「${slot.label}」只接受 ${describeKinds(slot)} 文件，所选文件的实际格式不符`;
    return reject(new FileRejected("type_not_allowed", message), { detected: detectedMime });
  }
  const limit = maxBytesFor(slot, kind, limits);
  if (upload.size > limit) return reject(new FileRejected("too_large", tooLargeMessage(limit)));

  let mime = detectedMime;
  if (mime === "application/x-cfb") {
    const served = cfbMimeFor(name);
    if (!served) {
      return reject(
        new FileRejected("type_not_allowed", `「${slot.label}」只接受 ${describeKinds(slot)} 文件`),
        { detected: detectedMime },
      );
    }
    mime = served;
  }

  const scratch: string[] = [];
  let source = upload.tempPath;
  let width: number | null = null;
  let height: number | null = null;
  let thumbPath: string | null = null;
  try {
    if (kind === "image") {
      const out = `${upload.tempPath}.img`;
      scratch.push(out);
      try {
        const img = await reencodeImage(upload.tempPath, out, mime);
        ({ mime, width, height } = img);
      } catch (err) {
        if (!(err instanceof ImageDecodeError)) throw err;
        const rejected = err.tooManyPixels
          ? new FileRejected("too_many_pixels", tooManyPixelsMessage(MAX_INPUT_PIXELS))
          : new FileRejected("bad_image", "图片已损坏或无法识别，请重新选择");
        return await reject(rejected);
      }
      source = out;
      thumbPath = `${upload.tempPath}.thumb`;
      scratch.push(thumbPath);
      await makeThumbnail(out, thumbPath);
    }
    name = nameForStoredType(name, mime);

    const key = newStorageKey(ctx.clock);
    const thumbKey = thumbPath ? variantKey(key, "thumb") : null;
    const stored = await storage.put(key, fs.createReadStream(source), { contentType: mime });
    try {
      if (thumbKey && thumbPath) {
        await storage.put(thumbKey, fs.createReadStream(thumbPath), { contentType: "image/jpeg" });
      }
      const row: StoredFile = {
        id: newId(ctx.clock.now().getTime()),
        storage_key: key,
        original_name: name,
        mime,
        size: stored.size,
        sha256: stored.sha256,
        kind,
        width,
        height,
        thumb_key: thumbKey,
        owner_type: target.ownerType,
        owner_id: target.ownerId,
        slot: slot.id,
        region_code: target.regionCode,
        created_by: user?.id ?? null,
        created_at: ctx.clock.now().toISOString(),
      };
      await ctx.db.transaction().execute(async (trx) => {
        await lockSlot(ctx, trx, target);
        const room = canAddToSlot(slot, await countInSlot(trx, target));
        if (!room.ok) throw new FileRejected("count_exceeded", room.message);
        await trx.insertInto("files").values(row).execute();
        await getFileOwner(target.ownerType)?.onFilesChanged?.(trx, target.ownerId, slot.id);
        await recordAudit(ctx, trx, actor, {
          action: "file.upload",
          targetType: "file",
          targetId: row.id,
          detail: {
            ownerType: target.ownerType,
            ownerId: target.ownerId,
            slot: slot.id,
            name,
            mime,
            size: stored.size,
            sha256: stored.sha256,
          },
        });
      });
      return toFileView(row);
    } catch (err) {
      await removeQuietly(storage, [key, thumbKey]);
      if (err instanceof FileRejected) return await reject(err);
      throw err;
    }
  } finally {
    await Promise.all(scratch.map((p) => fsp.rm(p, { force: true })));
  }
}

/** Serializes uploads into one slot on PostgreSQL, so two at once cannot both take the last place. */
async function lockSlot(ctx: AppContext, trx: Kysely<DB>, t: UploadTarget): Promise<void> {
  // SQLite runs one write transaction at a time already.
  if (ctx.engine !== "postgres") return;
  const key = `files:${t.ownerType}:${t.ownerId}:${t.slot.id}`;
  await sql`select pg_advisory_xact_lock(hashtext(${key}))`.execute(trx);
}

async function removeQuietly(storage: Storage, keys: (string | null)[]): Promise<void> {
  for (const key of keys) {
    if (!key) continue;
    try {
      await storage.delete(key);
    } catch (err) {
      logger.error({ err, key }, "could not remove stored file bytes");
    }
  }
}

/** Looks a file up and asks its owner whether the actor may read it. Anonymous → 401, refused → 404. */
async function readableFile(ctx: AppContext, actor: Actor, id: string): Promise<StoredFile> {
  if (actor.user?.mustChangePassword) throw new AppError("FORBIDDEN", "请先修改初始密码");
  const row = await ctx.db.selectFrom("files").selectAll().where("id", "=", id).executeTakeFirst();
  const hooks = row ? getFileOwner(row.owner_type) : undefined;
  if (!actor.user && !hooks?.publicRead) throw new AppError("UNAUTHENTICATED", "请先登录");
  if (!row || !hooks) throw new AppError("NOT_FOUND", "未找到该文件");
  const access = await hooks.canRead(ctx, actor, row.owner_id);
  if (!access) return deniedAsNotFound(ctx, actor, { type: "file", id: row.id, exists: true });
  return row;
}

export interface FileDownload {
  file: StoredFile;
  body: Readable;
  size: number;
  mime: string;
  /** The Content-Disposition header value. */
  disposition: string;
  inline: boolean;
}

/**
 * Opens a file (or its thumbnail) for an authorized reader and records the download.
 * `inline` is honoured for images and PDFs only; everything else is an attachment.
 */
export async function openFileDownload(
  ctx: AppContext,
  actor: Actor,
  id: string,
  opts: { variant?: "original" | "thumb"; inline?: boolean; audit?: boolean } & FilesOptions = {},
): Promise<FileDownload> {
  const file = await readableFile(ctx, actor, id);
  const storage = storageOf(ctx, opts);
  const thumb = opts.variant === "thumb";
  const key = thumb ? file.thumb_key : file.storage_key;
  if (!key) throw new AppError("NOT_FOUND", "未找到该文件");
  const stat = await storage.stat(key);
  if (!stat) {
    logger.error({ fileId: file.id, key }, "stored bytes are missing for a file row");
    throw new AppError("NOT_FOUND", "未找到该文件");
  }
  const inline = !!opts.inline && (thumb || file.kind === "image" || file.kind === "pdf");
  const mime = thumb ? "image/jpeg" : file.mime;
  const name = thumb
    ? nameForStoredType(file.original_name.replace(/(\.[^.]*)?$/, "-缩略图"), mime)
    : file.original_name;
  const body = await storage.get(key);
  if (!thumb && opts.audit !== false) {
    await recordAudit(ctx, ctx.db, actor, {
      action: "file.download",
      targetType: "file",
      targetId: file.id,
      detail: { ownerType: file.owner_type, ownerId: file.owner_id, slot: file.slot, inline },
    }).catch((err) => {
      body.destroy();
      throw err;
    });
  }
  return {
    file,
    body,
    size: stat.size,
    mime,
    disposition: contentDisposition(name, inline ? "inline" : "attachment"),
    inline,
  };
}

/** The owner's files, oldest first, for an actor the owner lets read them. */
export async function listFiles(
  ctx: AppContext,
  actor: Actor,
  ownerType: string,
  ownerId: string,
): Promise<FileView[]> {
  if (actor.user?.mustChangePassword) throw new AppError("FORBIDDEN", "请先修改初始密码");
  const hooks = ownerHooks(ownerType);
  if (!actor.user && !hooks.publicRead) throw new AppError("UNAUTHENTICATED", "请先登录");
  const access = await hooks.canRead(ctx, actor, ownerId);
  if (!access) return deniedAsNotFound(ctx, actor, { type: ownerType, id: ownerId, exists: true });
  return listOwnerFiles(ctx, ownerType, ownerId);
}

/**
 * The owner's files, oldest first. No authorization of its own: for the owner's module, once it has
 * let the actor read the owner (as its file hooks' canRead would).
 */
export async function listOwnerFiles(
  ctx: Pick<AppContext, "db">,
  ownerType: string,
  ownerId: string,
): Promise<FileView[]> {
  const rows = await ctx.db
    .selectFrom("files")
    .selectAll()
    .where("owner_type", "=", ownerType)
    .where("owner_id", "=", ownerId)
    .orderBy("id")
    .execute();
  return rows.map(toFileView);
}

/**
 * How many files an owner holds in one slot, as a scalar subquery the owner's module folds into its
 * own statement (`ownerId` is usually a column of that statement). No authorization of its own.
 */
export function countFilesInSlot(
  // biome-ignore lint/suspicious/noExplicitAny: the outer statement may be over any tables
  eb: ExpressionBuilder<DB, any>,
  ownerType: string,
  ownerId: Expression<string>,
  slot: string,
) {
  return eb
    .selectFrom("files")
    .select((e) => e.fn.countAll<number | string>().as("n"))
    .where("files.owner_type", "=", ownerType)
    .where("files.owner_id", "=", ownerId)
    .where("files.slot", "=", slot);
}

/**
 * How many files each slot of an owner holds (slots with none are absent). No authorization of its own:
 * the caller (e.g. submitApplication) has already authorized, and may pass its transaction as `db`.
 */
export async function countFilesBySlot(
  ctx: Pick<AppContext, "db">,
  ownerType: string,
  ownerId: string,
  db: Kysely<DB> = ctx.db,
): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom("files")
    .select((eb) => ["slot", eb.fn.countAll<number>().as("n")])
    .where("owner_type", "=", ownerType)
    .where("owner_id", "=", ownerId)
    .groupBy("slot")
    .execute();
  return Object.fromEntries(rows.map((r) => [r.slot, Number(r.n)]));
}

/** Deletes a file for an actor allowed to write its slot: the row (audited) first, then the bytes. */
export async function deleteFile(
  ctx: AppContext,
  actor: Actor,
  id: string,
  opts?: FilesOptions,
): Promise<void> {
  requireActiveUser(actor);
  const row = await ctx.db.selectFrom("files").selectAll().where("id", "=", id).executeTakeFirst();
  const hooks = row ? getFileOwner(row.owner_type) : undefined;
  if (!row || !hooks) throw new AppError("NOT_FOUND", "未找到该文件");
  const access: FileOwnerAccess | null = await hooks.canWrite(ctx, actor, row.owner_id, row.slot);
  if (!access) {
    return refuseWrite(ctx, actor, hooks, {
      ownerType: row.owner_type,
      ownerId: row.owner_id,
      slot: row.slot,
      fileId: row.id,
    });
  }
  await ctx.db.transaction().execute(async (trx) => {
    const deleted = await trx.deleteFrom("files").where("id", "=", id).executeTakeFirst();
    if (Number(deleted.numDeletedRows) !== 1) throw new AppError("NOT_FOUND", "未找到该文件");
    await hooks.onFilesChanged?.(trx, row.owner_id, row.slot);
    await recordAudit(ctx, trx, actor, {
      action: "file.delete",
      targetType: "file",
      targetId: row.id,
      detail: {
        ownerType: row.owner_type,
        ownerId: row.owner_id,
        slot: row.slot,
        name: row.original_name,
        sha256: row.sha256,
      },
    });
  });
  // After the commit: a failure here leaves unreferenced bytes (logged), never a row without bytes.
  await removeQuietly(storageOf(ctx, opts), [row.storage_key, row.thumb_key]);
}
