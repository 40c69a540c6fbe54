import { auditFilterOf, prepareAuditXlsx } from "#src/modules/audit/audit-export.server.ts";
import { streamedDownload } from "~/lib/download.server";
import { actorOf, orFail, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/admin-audit-export";

/** XLSX of the audit rows the page shows (same filters, all pages), streamed as it is written. */
export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "audit:read");
  // Every page of the filtered rows: the page's "before" cursor is ignored.
  const filter = auditFilterOf(new URL(request.url).searchParams);
  const write = await orFail(prepareAuditXlsx(context.app, actorOf(context), filter));
  return streamedDownload(write, { kind: "xlsx", asciiName: "audit", name: "审计日志" });
}
