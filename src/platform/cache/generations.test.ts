import { describe, expect, it } from "vitest";
import type { AppContext } from "#src/platform/context.ts";
import { GenerationCache } from "./generations.server.ts";

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
