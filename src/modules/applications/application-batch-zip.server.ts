import type { Writable } from "node:stream";
import yazl from "yazl";
import { authorize } from "#src/modules/accounts/authorize.server.ts";
import { recordAudit } from "#src/modules/audit/audit.server.ts";
import { getCall } from "#src/modules/calls/calls.server.ts";
import { catalogSlot } from "#src/modules/files/slots.ts";
import { listRegions, regionSubtree } from "#src/modules/regions/regions.server.ts";
import type { Actor, AppContext } from "#src/platform/context.ts";
import { openStorage } from "#src/platform/storage/index.ts";
import { beijingWallClock } from "#src/platform/zip/zip-time.ts";

/** Applications whose file rows are read in one query. */
const BATCH = 200;

/** A name safe as one ZIP path segment: no separators, no control characters, not empty. */
export function zipSegment(name: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing what a file name cannot hold
  const clean = name.replace(/[\u0000-\u001f\\/:*?"<>|]/g, "_").trim();
  return clean.replace(/^\.+$/, "_") || "_";
}

/** A ZIP entry's options: the file's upload time as Beijing wall-clock time, stored as the DOS timestamp. */
export function zipEntryOptions(createdAt: string, compress: boolean) {
  return { mtime: beijingWallClock(new Date(createdAt)), forceDosTimestamp: true, compress };
}

/**
 * 【下载整批附件】: every attachment of a call's submitted applications in the actor's region (a
 * county's staff get only their county's), as one ZIP with a folder per application (所在区域-基地名称)
 * and within it a folder per slot. Authorization, the scope and the audit record come first; the
 * returned writer then streams the ZIP, opening each stored file only when its entry is written
 * (photos and PDFs are stored, not deflated again). Returns the counts for the record.
 */
export async function prepareBatchAttachmentsZip(
  ctx: AppContext,
  actor: Actor,
  callId: string,
): Promise<{ title: string; write: (out: Writable) => Promise<{ applications: number; files: number }> }> {
  const me = await authorize(ctx, actor, "applications:review");
  const call = await getCall(ctx, callId);
  const scope = await regionSubtree(ctx, me.regionCode);
  const names = new Map((await listRegions(ctx)).map((r) => [r.code, r.name]));
  const apps = await ctx.db
    .selectFrom("applications")
    .select(["id", "base_name", "region_code"])
    .where("call_id", "=", call.id)
    .where("region_code", "in", scope.length ? scope : [""])
    .where("status", "!=", "draft")
    .orderBy("region_code")
    .orderBy("base_name")
    .orderBy("id")
    .execute();
  await recordAudit(ctx, ctx.db, actor, {
    action: "application.export_batch_zip",
    targetType: "call",
    targetId: call.id,
    detail: { applications: apps.length },
  });
  const write = async (out: Writable) => {
    const storage = openStorage(ctx.config);
    const zip = new yazl.ZipFile();
    const done = new Promise<void>((resolve, reject) => {
      zip.on("error", reject);
      out.on("error", reject);
      out.on("close", () =>
        out.writableFinished ? resolve() : reject(new Error("the download was closed before it finished")),
      );
      out.on("finish", resolve);
    });
    zip.on("error", (err: Error) => out.destroy(err));
    zip.outputStream.pipe(out);
    const folders = new Set<string>();
    let files = 0;
    for (let i = 0; i < apps.length; i += BATCH) {
      const batch = apps.slice(i, i + BATCH);
      const rows = await ctx.db
        .selectFrom("files")
        .select(["owner_id", "slot", "original_name", "storage_key", "kind", "created_at"])
        .where("owner_type", "=", "application")
        .where(
          "owner_id",
          "in",
          batch.map((a) => a.id),
        )
        .orderBy("owner_id")
        .orderBy("slot")
        .orderBy("id")
        .execute();
      for (const app of batch) {
        let folder = zipSegment(
          `${names.get(app.region_code) ?? app.region_code}-${app.base_name || "未填写基地名称"}`,
        );
        for (let n = 2; folders.has(folder); n++) folder = zipSegment(`${folder}-${n}`);
        folders.add(folder);
        const used = new Set<string>();
        for (const f of rows.filter((r) => r.owner_id === app.id)) {
          const slot = zipSegment(catalogSlot(f.slot)?.label ?? f.slot);
          const base = zipSegment(f.original_name);
          let name = `${folder}/${slot}/${base}`;
          for (let n = 2; used.has(name); n++) name = `${folder}/${slot}/${n}-${base}`;
          used.add(name);
          const key = f.storage_key;
          zip.addReadStreamLazy(name, zipEntryOptions(f.created_at, f.kind === "document"), (cb) => {
            storage.get(key).then(
              (stream) => cb(null, stream),
              (err: Error) => cb(err, undefined as never),
            );
          });
          files++;
        }
      }
    }
    zip.end();
    await done;
    return { applications: apps.length, files };
  };
  return { title: call.title, write };
}
