import { describe, expect, it } from "vitest";
import type { AppContext } from "#src/platform/context.ts";
import { coalescedReads, GenerationCache } from "./generations.server.ts";

const ctxA = { db: {} } as unknown as AppContext;
const ctxB = { db: {} } as unknown as AppContext;

describe("GenerationCache", () => {
  it("computes once per generation and again when the generation moves", async () => {
    const cache = new GenerationCache<number>(10);
    let calls = 0;
    const compute = async () => ++calls;
    expect(await cache.get(ctxA, "k", "g1", compute)).toBe(1);
    expect(await cache.get(ctxA, "k", "g1", compute)).toBe(1);
    expect(await cache.get(ctxA, "k", "g2", compute)).toBe(2);
    expect(await cache.get(ctxA, "k", "g2", compute)).toBe(2);
  });

  it("keeps databases apart", async () => {
    const cache = new GenerationCache<string>(10);
    await cache.get(ctxA, "k", "g1", async () => "a");
    expect(await cache.get(ctxB, "k", "g1", async () => "b")).toBe("b");
    expect(await cache.get(ctxA, "k", "g1", async () => "x")).toBe("a");
  });

  it("drops the oldest entry when full", async () => {
    const cache = new GenerationCache<string>(2);
    await cache.get(ctxA, "one", "g", async () => "1");
    await cache.get(ctxA, "two", "g", async () => "2");
    await cache.get(ctxA, "three", "g", async () => "3");
    expect(await cache.get(ctxA, "one", "g", async () => "recomputed")).toBe("recomputed");
    expect(await cache.get(ctxA, "three", "g", async () => "recomputed")).toBe("3");
  });
});

describe("coalescedReads", () => {
  /** A read that takes the value when it starts and answers when `finish` is called. */
  function controlledSource() {
    let value = 0;
    const pending: Array<() => void> = [];
    let reads = 0;
    const read = () => {
      reads++;
      const seen = value;
      return new Promise<number>((resolve) => pending.push(() => resolve(seen)));
    };
    return {
      read,
      commit: () => value++,
      finishOne: async () => {
        pending.shift()?.();
        await new Promise((r) => setTimeout(r, 0));
      },
      reads: () => reads,
    };
  }

  it("never answers a caller with a read that began before it called", async () => {
    const src = controlledSource();
    const get = coalescedReads(src.read);
    const a = get(); // starts a read of value 0
    src.commit(); // a change commits while that read is in flight
    const b = get(); // must see the change
    await src.finishOne();
    expect(await a).toBe(0);
    await src.finishOne();
    expect(await b).toBe(1);
  });

  it("lets everyone who called during a read share the next one", async () => {
    const src = controlledSource();
    const get = coalescedReads(src.read);
    const first = get();
    const waiting = Array.from({ length: 10 }, () => get());
    expect(src.reads()).toBe(1);
    await src.finishOne();
    await first;
    expect(src.reads()).toBe(2);
    await src.finishOne();
    expect(new Set(await Promise.all(waiting)).size).toBe(1);
    expect(src.reads()).toBe(2);
    // Idle again: the next caller starts a read of its own.
    const later = get();
    expect(src.reads()).toBe(3);
    await src.finishOne();
    await later;
  });

  it("passes a failed read to its callers and starts afresh afterwards", async () => {
    let n = 0;
    const get = coalescedReads(async () => {
      n++;
      if (n === 1) throw new Error("connection lost");
      return n;
    });
    await expect(get()).rejects.toThrow("connection lost");
    expect(await get()).toBe(2);
  });
});
