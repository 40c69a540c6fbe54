import { PassThrough } from "node:stream";
import { createReadableStreamFromReadable } from "@react-router/node";
import { auditFilterOf, prepareAuditXlsx } from "#src/modules/audit/audit-export.server.ts";
import { logger } from "#src/platform/logger.ts";
import { actorOf, orFail, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/admin-audit-export";

/** XLSX of the audit rows the page shows (same filters, all pages), streamed as it is written. */
export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "audit:read");
  // Every page of the filtered rows: the page's "before" cursor is ignored.
  const filter = auditFilterOf(new URL(request.url).searchParams);
  const write = await orFail(prepareAuditXlsx(context.app, actorOf(context), filter));
  const body = new PassThrough();
  // A client that goes away closes `body`; its error must not go uncaught (see download.server.ts).
  body.on("error", () => {});
  write(body).catch((err) => {
    logger.error({ err }, "audit xlsx export failed");
    if (!body.destroyed) body.destroy(err);
  });
  const date = new Date().toISOString().slice(0, 10);
  return new Response(createReadableStreamFromReadable(body), {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": `attachment; filename="audit-${date}.xlsx"; filename*=UTF-8''${encodeURIComponent(`审计日志-${date}.xlsx`)}`,
      "Cache-Control": "private, no-store",
    },
  });
}
