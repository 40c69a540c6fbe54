import cluster from "node:cluster";
import { ByteLru } from "./byte-lru.ts";

/**
 * One render per page and data generation across the worker processes (ADR 0011).
 *
 * Each worker keeps its own response cache. Right after a change every worker missed every popular
 * page at once and rendered each of them, so N workers did N times the work of one. A worker that
 * misses now asks the primary first: the first to ask renders and hands the result over; the others
 * wait for it, and a worker that asks later gets the kept result. The primary keeps recent results
 * (bounded by bytes), nothing else. Without workers (one process, tests) every claim renders.
 */

/** A kept page, as the response cache stores it (minus the generation, which is in the flight key). */
export interface SharedPage {
  status: number;
  headers: [string, string | string[]][];
  parts: Uint8Array[];
  bytes: number;
}

export interface RenderBroker {
  /** null: render it yourself, then call `done`. A page: another worker rendered it. */
  claim(flight: string): Promise<SharedPage | null>;
  /** The page rendered after a null claim, or null if it could not be kept. */
  done(flight: string, page: SharedPage | null): void;
  /** Tells `listener` whenever renders start or stop being in progress in any worker. */
  watch?(listener: (rendering: boolean) => void): void;
}

export const renderAlone: RenderBroker = {
  claim: async () => null,
  done: () => {},
  watch: () => {},
};

type ToPrimary =
  | { kepu: "render-claim"; id: number; flight: string }
  | { kepu: "render-done"; flight: string; page: SharedPage | null };
type Answer = { kepu: "render-go"; id: number } | { kepu: "render-page"; id: number; page: SharedPage };
type ToWorker = Answer | { kepu: "render-busy"; rendering: boolean };

/** What the primary must send after an event: to which worker, what. */
export type Reply = { worker: number; message: Answer };

/** The primary's bookkeeping, apart from the transport (unit-tested). */
export class RenderBrokerState {
  readonly #flights = new Map<
    string,
    { owner: number; since: number; waiters: { worker: number; id: number }[] }
  >();
  // The flight key already names the generation, so every kept page is under the same one.
  readonly #kept: ByteLru<SharedPage & { generation: "" }>;
  constructor(
    maxBytes = 32 * 1024 * 1024,
    /** A render unreported for this long no longer counts (its waiters have rendered their own). */
    private readonly staleMs = 5000,
    private readonly now: () => number = Date.now,
  ) {
    this.#kept = new ByteLru(maxBytes);
  }

  claim(worker: number, id: number, flight: string): Reply[] {
    const kept = this.#kept.get(flight, "");
    if (kept) {
      const { generation: _, ...page } = kept;
      return [{ worker, message: { kepu: "render-page", id, page } }];
    }
    const f = this.#flights.get(flight);
    if (f && this.now() - f.since < this.staleMs) {
      f.waiters.push({ worker, id });
      return [];
    }
    this.#flights.set(flight, { owner: worker, since: this.now(), waiters: [] });
    return [{ worker, message: { kepu: "render-go", id } }];
  }

  done(worker: number, flight: string, page: SharedPage | null): Reply[] {
    const f = this.#flights.get(flight);
    if (!f || f.owner !== worker) return [];
    this.#flights.delete(flight);
    if (page) this.#kept.set(flight, { ...page, generation: "" });
    // Not kept (an error page, a client gone): each waiter renders its own.
    return f.waiters.map(({ worker: w, id }) => ({
      worker: w,
      message: page ? { kepu: "render-page", id, page } : { kepu: "render-go", id },
    }));
  }

  /** A worker died: whoever waited on its renders renders their own. */
  exit(worker: number): Reply[] {
    const replies: Reply[] = [];
    for (const [flight, f] of this.#flights) {
      if (f.owner !== worker) continue;
      this.#flights.delete(flight);
      for (const w of f.waiters)
        if (w.worker !== worker) replies.push({ worker: w.worker, message: { kepu: "render-go", id: w.id } });
    }
    return replies;
  }

  get kept(): number {
    return this.#kept.size;
  }

  /**
   * Renders in progress in any worker. A render never reported (its worker stuck or gone without an
   * exit) is dropped once stale, so it cannot hold the workers' hits for good.
   */
  get rendering(): number {
    const now = this.now();
    for (const [flight, f] of this.#flights) if (now - f.since >= this.staleMs) this.#flights.delete(flight);
    return this.#flights.size;
  }
}

/** In the primary, before forking: share renders between the workers it forks. */
export function startRenderBroker(): void {
  // Pages travel as bytes: the default JSON channel would spell every byte out as a number.
  cluster.setupPrimary({ serialization: "advanced" });
  const state = new RenderBrokerState();
  let busy = false;
  // While busy, look again every second: a stale render stops counting without any message.
  const recheck = setInterval(() => busy && send([]), 1000);
  recheck.unref();
  const send = (replies: Reply[]) => {
    for (const r of replies) cluster.workers?.[r.worker]?.send(r.message);
    // Every worker learns when renders start and stop anywhere: its hits wait for them (HitGate).
    if (busy !== state.rendering > 0) {
      busy = !busy;
      for (const w of Object.values(cluster.workers ?? {})) w?.send({ kepu: "render-busy", rendering: busy });
    }
  };
  cluster.on("message", (worker, msg: ToPrimary) => {
    if (msg?.kepu === "render-claim") send(state.claim(worker.id, msg.id, msg.flight));
    else if (msg?.kepu === "render-done") send(state.done(worker.id, msg.flight, msg.page));
  });
  cluster.on("exit", (worker) => send(state.exit(worker.id)));
}

/** In a worker: the broker in the primary. A claim unanswered within `timeoutMs` renders. */
export function workerRenderBroker(timeoutMs = 5000): RenderBroker {
  if (cluster.isPrimary || !process.send) return renderAlone;
  let lastId = 0;
  const waiting = new Map<number, (page: SharedPage | null) => void>();
  const listeners: Array<(rendering: boolean) => void> = [];
  process.on("message", (msg: ToWorker) => {
    if (msg?.kepu === "render-busy") {
      for (const l of listeners) l(msg.rendering);
      return;
    }
    if (msg?.kepu !== "render-go" && msg?.kepu !== "render-page") return;
    const resolve = waiting.get(msg.id);
    waiting.delete(msg.id);
    resolve?.(msg.kepu === "render-page" ? msg.page : null);
  });
  const send = (m: ToPrimary) => process.send?.(m);
  return {
    claim(flight) {
      const id = ++lastId;
      return new Promise((resolve) => {
        waiting.set(id, resolve);
        send({ kepu: "render-claim", id, flight });
        setTimeout(() => {
          if (waiting.delete(id)) resolve(null);
        }, timeoutMs).unref();
      });
    },
    done(flight, page) {
      send({ kepu: "render-done", flight, page });
    },
    watch(listener) {
      listeners.push(listener);
    },
  };
}
