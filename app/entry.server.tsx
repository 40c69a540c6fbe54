import { Writable } from "node:stream";
import { StyleProvider } from "@ant-design/cssinjs";
import { renderToPipeableStream } from "react-dom/server";
import type { AppLoadContext, EntryContext } from "react-router";
import { ServerRouter } from "react-router";
import { headStyles, styleCache } from "~/lib/theme-styles.server";

export const streamTimeout = 5_000;
const HEAD_END = Buffer.from("</head>");

/**
 * Renders the whole page, then links the theme's stylesheet from <head> (component styles come from
 * antd's stylesheet, the theme's CSS variables from /theme.css), so pages arrive styled with no
 * flash. Pages are small; buffering is cheap.
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
        // Spliced as bytes: decoding the page to a string and encoding it again cost more than the splice.
        const html = Buffer.concat(chunks);
        const i = html.indexOf(HEAD_END);
        const page =
          i >= 0 ? Buffer.concat([html.subarray(0, i), Buffer.from(headStyles()), html.subarray(i)]) : html;
        responseHeaders.set("Content-Type", "text/html; charset=utf-8");
        resolve(new Response(page, { status: responseStatusCode, headers: responseHeaders }));
        cb();
      },
    });
    const { pipe, abort } = renderToPipeableStream(
      <StyleProvider cache={styleCache}>
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
