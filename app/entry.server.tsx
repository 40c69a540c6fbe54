import { Writable } from "node:stream";
import { createCache, extractStyle, StyleProvider } from "@ant-design/cssinjs";
import { renderToPipeableStream } from "react-dom/server";
import type { AppLoadContext, EntryContext } from "react-router";
import { ServerRouter } from "react-router";

export const streamTimeout = 5_000;

/**
 * Renders the whole page, then puts antd's CSS-in-JS styles into <head>, so server-rendered
 * pages arrive styled with no unstyled flash. Pages are small, so buffering costs little.
 */
export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  routerContext: EntryContext,
  loadContext: AppLoadContext,
) {
  if (request.method.toUpperCase() === "HEAD") {
    return new Response(null, { status: responseStatusCode, headers: responseHeaders });
  }
  const cache = createCache();
  const nonce = loadContext.nonce;
  return new Promise<Response>((resolve, reject) => {
    const chunks: Buffer[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
        cb();
      },
      final(cb) {
        clearTimeout(timer);
        const html = Buffer.concat(chunks).toString("utf8");
        const styles = extractStyle(cache, { plain: false });
        const i = html.indexOf("</head>");
        const page = i >= 0 ? html.slice(0, i) + styles + html.slice(i) : html;
        responseHeaders.set("Content-Type", "text/html; charset=utf-8");
        resolve(new Response(page, { status: responseStatusCode, headers: responseHeaders }));
        cb();
      },
    });
    const { pipe, abort } = renderToPipeableStream(
      <StyleProvider cache={cache}>
        <ServerRouter context={routerContext} url={request.url} nonce={nonce} />
      </StyleProvider>,
      {
        nonce,
        onAllReady() {
          pipe(sink);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          console.error(error);
        },
      },
    );
    const timer = setTimeout(() => abort(), streamTimeout + 1000);
  });
}
