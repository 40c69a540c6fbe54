/**
 * The entry of an export thread (export-thread.server.ts): opens a read-only connection of its own,
 * runs the task's function and sends what it writes to the parent, at most WINDOW chunks ahead of
 * the parent's acknowledgements.
 */
import { Writable } from "node:stream";
import { finished } from "node:stream/promises";
import { parentPort, workerData } from "node:worker_threads";
import { openSqliteReader } from "../db/bulk-reader.server.ts";
import { type Database, openDatabase } from "../db/database.ts";
import { type ExportFunction, type ThreadData, type ThreadMessage, WINDOW } from "./export-thread.server.ts";

const port = parentPort;
if (!port) throw new Error("export-thread.worker.ts runs only as a worker thread");
const data = workerData as ThreadData;

function openReader(): { db: Database; close(): Promise<void> } {
  if (data.engine === "sqlite") {
    const db = openSqliteReader(data.url);
    return { db, close: () => db.destroy() };
  }
  const handle = openDatabase({ engine: "postgres", url: data.url, poolSize: 1 });
  return { db: handle.db, close: handle.close };
}

let unacknowledged = 0;
let resume: (() => void) | null = null;
port.on("message", (m) => {
  if (m !== "ack") return;
  unacknowledged--;
  const r = resume;
  resume = null;
  r?.();
});

const send = (m: ThreadMessage) => port.postMessage(m);

const out = new Writable({
  write(chunk: Buffer, _encoding, callback) {
    // Copied into the message: the chunk may be a view of a buffer its writer reuses.
    send({ type: "chunk", chunk });
    unacknowledged++;
    if (unacknowledged < WINDOW) callback();
    else resume = () => callback();
  },
});

const reader = openReader();
try {
  const mod = (await import(data.module)) as Record<string, ExportFunction<unknown>>;
  const count = await mod[data.fn](reader.db, data.args, out);
  // Chunks still held back by the window are sent before the end is.
  await finished(out);
  send({ type: "done", count });
} catch (err) {
  send({ type: "error", message: err instanceof Error ? err.message : String(err) });
} finally {
  await reader.close();
  port.close();
}
