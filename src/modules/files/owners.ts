import type { Kysely } from "kysely";
import type { Actor, AppContext } from "#src/platform/context.ts";
import type { DB } from "#src/platform/db/schema.ts";
import { catalogSlot, registerSlot, type SlotDef } from "./slots.ts";

/** What a feature tells the files module about an owner record it allows access to. */
export interface FileOwnerAccess {
  /** The owner's region, stored with each file for scoping. */
  regionCode: string;
}

/**
 * How a feature decides who may touch the files of its records. Returning null refuses:
 * a refused read answers 404 (“not yours” looks like “not found”); a refused write answers 403
 * when the actor may read the owner, else 404.
 */
export interface FileOwnerHooks {
  /**
   * The slots this owner type uses: a shared definition's id (`SLOT_DEFS`) or the owner's own definition.
   * Uploads to any other slot answer 404.
   */
  slots: readonly (string | SlotDef)[];
  /** May the actor see the owner and download its files? `actor.user` is null only when `publicRead` is set. */
  canRead(ctx: AppContext, actor: Actor, ownerId: string): Promise<FileOwnerAccess | null>;
  /** May the actor add or delete files in this slot of the owner (e.g. only while the application is a draft)? */
  canWrite(ctx: AppContext, actor: Actor, ownerId: string, slot: string): Promise<FileOwnerAccess | null>;
  /** Let anonymous visitors reach `canRead` (for public pages). Default: anonymous downloads answer 401. */
  publicRead?: boolean;
  /**
   * Let anonymous visitors reach `canWrite` (a public form's attachments, e.g. an objection's
   * evidence); `canWrite` must then check the request itself. Default: anonymous uploads answer 401.
   */
  publicWrite?: boolean;
  /**
   * Runs inside the transaction that adds or deletes a file of the owner, e.g. to mark a public
   * page that shows the files as changed.
   */
  onFilesChanged?(trx: Kysely<DB>, ownerId: string, slot: string): Promise<void>;
}

const REGISTRY = Symbol.for("kepu.files.owners");
// Kept on globalThis: in development the Express server and Vite's SSR loader each import this module.
const globalRegistry = globalThis as { [REGISTRY]?: Map<string, FileOwnerHooks> };
globalRegistry[REGISTRY] ??= new Map<string, FileOwnerHooks>();
const owners = globalRegistry[REGISTRY];

/**
 * Registers (or replaces) the access hooks for one owner type, such as "application", and its slots.
 * A slot id listed twice, or defined differently from an earlier registration, throws.
 */
export function registerFileOwner(ownerType: string, hooks: FileOwnerHooks): void {
  if (!/^[a-z][a-z0-9_]*$/.test(ownerType)) throw new Error(`invalid owner type: ${ownerType}`);
  const seen = new Set<string>();
  for (const entry of hooks.slots) {
    const def = typeof entry === "string" ? catalogSlot(entry) : entry;
    if (!def) throw new Error(`unknown slot: ${String(entry)}`);
    if (seen.has(def.id)) throw new Error(`duplicate slot registration: ${ownerType}/${def.id}`);
    seen.add(def.id);
    registerSlot(ownerType, def);
  }
  owners.set(ownerType, hooks);
}

/** The slot ids an owner type uses. */
export function ownerSlotIds(hooks: FileOwnerHooks): string[] {
  return hooks.slots.map((s) => (typeof s === "string" ? s : s.id));
}

export function getFileOwner(ownerType: string): FileOwnerHooks | undefined {
  return owners.get(ownerType);
}
