/** Tasks for export-thread.int.test.ts, run in an export thread. */
import type { Writable } from "node:stream";
import type { Database } from "../db/database.ts";
import { drained } from "./zip-writer.server.ts";

/** Writes the login of user `id` (read on the thread's own connection), then `chunks` numbered chunks. */
export async function writeNumberedChunks(
  db: Database,
  args: { userId: string; chunks: number; bytes: number },
  out: Writable,
): Promise<number> {
  const user = await db
    .selectFrom("users")
    .select("username")
    .where("id", "=", args.userId)
    .executeTakeFirst();
  out.write(`${user?.username ?? "?"}\n`);
  for (let i = 0; i < args.chunks; i++) {
    const label = `${i}:`;
    if (!out.write(label.padEnd(args.bytes, "x"))) await drained(out);
  }
  out.end();
  return args.chunks;
}

/** Writes a chunk, then fails. */
export async function failAfterOneChunk(
  _db: Database,
  args: { message: string },
  out: Writable,
): Promise<number> {
  out.write("partial");
  await new Promise((r) => setTimeout(r, 10));
  throw new Error(args.message);
}
