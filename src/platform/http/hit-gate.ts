/**
 * Lets a worker's renders go ahead of its cache hits (ADR 0011, "misses first").
 *
 * A hit costs a fraction of a millisecond, a render several; but under a flood of hits each of the
 * render's awaits queues behind every hit that arrived meanwhile, so the render waits for the whole
 * flood. While this process has a render open, hits are held back, for at most `maxHoldMs` each, and
 * answered once the last render ends. A client waits on its answer before asking again, so held hits
 * also stop new ones from arriving: the render has the process, and the processor, to itself.
 * With several worker processes, each also holds its hits while another one renders (`elsewhere`):
 * they share the processors.
 */
export class HitGate {
  private open = 0;
  private remote = false;
  private held: Array<() => void> = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly maxHoldMs: number,
    private readonly schedule: (fn: () => void) => void = setImmediate,
  ) {}

  /** Renders in progress in this process. */
  get rendering(): number {
    return this.open;
  }

  /** Hits waiting for the renders to end. */
  get waiting(): number {
    return this.held.length;
  }

  /** Runs `serve` now, or when no render is open any more (at the latest after `maxHoldMs`). */
  admit(serve: () => void): void {
    if (this.open === 0 && !this.remote) {
      serve();
      return;
    }
    this.held.push(serve);
    // One timer for the oldest held hit: a stream of renders never holds a hit longer than maxHoldMs.
    this.timer ??= setTimeout(() => this.release(), this.maxHoldMs);
  }

  /** A render starts; the returned function ends it (once, however often it is called). */
  begin(): () => void {
    this.open++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.open--;
      this.releaseWhenIdle();
    };
  }

  /** Renders in progress in another process, or no longer. */
  elsewhere(rendering: boolean): void {
    this.remote = rendering;
    this.releaseWhenIdle();
  }

  private releaseWhenIdle(): void {
    // Let the render's own answer go out first.
    if (this.open === 0 && !this.remote && this.held.length)
      this.schedule(() => this.open === 0 && !this.remote && this.release());
  }

  private release(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const held = this.held;
    this.held = [];
    for (const serve of held) serve();
  }
}
