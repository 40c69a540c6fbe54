/**
 * Baseline: a plain node:http server that answers each benchmarked path with the exact status,
 * headers and body bytes captured once from the real app. It shows what the same machine,
 * load generator and response size cost without any application work.
 *
 * Run by the harness as a child process with an IPC channel: it says it is ready, waits for the
 * routes message, listens on 127.0.0.1 with an ephemeral port and reports the port back. Later
 * routes messages add routes (captured by the single timed checks) and are acknowledged.
 * A POST route reads the request body to its end (discarding it), then answers.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import {
  type CapturedResponse,
  LISTENING_MESSAGE,
  READY_MESSAGE,
  ROUTES_ADDED_MESSAGE,
  ROUTES_MESSAGE,
} from "./protocol.ts";

interface Route {
  match: Array<[string, string]>;
  status: number;
  statusMessage: string;
  rawHeaders: string[];
  body: Buffer;
}

// Several targets may share a path with different request headers (Accept-Encoding, Cookie…):
// the route whose headers all match, most specific first, answers.
const routes = new Map<string, Route[]>();

function addRoutes(captured: CapturedResponse[]) {
  for (const c of captured) {
    const key = `${c.method ?? "GET"} ${c.path}`;
    const list = routes.get(key) ?? [];
    routes.set(key, list);
    list.push({
      match: Object.entries(c.match),
      status: c.status,
      statusMessage: c.statusMessage,
      rawHeaders: c.rawHeaders,
      body: Buffer.from(c.bodyBase64, "base64"),
    });
    list.sort((a, b) => b.match.length - a.match.length);
  }
}

const find = (req: http.IncomingMessage) =>
  routes.get(`${req.method} ${req.url ?? ""}`)?.find((r) => r.match.every(([k, v]) => req.headers[k] === v));

function answer(res: http.ServerResponse, route: Route) {
  res.writeHead(route.status, route.statusMessage, route.rawHeaders);
  res.end(route.body);
}

let server: http.Server | undefined;

function listen() {
  server = http.createServer((req, res) => {
    const route = find(req);
    if (!route) {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not a benchmarked path");
      req.resume();
      return;
    }
    if (req.method === "GET") {
      answer(res, route);
      return;
    }
    req.on("end", () => answer(res, route));
    req.resume();
  });
  server.listen(0, "127.0.0.1", () => {
    process.send?.({ type: LISTENING_MESSAGE, port: (server!.address() as AddressInfo).port });
    process.channel?.unref();
  });
  const stop = () => {
    server!.close(() => process.exit(0));
    server!.closeAllConnections();
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  // The harness went away: go too.
  process.on("disconnect", stop);
}

if (typeof process.send !== "function") {
  console.error("baseline-server: run by bench/run.ts (needs an IPC channel)");
  process.exit(2);
}
// The preload unref'd the channel; keep it until the server listens.
process.channel?.ref();
process.on("message", (msg: unknown) => {
  if (msg && typeof msg === "object" && (msg as { type?: unknown }).type === ROUTES_MESSAGE) {
    addRoutes((msg as unknown as { routes: CapturedResponse[] }).routes);
    if (!server) listen();
    else process.send?.({ type: ROUTES_ADDED_MESSAGE });
  }
});
process.send({ type: READY_MESSAGE });
