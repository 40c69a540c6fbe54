import { EventEmitter } from "node:events";
import { describe, expect, it, vi } from "vitest";
import { ByteLru } from "./byte-lru.ts";
import { isCacheablePath, joinWith, splitAt, whenOver } from "./response-cache.ts";

const ID = "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";

describe("isCacheablePath", () => {
  it("takes the listed public pages and their .data requests", () => {
    for (const p of [
      "/",
      "/_root.data",
      "/bases",
      "/bases.data",
      `/bases/${ID}`,
      `/bases/${ID}.data`,
      "/notices",
      `/notices/${ID}`,
      "/projects",
      "/projects/calls",
      `/projects/calls/${ID}`,
      "/special",
    ])
      expect(isCacheablePath(p), p).toBe(true);
  });

  it("refuses everything else, including fixed sub-pages that look like ids", () => {
    for (const p of [
      "/login",
      "/workbench",
      "/review",
      "/notices/objection-status",
      `/notices/${ID}/objection`,
      `/bases/${ID}/certificate.pdf`,
      `/bases/${ID}/qr.svg`,
      "/my-base",
      "/admin/bases",
      "/bases/",
      "/healthz",
      "/files/x",
    ])
      expect(isCacheablePath(p), p).toBe(false);
  });
});

describe("nonce splitting", () => {
  it("splits at every occurrence and joins with another token", () => {
    const body = Buffer.from('<script nonce="AbC+/=">x</script><a nonce="AbC+/=">AbC+/=');
    const parts = splitAt(body, "AbC+/=");
    expect(parts).toHaveLength(4);
    expect(joinWith(parts, "Zz9").toString()).toBe('<script nonce="Zz9">x</script><a nonce="Zz9">Zz9');
    expect(joinWith(splitAt(Buffer.from("plain"), "n0nce"), "x").toString()).toBe("plain");
  });
});

describe("ByteLru", () => {
  const entry = (bytes: number, generation = "g") => ({
    generation,
    status: 200,
    headers: [],
    parts: [Buffer.alloc(bytes)],
    bytes,
  });

  it("evicts the least recently used entries past its byte bound", () => {
    const lru = new ByteLru(100, 100);
    lru.set("a", entry(40));
    lru.set("b", entry(40));
    expect(lru.get("a", "g")).toBeDefined(); // a is now the most recent
    lru.set("c", entry(40));
    expect(lru.get("b", "g")).toBeUndefined();
    expect(lru.get("a", "g")).toBeDefined();
    expect(lru.get("c", "g")).toBeDefined();
    expect(lru.bytes).toBe(80);
  });

  it("drops an entry read under another generation, and never keeps an oversized one", () => {
    const lru = new ByteLru(100, 50);
    lru.set("a", entry(10, "g1"));
    expect(lru.get("a", "g2")).toBeUndefined();
    expect(lru.size).toBe(0);
    expect(lru.bytes).toBe(0);
    lru.set("big", entry(60));
    expect(lru.size).toBe(0);
  });
});

describe("whenOver", () => {
  const response = (state: { writableFinished?: boolean; closed?: boolean }) =>
    Object.assign(new EventEmitter(), {
      writableFinished: false,
      closed: false,
      ...state,
    }) as EventEmitter & {
      writableFinished: boolean;
      closed: boolean;
    };

  it("runs at once for a response the client already left, or one already sent", () => {
    for (const state of [{ closed: true }, { writableFinished: true }]) {
      const fn = vi.fn();
      whenOver(response(state) as never, fn);
      expect(fn).toHaveBeenCalledTimes(1);
    }
  });

  it("waits for finish or close otherwise", () => {
    for (const event of ["finish", "close"]) {
      const res = response({});
      const fn = vi.fn();
      whenOver(res as never, fn);
      expect(fn).not.toHaveBeenCalled();
      res.emit(event);
      expect(fn).toHaveBeenCalled();
    }
  });
});
