import { PassThrough, Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUserRecord, type MadeUser } from "../../../tests/support/factories.ts";
import { createTestContext, type TestContext } from "../../../tests/support/test-db.ts";
import { openDatabase } from "../db/database.ts";
import { streamFromThread } from "./export-thread.server.ts";

const FIXTURE = "#src/platform/xlsx/export-thread.fixture.ts";

let t: TestContext;
let user: MadeUser;
beforeAll(async () => {
  t = await createTestContext();
  user = await createUserRecord(t.ctx, { role: "city" });
});
afterAll(async () => t?.close());

function collect(out: PassThrough): () => string {
  const chunks: Buffer[] = [];
  out.on("data", (c: Buffer) => chunks.push(c));
  return () => Buffer.concat(chunks).toString("utf8");
}

describe("streamFromThread", () => {
  it("streams what the task writes, in order and complete, reading on the thread's own connection", async () => {
    const out = new PassThrough();
    const text = collect(out);
    const ended = new Promise((r) => out.on("end", r));
    const count = await streamFromThread(
      t.ctx,
      { module: FIXTURE, fn: "writeNumberedChunks", args: { userId: user.id, chunks: 300, bytes: 5000 } },
      out,
    );
    await ended;
    expect(count).toBe(300);
    const lines = text().split("\n");
    expect(lines[0]).toBe(user.login);
    const body = lines[1];
    expect(body.length).toBe(300 * 5000);
    for (let i = 0; i < 300; i++) expect(body.startsWith(`${i}:`, i * 5000)).toBe(true);
  });

  it("rejects with the task's error", async () => {
    const out = new PassThrough();
    out.resume();
    await expect(
      streamFromThread(
        t.ctx,
        { module: FIXTURE, fn: "failAfterOneChunk", args: { message: "读取失败" } },
        out,
      ),
    ).rejects.toThrow("读取失败");
    expect(out.writableEnded).toBe(false);
  });

  it("waits while the download does not take more, and stops the thread when it is closed", async () => {
    let writes = 0;
    let firstWrite = () => {};
    const wrote = new Promise<void>((resolve) => {
      firstWrite = resolve;
    });
    // A download that takes one chunk and then never asks for more.
    const out = new Writable({
      highWaterMark: 1,
      write(_chunk, _enc, _callback) {
        writes++;
        firstWrite();
      },
    });
    const outcome = streamFromThread(
      t.ctx,
      {
        module: FIXTURE,
        fn: "writeNumberedChunks",
        args: { userId: user.id, chunks: 10_000, bytes: 16_384 },
      },
      out,
    ).then(
      () => null,
      (err: Error) => err,
    );
    // The thread starts (slowly under a loaded test run), sends its first chunks, then must wait.
    await wrote;
    await new Promise((r) => setTimeout(r, 300));
    expect(writes).toBe(1);
    out.destroy();
    expect(String(await outcome)).toMatch(/closed before it finished/);
  });

  // An in-memory database exists only for SQLite; it is opened here whichever engine the suite runs on.
  it("runs the task in this thread for an in-memory database", async () => {
    const memory = openDatabase({ engine: "sqlite", url: ":memory:" });
    try {
      const out = new PassThrough();
      const text = collect(out);
      const count = await streamFromThread(
        { ...t.ctx, db: memory.db },
        { module: FIXTURE, fn: "writeNumberedChunks", args: { userId: user.id, chunks: 2, bytes: 10 } },
        out,
      ).catch((err: Error) => err);
      // No users table in an empty in-memory database: the task ran here, against it.
      expect(count).toBeInstanceOf(Error);
      expect(String(count)).toMatch(/no such table: users/);
      expect(text()).toBe("");
    } finally {
      await memory.close();
    }
  });
});
