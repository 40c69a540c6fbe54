import { describe, expect, it } from "vitest";
import { ScopeLog } from "./scope-log.ts";

type Row = { value: number; scope: string };

const never = async (): Promise<Row[]> => {
  throw new Error("no read expected");
};

/** A log that knows bumps (base, …] from `rows` (a value with no row: an unscoped bump). */
function logWith(base: number, upTo: number, rows: Row[], window?: number): ScopeLog {
  const log = new ScopeLog(never, window);
  log.record(base, upTo, rows);
  return log;
}

/** A reader whose answers the test hands out one by one; it records each range asked for. */
function fakeReader() {
  const calls: Array<{ after: number; upTo: number; answer: (rows: Row[]) => void }> = [];
  const read = (after: number, upTo: number) =>
    new Promise<Row[]>((resolve) => {
      calls.push({ after, upTo, answer: resolve });
    });
  return { calls, read, ranges: () => calls.map((c) => [c.after, c.upTo]) };
}

/** Lets queued promise callbacks run. */
const settle = () => new Promise((r) => setImmediate(r));

describe("ScopeLog.untouched", () => {
  const log = logWith(10, 15, [
    { value: 11, scope: "b" },
    { value: 12, scope: "b" },
    { value: 12, scope: "c" },
    // 13: unscoped (no row)
    { value: 14, scope: "a" },
    { value: 14, scope: "b" },
    { value: 15, scope: "c" },
  ]);

  it("is true when every bump in (since, until] named only other records", () => {
    expect(log.untouched("a", 10, 12)).toBe(true);
    expect(log.untouched("a", 10, 11)).toBe(true);
    expect(log.untouched("d", 14, 15)).toBe(true);
    expect(log.untouched("a", 14, 15)).toBe(true);
  });

  it("is false when a bump in the range was unscoped", () => {
    expect(log.untouched("a", 12, 13)).toBe(false);
    expect(log.untouched("a", 10, 15)).toBe(false);
    expect(log.untouched("d", 11, 14)).toBe(false);
  });

  it("is false when a bump in the range named the record, alone or with others", () => {
    expect(log.untouched("b", 10, 11)).toBe(false);
    expect(log.untouched("c", 11, 12)).toBe(false);
    expect(log.untouched("a", 13, 14)).toBe(false);
    expect(log.untouched("b", 13, 14)).toBe(false);
    expect(log.untouched("c", 14, 15)).toBe(false);
  });

  it("is false for bumps before what was learned, or beyond it", () => {
    expect(log.untouched("a", 9, 11)).toBe(false);
    expect(log.untouched("a", 14, 16)).toBe(false);
    expect(log.untouched("d", 15, 16)).toBe(false);
  });

  it("is false when since >= until", () => {
    expect(log.untouched("a", 11, 11)).toBe(false);
    expect(log.untouched("a", 12, 11)).toBe(false);
  });

  it("is false while nothing has been learned", () => {
    const empty = new ScopeLog(never);
    expect(empty.untouched("a", 0, 1)).toBe(false);
    expect(empty.knows(0, 0)).toBe(false);
  });

  it("ignores rows outside the range a record call adds (later bumps stay unknown, then unscoped)", () => {
    const l = new ScopeLog(never);
    l.record(5, 7, [
      { value: 5, scope: "b" },
      { value: 6, scope: "b" },
      { value: 7, scope: "b" },
      { value: 8, scope: "b" },
    ]);
    expect(l.untouched("a", 5, 7)).toBe(true);
    expect(l.knows(5, 8)).toBe(false);
    l.record(7, 8, []);
    // Bump 8 is known now, without its row: it may have touched anything.
    expect(l.untouched("a", 7, 8)).toBe(false);
    expect(l.knows(5, 8)).toBe(true);
  });

  it("adds a range before what is known, and refuses one that would leave a gap", () => {
    const l = logWith(10, 12, [
      { value: 11, scope: "b" },
      { value: 12, scope: "b" },
    ]);
    l.record(8, 10, [
      { value: 9, scope: "b" },
      { value: 10, scope: "b" },
    ]);
    expect(l.untouched("a", 8, 12)).toBe(true);
    // (14, 16] does not touch (8, 12]: bumps 13 and 14 would pass for known.
    l.record(14, 16, [{ value: 15, scope: "b" }]);
    expect(l.knows(8, 16)).toBe(false);
    expect(l.untouched("a", 12, 16)).toBe(false);
  });

  it("takes string values (PostgreSQL bigint) as numbers", () => {
    const l = new ScopeLog(never);
    l.record(1, 2, [{ value: "2" as unknown as number, scope: "b" }]);
    expect(l.untouched("a", 1, 2)).toBe(true);
  });
});

