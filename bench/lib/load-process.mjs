/**
 * The background load of `startLoad` (load.ts), run in a process of its own: autocannon parsing
 * thousands of responses a second would otherwise hold the event loop that also times the
 * measured request, and the harness's own delay would be counted as the server's.
 * Plain JavaScript, started with node's fork: the options come as one JSON argument.
 */
import autocannon from "autocannon";

const { url, paths, connections, headers, timeout } = JSON.parse(process.argv[2]);

const instance = autocannon(
  {
    url,
    connections,
    // Stopped by the parent; this is only an upper bound.
    duration: 1800,
    timeout,
    headers,
    requests: paths.map((path) => ({ method: "GET", path })),
  },
  (err, res) => process.send?.(err ? { error: String(err) } : { result: res }, () => process.exit(0)),
);
process.on("message", (m) => {
  if (m === "stop") instance.stop();
});
process.on("disconnect", () => instance.stop());
