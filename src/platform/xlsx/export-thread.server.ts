import { createRequire } from "node:module";
import type { Writable } from "node:stream";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { AppContext } from "../context.ts";
import { type Database, databaseSourceOf } from "../db/database.ts";
import { drained } from "./zip-writer.server.ts";

/**
 * A long export (200,000 rows of XLSX) run in a worker thread of its own (ADR 0014).
 *
 * The rows, the sheet XML and the compressor's input are garbage the moment they are written, but
 * some of each batch outlives a young-generation collection while the next batch is read, and is
 * promoted. In the server's heap (about 80 MB live after the pages are warm) V8 lets such garbage
 * reach several times the live size before a full collection, so one export grew a server by about
 * 190 MB on PostgreSQL. A thread has a heap of its own, a few MB live and capped below, so the same
 * garbage is collected early; and the server's event loop keeps answering pages meanwhile.
 *
 * A task is a module of this project and the name of a function it exports,
 * `(db, args, out) => Promise<number>`: it reads through `db` (its own read-only connection), writes
 * the file to `out` and ends it, and returns the number of rows. `args` must survive structured
 * cloning. Chunks reach the caller's `out` in order, at most WINDOW ahead of what `out` has taken.
 */
export interface ExportTask<Args> {
  /** `#src/…` specifier of the module, as code names it (never from a request). */
  module: string;
  fn: string;
  args: Args;
}

export type ExportFunction<Args> = (db: Database, args: Args, out: Writable) => Promise<number>;

/** Messages from the thread. */
export type ThreadMessage =
  | { type: "chunk"; chunk: Uint8Array }
  | { type: "done"; count: number }
  | { type: "error"; message: string };

/** What the thread is started with. */
export interface ThreadData {
  /** export-thread.worker.ts, which export-thread.boot.mjs imports once TypeScript can be loaded. */
  entry: string;
  engine: AppContext["engine"];
  url: string;
  module: string;
  fn: string;
  args: unknown;
}

/** Chunks the thread may send before the caller's stream has taken them. */
export const WINDOW = 4;

const HEAP_LIMITS = { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 16 };

const require = createRequire(import.meta.url);
/** `#src/…` resolves through package.json "imports", also from the bundled server build. */
const resolveSpecifier = (specifier: string) => pathToFileURL(require.resolve(specifier)).href;

/**
 * Runs `task` in a thread and streams what it writes to `out`, which is ended after the last chunk.
 * Resolves with the row count. If `out` closes first (the download was cancelled) the thread is
 * stopped and the promise rejects. An in-memory database has no file for a thread to open: the task
 * then runs here, on `ctx.db`.
 */
export async function streamFromThread<Args>(
  ctx: AppContext,
  task: ExportTask<Args>,
  out: Writable,
): Promise<number> {
  const source = databaseSourceOf(ctx.db);
  const moduleUrl = resolveSpecifier(task.module);
  if (!source) {
    const mod = (await import(moduleUrl)) as Record<string, ExportFunction<Args>>;
    return mod[task.fn](ctx.db, task.args, out);
  }
  const data: ThreadData = {
    ...source,
    entry: resolveSpecifier("#src/platform/xlsx/export-thread.worker.ts"),
    module: moduleUrl,
    fn: task.fn,
    args: task.args,
  };
  const worker = new Worker(new URL(resolveSpecifier("#src/platform/xlsx/export-thread.boot.mjs")), {
    workerData: data,
    // Not the process's flags: a preload (`--import x.ts`) would run before the thread can load TypeScript.
    execArgv: [],
    resourceLimits: HEAP_LIMITS,
  });
  return new Promise<number>((resolve, reject) => {
    let settled = false;
    const settle = (err: Error | null, count = 0) => {
      if (settled) return;
      settled = true;
      out.off("close", onClose);
      if (err) {
        void worker.terminate();
        reject(err);
      } else resolve(count);
    };
    const onClose = () => {
      if (!out.writableFinished) settle(new Error("the download was closed before it finished"));
    };
    out.on("close", onClose);
    // Messages are handled one after another: a chunk waits for room in `out` before it is acknowledged.
    let queue = Promise.resolve();
    worker.on("message", (m: ThreadMessage) => {
      queue = queue
        .then(async () => {
          if (settled) return;
          if (m.type === "chunk") {
            if (!out.write(Buffer.from(m.chunk.buffer, m.chunk.byteOffset, m.chunk.byteLength)))
              await drained(out);
            worker.postMessage("ack");
          } else if (m.type === "done") {
            out.end();
            settle(null, m.count);
          } else settle(new Error(m.message));
        })
        .catch((err: Error) => settle(err));
    });
    worker.on("error", (err) => settle(err));
    // After the messages before it: a thread that ended normally has sent "done" already.
    worker.on("exit", (code) => {
      queue = queue.then(() => settle(new Error(`the export thread stopped (exit code ${code})`)));
    });
  });
}