describe("ScopeLog window", () => {
  it("forgets bumps older than the window", () => {
    const rows = [1, 2, 3, 4, 5, 6].map((value) => ({ value, scope: "b" }));
    const log = logWith(0, 6, rows, 3);
    // Known now: (3, 6].
    expect(log.untouched("a", 3, 6)).toBe(true);
    expect(log.untouched("a", 4, 5)).toBe(true);
    expect(log.untouched("a", 2, 6)).toBe(false);
    expect(log.untouched("a", 0, 1)).toBe(false);
    log.record(6, 8, [
      { value: 7, scope: "b" },
      { value: 8, scope: "b" },
    ]);
    // Known now: (5, 8].
    expect(log.untouched("a", 5, 8)).toBe(true);
    expect(log.untouched("a", 4, 8)).toBe(false);
    expect(log.untouched("a", 3, 5)).toBe(false);
  });

  it("keeps everything within the window", () => {
    const rows = [1, 2, 3].map((value) => ({ value, scope: "b" }));
    expect(logWith(0, 3, rows, 3).untouched("a", 0, 3)).toBe(true);
  });

  it("does not read a range wider than the window", async () => {
    const r = fakeReader();
    const log = new ScopeLog(r.read, 3);
    await log.learn(0, 4);
    expect(r.calls).toHaveLength(0);
    expect(log.untouched("a", 0, 4)).toBe(false);
  });
});

describe("ScopeLog.learn", () => {
  it("reads (since, until] on the first call: a page cached before the worker's first change can be carried", async () => {
    const r = fakeReader();
    const log = new ScopeLog(r.read);
    const learned = log.learn(10, 12);
    await settle();
    expect(r.ranges()).toEqual([[10, 12]]);
    expect(log.knows(10, 12)).toBe(false);
    r.calls[0].answer([
      { value: 11, scope: "b" },
      { value: 12, scope: "c" },
    ]);
    await learned;
    expect(log.knows(10, 12)).toBe(true);
    expect(log.untouched("a", 10, 12)).toBe(true);
    expect(log.untouched("b", 10, 12)).toBe(false);

    // Known already: no read.
    await log.learn(10, 12);
    await log.learn(11, 12);
    expect(r.calls).toHaveLength(1);
  });

  it("reads only what is missing, before and after what is known", async () => {
    const r = fakeReader();
    const log = new ScopeLog(r.read);
    const first = log.learn(10, 12);
    await settle();
    r.calls[0].answer([{ value: 11, scope: "b" }]);
    await first;
    const wider = log.learn(8, 14);
    await settle();
    expect(r.ranges()).toEqual([
      [10, 12],
      [8, 10],
    ]);
    r.calls[1].answer([{ value: 9, scope: "b" }]);
    await settle();
    expect(r.ranges()).toEqual([
      [10, 12],
      [8, 10],
      [12, 14],
    ]);
    r.calls[2].answer([{ value: 13, scope: "b" }]);
    await wider;
    expect(log.knows(8, 14)).toBe(true);
    // 10, 12 and 14 had no rows: unscoped.
    expect(log.untouched("a", 8, 9)).toBe(true);
    expect(log.untouched("a", 12, 13)).toBe(true);
    expect(log.untouched("a", 8, 10)).toBe(false);
    expect(log.untouched("a", 13, 14)).toBe(false);
  });

  it("reads one range at a time, in the order asked, and a second learn of the same range reads nothing", async () => {
    const r = fakeReader();
    const log = new ScopeLog(r.read);
    const first = log.learn(10, 12);
    const again = log.learn(10, 12);
    const second = log.learn(10, 15);
    await settle();
    // The second read waits for the first.
    expect(r.ranges()).toEqual([[10, 12]]);
    r.calls[0].answer([
      { value: 11, scope: "b" },
      { value: 12, scope: "b" },
    ]);
    await first;
    await again;
    await settle();
    expect(r.ranges()).toEqual([
      [10, 12],
      [12, 15],
    ]);
    expect(log.knows(10, 15)).toBe(false);
    r.calls[1].answer([
      { value: 13, scope: "b" },
      { value: 14, scope: "c" },
      { value: 15, scope: "b" },
    ]);
    await second;
    expect(log.knows(10, 15)).toBe(true);
    expect(log.untouched("a", 10, 15)).toBe(true);
    expect(log.untouched("c", 12, 15)).toBe(false);
    expect(r.calls).toHaveLength(2);
  });

  it("answers an older range from what it knows, without starting over", async () => {
    const r = fakeReader();
    const log = new ScopeLog(r.read);
    const p = log.learn(10, 12);
    await settle();
    r.calls[0].answer([
      { value: 11, scope: "b" },
      { value: 12, scope: "b" },
    ]);
    await p;
    await log.learn(10, 11);
    expect(r.calls).toHaveLength(1);
    expect(log.untouched("a", 10, 12)).toBe(true);
  });

  it("reads again after a failed read, which fails only its own callers", async () => {
    let fail = true;
    const reads: number[][] = [];
    const log = new ScopeLog(async (after, upTo) => {
      reads.push([after, upTo]);
      if (fail) throw new Error("database unreachable");
      return [{ value: 11, scope: "b" }];
    });
    await expect(log.learn(10, 11)).rejects.toThrow("database unreachable");
    expect(log.untouched("a", 10, 11)).toBe(false);
    fail = false;
    await log.learn(10, 11);
    expect(reads).toEqual([
      [10, 11],
      [10, 11],
    ]);
    expect(log.untouched("a", 10, 11)).toBe(true);
  });
});
