/**
 * Child processes and cleanup: everything the harness starts is stopped when it finishes,
 * fails, or receives SIGINT/SIGTERM. Children also stop themselves when the IPC channel to
 * the harness closes (see memory-preload.ts), so even a SIGKILLed harness leaves nothing behind.
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import { pathToFileURL } from "node:url";
import { memoryPreload, repoRoot } from "./paths.ts";
import { MEMORY_MESSAGE } from "./protocol.ts";

const children = new Set<ChildProcess>();
const cleanups: Array<{ name: string; fn: () => Promise<void> | void }> = [];

/** Registers cleanup work (run last-in first-out); returns a function that unregisters it. */
export function onCleanup(name: string, fn: () => Promise<void> | void): () => void {
  const entry = { name, fn };
  cleanups.push(entry);
  return () => {
    const i = cleanups.indexOf(entry);
    if (i >= 0) cleanups.splice(i, 1);
  };
}

/**
 * Runs every registered cleanup, last first. Calls made while one is running wait for it (and
 * then run whatever was registered since), so a signal and the normal exit path never race.
 */
let cleanupChain: Promise<void> = Promise.resolve();
export function runCleanups(): Promise<void> {
  cleanupChain = cleanupChain.then(async () => {
    while (cleanups.length) {
      const { name, fn } = cleanups.pop()!;
      try {
        await fn();
      } catch (err) {
        console.error(`清理失败 cleanup failed (${name}):`, err instanceof Error ? err.message : err);
      }
    }
  });
  return cleanupChain;
}

let signalled = false;
export function installExitHandlers(): void {
  // Last resort: whatever is still alive when the harness exits is killed.
  process.on("exit", () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  });
  const onSignal = (signal: NodeJS.Signals) => {
    // Ctrl-C reaches npm, tsx and this process alike, and tsx relays it once more: a repeated
    // signal must not cut the cleanup short (hardStop bounds it).
    if (signalled) return;
    signalled = true;
    console.error(`\n收到 ${signal}，正在停止子进程并清理…  (${signal}: stopping children and cleaning up)`);
    const hardStop = setTimeout(() => process.exit(1), 20_000);
    hardStop.unref();
    void runCleanups().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  process.on("SIGHUP", onSignal);
}

export interface NodeChild {
  name: string;
  proc: ChildProcess;
  /** The last lines the child printed, for error messages. */
  tail(): string;
  exited: Promise<number | string | null>;
}

/**
 * Starts `node --import tsx --import bench/lib/memory-preload.ts <script>` with an IPC channel.
 * stdout/stderr go to logFile.
 */
export function spawnNodeChild(
  name: string,
  script: string,
  opts: { env: NodeJS.ProcessEnv; logFile: string; args?: string[] },
): NodeChild {
  const log = fs.createWriteStream(opts.logFile, { flags: "a" });
  const proc = spawn(
    process.execPath,
    [
      // e.g. BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the children
      ...(process.env.BENCH_NODE_ARGS?.split(" ").filter(Boolean) ?? []),
      "--import",
      "tsx",
      "--import",
      pathToFileURL(memoryPreload).href,
      script,
      ...(opts.args ?? []),
    ],
    { cwd: repoRoot, env: opts.env, stdio: ["ignore", "pipe", "pipe", "ipc"] },
  );
  children.add(proc);
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    log.write(chunk);
    lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
    if (lines.length > 40) lines.splice(0, lines.length - 40);
  };
  proc.stdout?.on("data", keep);
  proc.stderr?.on("data", keep);
  const exited = new Promise<number | string | null>((resolve) => {
    proc.once("exit", (code, signal) => {
      children.delete(proc);
      resolve(code ?? signal);
    });
    proc.once("error", (err) => {
      children.delete(proc);
      lines.push(String(err));
      resolve(null);
    });
  });
  void exited.then(() => log.end());
  return { name, proc, exited, tail: () => lines.join("\n") };
}

function isRunning(c: ChildProcess): boolean {
  return c.exitCode === null && c.signalCode === null;
}

/** SIGTERM, then SIGKILL after graceMs. */
export async function stopChild(child: NodeChild, graceMs = 7000): Promise<void> {
  if (!isRunning(child.proc)) return;
  child.proc.kill("SIGTERM");
  const timer = new Promise<"timeout">((r) => setTimeout(() => r("timeout"), graceMs).unref());
  if ((await Promise.race([child.exited, timer])) === "timeout" && isRunning(child.proc)) {
    child.proc.kill("SIGKILL");
    await child.exited;
  }
}

/** An ephemeral port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export function assertLoopback(url: string): void {
  const host = new URL(url).hostname;
  if (host !== "127.0.0.1") throw new Error(`bench targets 127.0.0.1 only, got ${host}`);
}

/** Polls `url` until it answers 200, the child exits, or timeoutMs passes. */
export async function waitForHealthy(url: string, child: NodeChild, timeoutMs: number): Promise<unknown> {
  assertLoopback(url);
  const deadline = Date.now() + timeoutMs;
  let lastError = "";
  while (Date.now() < deadline) {
    if (!isRunning(child.proc))
      throw new Error(
        `${child.name} 提前退出 exited early (${child.proc.exitCode ?? child.proc.signalCode}):\n${child.tail()}`,
      );
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return await res.json();
      lastError = `HTTP ${res.status}`;
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(
    `${child.name} 未在 ${timeoutMs / 1000}s 内就绪 not healthy in time (${lastError}):\n${child.tail()}`,
  );
}

/**
 * After a load run the server may still be working through requests whose connections
 * autocannon has already closed (a slow SSR page keeps rendering). Requests `url` (the target
 * itself, with its headers) until it answers; it is served interleaved with that backlog, so it
 * finishes about when the backlog does and the next run starts on an idle server.
 * Returns the seconds it took.
 */
export async function waitUntilIdle(
  url: string,
  headers: Record<string, string> = {},
  timeoutMs = 60_000,
): Promise<number> {
  assertLoopback(url);
  const started = performance.now();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, {
        // fetch would ask for gzip by default; ask like the load runs do.
        headers: { "accept-encoding": "identity", ...headers },
        signal: AbortSignal.timeout(Math.max(1000, deadline - Date.now())),
      });
      await res.arrayBuffer();
      // Any answer means the server got to it (the status was checked on capture).
      if (res.status > 0) return (performance.now() - started) / 1000;
    } catch {
      // retry until the deadline
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not become idle within ${timeoutMs / 1000}s after a load run`);
}

let memoryRequestId = 0;
/** Asks a child (running memory-preload.ts) for its process.memoryUsage(). */
export function requestMemory(child: NodeChild, timeoutMs = 5000): Promise<NodeJS.MemoryUsage> {
  const id = ++memoryRequestId;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.proc.off("message", onMessage);
      reject(new Error(`${child.name}: no memory answer within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (msg: unknown) => {
      const m = msg as { type?: unknown; id?: unknown; usage?: NodeJS.MemoryUsage };
      if (m?.type === MEMORY_MESSAGE && m.id === id && m.usage) {
        clearTimeout(timer);
        child.proc.off("message", onMessage);
        resolve(m.usage);
      }
    };
    child.proc.on("message", onMessage);
    child.proc.send({ type: MEMORY_MESSAGE, id }, (err) => {
      if (err) {
        clearTimeout(timer);
        child.proc.off("message", onMessage);
        reject(err);
      }
    });
  });
}
