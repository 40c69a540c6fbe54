import path from "node:path";
import type { Config } from "../config.ts";
import { LocalDiskStorage } from "./local-disk.ts";
import type { Storage } from "./storage.ts";

export { LocalDiskStorage } from "./local-disk.ts";
export * from "./storage.ts";

const opened = new Map<string, Storage>();

/**
 * The storage backend for this configuration: local disk under `<dataDir>/files`.
 * (An S3-compatible backend would be chosen here from the config.)
 */
export function openStorage(config: Pick<Config, "dataDir">): Storage {
  const root = path.join(config.dataDir, "files");
  let storage = opened.get(root);
  if (!storage) {
    storage = new LocalDiskStorage(root);
    opened.set(root, storage);
  }
  return storage;
}
