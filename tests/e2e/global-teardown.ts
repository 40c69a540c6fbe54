import { rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/** Removes the temporary data directory (SQLite file) that playwright.config.ts created. */
export default function globalTeardown(): void {
  const dir = process.env.E2E_DATA_DIR;
  if (dir && path.resolve(dir).startsWith(path.resolve(os.tmpdir()) + path.sep)) {
    rmSync(dir, { recursive: true, force: true });
  }
}
