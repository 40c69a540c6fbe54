import { randomBytes } from "node:crypto";
import type { Readable } from "node:stream";
import type { Clock } from "../clock.ts";
import { newId } from "../ids.ts";

/** What `put` learned while writing the bytes. */
export interface StoredObject {
  size: number;
  /** Lower-case hex SHA-256 of the stored bytes. */
  sha256: string;
}

export interface ObjectStat {
  size: number;
}

/**
 * Where file bytes live. Keys are generated on the server (`newStorageKey`), never taken from user input.
 * Local disk is the default; an S3-compatible backend can implement the same four calls later
 * (put → multipart upload with a hashing pass-through, get → GetObject body, stat → HeadObject).
 */
export interface Storage {
  /** Streams `body` under `key`. Readers never see a partly written object: it appears whole or not at all. */
  put(key: string, body: Readable, opts?: { contentType?: string }): Promise<StoredObject>;
  /** The bytes under `key`. Throws `StorageNotFoundError` when there are none. */
  get(key: string): Promise<Readable>;
  /** Size of the object, or null when it does not exist. */
  stat(key: string): Promise<ObjectStat | null>;
  /** Removes the object; removing a missing key is not an error. */
  delete(key: string): Promise<void>;
}

export class StorageNotFoundError extends Error {
  constructor(key: string) {
    super(`storage object not found: ${key}`);
    this.name = "StorageNotFoundError";
  }
}

const KEY_PATTERN = /^[a-z0-9][a-z0-9_-]*(\/[a-z0-9][a-z0-9_.-]*)*$/;

/** Keys are relative, lower-case, with no empty, dot or dot-dot segments: safe as a path and as an S3 key. */
export function assertValidKey(key: string): void {
  if (key.length > 200 || !KEY_PATTERN.test(key) || key.split("/").some((s) => s === "." || s === "..")) {
    throw new Error(`invalid storage key: ${JSON.stringify(key)}`);
  }
}

/** A fresh key `yyyy/mm/<uuidv7>`, grouped by the month of upload (UTC). */
export function newStorageKey(clock: Clock): string {
  const now = clock.now();
  const yyyy = String(now.getUTCFullYear());
  const mm = String(now.getUTCMonth() + 1).padStart(2, "0");
  return `${yyyy}/${mm}/${newId(now.getTime())}`;
}

/** A derived key for another rendition of the same upload, such as its thumbnail. */
export function variantKey(key: string, variant: "thumb"): string {
  return `${key}-${variant}`;
}

/** A name for a temporary file beside `finalName`; hidden and never a valid key. */
export function tempNameFor(finalName: string): string {
  return `.${finalName}.${randomBytes(6).toString("hex")}.tmp`;
}
