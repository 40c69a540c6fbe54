import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { HitGate } from "./hit-gate.ts";

/** Runs scheduled releases at once. */
const now = (fn: () => void) => fn();

describe("HitGate", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("serves at once while no render is open", () => {
    const gate = new HitGate(50, now);
    const serve = vi.fn();
    gate.admit(serve);
    expect(serve).toHaveBeenCalledTimes(1);
    expect(gate.waiting).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("holds hits while a render is open and serves them, in order, once it ends", () => {
    const gate = new HitGate(50, now);
    const order: number[] = [];
    const end = gate.begin();
    expect(gate.rendering).toBe(1);
    gate.admit(() => order.push(1));
    gate.admit(() => order.push(2));
    expect(order).toEqual([]);
    expect(gate.waiting).toBe(2);
    end();
    expect(order).toEqual([1, 2]);
    expect(gate.waiting).toBe(0);
    expect(gate.rendering).toBe(0);
    // The hold timer went with them.
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(100);
    expect(order).toEqual([1, 2]);
  });

  it("releases through the schedule function, and not if a render has begun meanwhile", () => {
    const scheduled: Array<() => void> = [];
    const gate = new HitGate(50, (fn) => scheduled.push(fn));
    const serve = vi.fn();
    const end = gate.begin();
    gate.admit(serve);
    end();
    // The render's own answer goes out first.
    expect(serve).not.toHaveBeenCalled();
    expect(scheduled).toHaveLength(1);
    const next = gate.begin();
    scheduled[0]();
    expect(serve).not.toHaveBeenCalled();
    next();
    scheduled[1]();
    expect(serve).toHaveBeenCalledTimes(1);
  });

  it("releases held hits after maxHoldMs while the render stays open, with one timer", () => {
    const gate = new HitGate(50, now);
    const first = vi.fn();
    const second = vi.fn();
    gate.begin();
    gate.admit(first);
    vi.advanceTimersByTime(30);
    gate.admit(second);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(19);
    expect(first).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    // The timer of the oldest hit releases every hit held so far.
    expect(first).toHaveBeenCalledTimes(1);
    expect(second).toHaveBeenCalledTimes(1);
    expect(gate.rendering).toBe(1);
    expect(gate.waiting).toBe(0);
    // A later hit waits again, for at most maxHoldMs from its own arrival.
    const third = vi.fn();
    gate.admit(third);
    vi.advanceTimersByTime(49);
    expect(third).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(third).toHaveBeenCalledTimes(1);
  });

  it("counts an end function called twice once", () => {
    const gate = new HitGate(50, now);
    const serve = vi.fn();
    const a = gate.begin();
    gate.begin();
    gate.admit(serve);
    a();
    a();
    expect(gate.rendering).toBe(1);
    expect(serve).not.toHaveBeenCalled();
    expect(gate.waiting).toBe(1);
  });

  it("with two renders open, releases only after both ended", () => {
    const gate = new HitGate(50, now);
    const serve = vi.fn();
    const a = gate.begin();
    const b = gate.begin();
    gate.admit(serve);
    b();
    expect(serve).not.toHaveBeenCalled();
    a();
    expect(serve).toHaveBeenCalledTimes(1);
    expect(gate.rendering).toBe(0);
    // Hits after that are served at once.
    const later = vi.fn();
    gate.admit(later);
    expect(later).toHaveBeenCalledTimes(1);
  });

  it("defaults to setImmediate for the release", async () => {
    vi.useRealTimers();
    const gate = new HitGate(10_000);
    const serve = vi.fn();
    const end = gate.begin();
    gate.admit(serve);
    end();
    expect(serve).not.toHaveBeenCalled();
    await new Promise((r) => setImmediate(r));
    expect(serve).toHaveBeenCalledTimes(1);
  });

  it("holds hits while another process renders, and serves them when none renders anywhere", () => {
    const gate = new HitGate(50, now);
    const serve = vi.fn();
    gate.elsewhere(true);
    gate.admit(serve);
    expect(serve).not.toHaveBeenCalled();
    // Its own render ends, but the other process still renders.
    const end = gate.begin();
    end();
    expect(serve).not.toHaveBeenCalled();
    gate.elsewhere(false);
    expect(serve).toHaveBeenCalledTimes(1);
    // Still bounded by the hold while the other process renders for long.
    const late = vi.fn();
    gate.elsewhere(true);
    gate.admit(late);
    vi.advanceTimersByTime(50);
    expect(late).toHaveBeenCalledTimes(1);
  });
});
