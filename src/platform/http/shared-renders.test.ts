import { describe, expect, it } from "vitest";
import { RenderBrokerState, type SharedPage } from "./shared-renders.server.ts";

const page = (bytes = 10): SharedPage => ({
  status: 200,
  headers: [],
  parts: [new Uint8Array(bytes)],
  bytes,
});

describe("RenderBrokerState", () => {
  it("lets the first claimant render and hands its page to those who waited", () => {
    const s = new RenderBrokerState();
    expect(s.claim(1, 1, "g1 /bases")).toEqual([{ worker: 1, message: { kepu: "render-go", id: 1 } }]);
    expect(s.claim(2, 7, "g1 /bases")).toEqual([]);
    expect(s.claim(3, 4, "g1 /bases")).toEqual([]);
    const p = page();
    expect(s.done(1, "g1 /bases", p)).toEqual([
      { worker: 2, message: { kepu: "render-page", id: 7, page: p } },
      { worker: 3, message: { kepu: "render-page", id: 4, page: p } },
    ]);
    // Later claims get the kept page; another generation is another flight.
    expect(s.claim(2, 8, "g1 /bases")).toEqual([
      { worker: 2, message: { kepu: "render-page", id: 8, page: p } },
    ]);
    expect(s.claim(2, 9, "g2 /bases")).toEqual([{ worker: 2, message: { kepu: "render-go", id: 9 } }]);
  });

  it("sends the waiters to render their own when the page could not be kept", () => {
    const s = new RenderBrokerState();
    s.claim(1, 1, "f");
    s.claim(2, 2, "f");
    expect(s.done(1, "f", null)).toEqual([{ worker: 2, message: { kepu: "render-go", id: 2 } }]);
    expect(s.kept).toBe(0);
    expect(s.claim(2, 3, "f")).toEqual([{ worker: 2, message: { kepu: "render-go", id: 3 } }]);
  });

  it("ignores a result from a worker that was not asked to render", () => {
    const s = new RenderBrokerState();
    s.claim(1, 1, "f");
    s.claim(2, 2, "f");
    expect(s.done(2, "f", page())).toEqual([]);
    expect(s.kept).toBe(0);
  });

  it("releases the waiters of a worker that died", () => {
    const s = new RenderBrokerState();
    s.claim(1, 1, "a");
    s.claim(2, 2, "a");
    s.claim(2, 3, "b");
    s.claim(1, 4, "b");
    expect(s.exit(1)).toEqual([{ worker: 2, message: { kepu: "render-go", id: 2 } }]);
    // Its flight is gone: the next claim renders.
    expect(s.claim(3, 5, "a")).toEqual([{ worker: 3, message: { kepu: "render-go", id: 5 } }]);
  });

  it("keeps pages within its byte budget, dropping the least recently used", () => {
    const s = new RenderBrokerState(1600);
    for (const f of ["a", "b", "c"]) {
      s.claim(1, 1, f);
      s.done(1, f, page(100));
    }
    s.claim(2, 2, "a"); // a is now the most recent
    for (const f of ["d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q"]) {
      s.claim(1, 1, f);
      s.done(1, f, page(100));
    }
    expect(s.kept).toBe(16);
    expect(s.claim(2, 3, "b")[0].message.kepu).toBe("render-go");
    // A page over a sixteenth of the budget is never kept.
    s.claim(1, 1, "big");
    s.done(1, "big", page(101));
    expect(s.claim(2, 4, "big")[0].message.kepu).toBe("render-go");
  });

  it("counts the renders in progress, for the workers' hit gates", () => {
    const s = new RenderBrokerState();
    expect(s.rendering).toBe(0);
    s.claim(1, 1, "a");
    s.claim(2, 2, "a"); // waits: still one render
    s.claim(2, 3, "b");
    expect(s.rendering).toBe(2);
    s.done(1, "a", page());
    expect(s.rendering).toBe(1);
    s.claim(1, 4, "a"); // the kept page: no render
    expect(s.rendering).toBe(1);
    s.exit(2);
    expect(s.rendering).toBe(0);
  });

  it("stops counting a render never reported once it is stale, and lets the next claim render", () => {
    let now = 0;
    const s = new RenderBrokerState(1024 * 1024, 5000, () => now);
    s.claim(1, 1, "a");
    now = 4999;
    expect(s.rendering).toBe(1);
    expect(s.claim(2, 2, "a")).toEqual([]); // still waits for worker 1
    now = 5000;
    expect(s.rendering).toBe(0);
    expect(s.claim(2, 3, "a")).toEqual([{ worker: 2, message: { kepu: "render-go", id: 3 } }]);
    expect(s.rendering).toBe(1);
    // The late report of the first owner is not taken for the new render.
    expect(s.done(1, "a", page())).toEqual([]);
    expect(s.rendering).toBe(1);
  });
});
