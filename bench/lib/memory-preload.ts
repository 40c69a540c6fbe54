/**
 * Preloaded (`node --import`) into the app server and the baseline by the bench harness only.
 * Answers an IPC message with process.memoryUsage(), so the harness can read the server's
 * heap and RSS after load, and stops the process (SIGTERM to itself) when the harness goes away.
 * No effect when the process has no IPC channel.
 */
import { MEMORY_MESSAGE } from "./protocol.ts";

if (typeof process.send === "function") {
  process.on("message", (msg: unknown) => {
    if (msg && typeof msg === "object" && (msg as { type?: unknown }).type === MEMORY_MESSAGE) {
      process.send?.({
        type: MEMORY_MESSAGE,
        id: (msg as { id?: unknown }).id,
        usage: process.memoryUsage(),
      });
    }
  });
  // If the harness dies (even by SIGKILL) the channel closes: shut down the usual way.
  process.on("disconnect", () => process.kill(process.pid, "SIGTERM"));
  // The IPC channel alone must not keep a process alive (the server's socket does).
  process.channel?.unref();
}
