/**
 * Runs the render broker over real cluster IPC (shared-renders.int.test.ts starts it with tsx):
 * two workers claim the same page at once; the one told to render hands over 200 KB, the other must
 * receive exactly those bytes. Each worker also reports what it heard about renders in progress
 * anywhere (`watch`). The primary prints each worker's outcome as one JSON line.
 */
import cluster from "node:cluster";
import { startRenderBroker, workerRenderBroker } from "./shared-renders.server.ts";

const FLIGHT = "7 real /bases";
const bytes = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => i % 251));

if (cluster.isPrimary) {
  startRenderBroker();
  cluster.setupPrimary({ execArgv: ["--import", "tsx"] });
  const outcomes: unknown[] = [];
  let ready = 0;
  cluster.on("message", (_worker, msg: { outcome?: unknown; ready?: boolean }) => {
    // Both claim only once both have started (a loaded machine starts one long after the other).
    if (msg?.ready && ++ready === 2)
      for (const w of Object.values(cluster.workers ?? {})) w?.send({ go: true });
    if (!msg?.outcome) return;
    outcomes.push(msg.outcome);
    if (outcomes.length === 2) {
      console.log(JSON.stringify(outcomes));
      for (const w of Object.values(cluster.workers ?? {})) w?.kill();
    }
  });
  for (let i = 0; i < 2; i++) cluster.fork();
} else {
  const broker = workerRenderBroker();
  const heard: boolean[] = [];
  broker.watch?.((rendering) => heard.push(rendering));
  const settled = () => new Promise((r) => setTimeout(r, 200));
  const go = new Promise<void>((resolve) =>
    process.on("message", (m: { go?: boolean }) => {
      if (m?.go) resolve();
    }),
  );
  process.send?.({ ready: true });
  await go;
  const page = await broker.claim(FLIGHT);
  if (!page) {
    // Long enough for the other worker's claim to arrive while this render is in flight.
    await new Promise((r) => setTimeout(r, 1000));
    const body = bytes(200_000);
    broker.done(FLIGHT, {
      status: 200,
      headers: [["content-type", "text/html"]],
      parts: [body, body.subarray(0, 5)],
      bytes: body.length + 5,
    });
    await settled();
    process.send?.({ outcome: { rendered: true, heard } });
  } else {
    const same =
      Buffer.from(page.parts[0]).equals(bytes(200_000)) && Buffer.from(page.parts[1]).equals(bytes(5));
    await settled();
    process.send?.({
      outcome: {
        rendered: false,
        same,
        typed: page.parts.every((p) => p instanceof Uint8Array),
        headers: page.headers,
        parts: page.parts.length,
        lastHeard: heard.at(-1),
      },
    });
  }
}
