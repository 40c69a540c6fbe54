import path from "node:path";
import { fileURLToPath } from "node:url";

/** Repository root (the folder holding server.ts and package.json). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** Where results and server logs go; gitignored. */
export const outDir = path.join(repoRoot, "bench", ".out");
export const memoryPreload = path.join(repoRoot, "bench", "lib", "memory-preload.ts");
export const baselineScript = path.join(repoRoot, "bench", "lib", "baseline-server.ts");
