/**
 * Preloaded (`node --import`) into the app server and the baseline by the bench harness only.
 * Answers an IPC message with process.memoryUsage(), so the harness can read the server's
 * heap and RSS after load, and stops the process (SIGTERM to itself) when the harness goes away.
 * No effect when the process has no IPC channel.
 *
 * A server running cluster workers (KEPU_WORKERS > 1) answers with the sum over its workers,
 * which are preloaded with this file too and answer their primary.
 */
import cluster from "node:cluster";
import { MEMORY_MESSAGE } from "./protocol.ts";

type Usage = NodeJS.MemoryUsage;
const isMemoryRequest = (msg: unknown): msg is { type: string; id?: unknown } =>
  !!msg && typeof msg === "object" && (msg as { type?: unknown }).type === MEMORY_MESSAGE;

async function usageOfWorkers(): Promise<Usage | null> {
  const workers = Object.values(cluster.workers ?? {}).filter((w) => w?.isConnected());
  if (!workers.length) return null;
  const answers = await Promise.all(
    workers.map(
      (w) =>
        new Promise<Usage>((resolve) => {
          const onMessage = (msg: unknown) => {
            if (!isMemoryRequest(msg)) return;
            w!.off("message", onMessage);
            resolve((msg as unknown as { usage: Usage }).usage);
          };
          w!.on("message", onMessage);
          w!.send({ type: MEMORY_MESSAGE });
        }),
    ),
  );
  const sum = { ...answers[0] };
  for (const a of answers.slice(1))
    for (const k of Object.keys(sum) as (keyof Usage)[]) (sum[k] as number) += a[k] as number;
  return sum;
}

if (cluster.isWorker) {
  process.on("message", (msg: unknown) => {
    if (isMemoryRequest(msg)) process.send?.({ type: MEMORY_MESSAGE, usage: process.memoryUsage() });
  });
} else if (typeof process.send === "function") {
  process.on("message", async (msg: unknown) => {
    if (!isMemoryRequest(msg)) return;
    process.send?.({
      type: MEMORY_MESSAGE,
      id: msg.id,
      usage: (await usageOfWorkers()) ?? process.memoryUsage(),
    });
  });
  // If the harness dies (even by SIGKILL) the channel closes: shut down the usual way.
  process.on("disconnect", () => process.kill(process.pid, "SIGTERM"));
  // The IPC channel alone must not keep a process alive (the server's socket does).
  process.channel?.unref();
}
