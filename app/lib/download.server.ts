import { PassThrough, type Writable } from "node:stream";
import { createReadableStreamFromReadable } from "@react-router/node";
import { logger } from "#src/platform/logger.ts";

const TYPES = {
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  zip: "application/zip",
} as const;

/**
 * The response for a file written as it streams (an XLSX export, a ZIP): `write` has already been
 * authorized by its use case; what it writes goes to the download as it comes. A failure after the
 * headers can only drop the connection, so it is logged. `asciiName` is the fallback file name,
 * `name` the Chinese one browsers show; both get today's date and the extension.
 */
export function streamedDownload(
  write: (out: Writable) => Promise<unknown>,
  opts: { kind: keyof typeof TYPES; asciiName: string; name: string },
): Response {
  const body = new PassThrough();
  // A client that goes away closes `body` first; without a listener its error would be uncaught and
  // end the worker process.
  body.on("error", () => {});
  write(body).catch((err) => {
    logger.error({ err, download: opts.asciiName }, "streamed download failed");
    if (!body.destroyed) body.destroy(err);
  });
  const date = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const ascii = `${opts.asciiName}-${date}.${opts.kind}`;
  const name = `${opts.name}-${date}.${opts.kind}`;
  return new Response(createReadableStreamFromReadable(body), {
    headers: {
      "Content-Type": TYPES[opts.kind],
      "Content-Disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
