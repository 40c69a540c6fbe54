import type { Writable } from "node:stream";
import { ROLE_LABELS } from "#src/modules/accounts/accounts.policy.ts";
import { authorize } from "#src/modules/accounts/authorize.server.ts";
import { isIsoDate } from "#src/modules/bases/bases.rules.ts";
import type { Actor, AppContext } from "#src/platform/context.ts";
import { withBulkReader } from "#src/platform/db/bulk-reader.server.ts";
import type { AuditEvent, Role } from "#src/platform/db/schema.ts";
import { type SheetColumn, streamSheet } from "#src/platform/xlsx/stream-sheet.server.ts";
import { AUDIT_ACTION_LABELS, auditTargetText, OUTCOME_LABELS } from "./audit.labels.ts";
import { type AuditFilter, filterAudit, recordAudit } from "./audit.server.ts";

const BATCH = 500;

const COLUMNS: SheetColumn<AuditEvent>[] = [
  { header: "时间", width: 20, value: (e) => new Date(e.at) },
  { header: "操作人", width: 22, value: (e) => e.actor_label ?? "匿名" },
  {
    header: "角色",
    width: 10,
    value: (e) => (e.actor_role ? (ROLE_LABELS[e.actor_role as Role] ?? e.actor_role) : ""),
  },
  { header: "IP", width: 16, value: (e) => e.ip ?? "" },
  { header: "操作", width: 16, value: (e) => AUDIT_ACTION_LABELS[e.action] ?? e.action },
  { header: "操作代码", width: 22, value: (e) => e.action },
  { header: "对象", width: 40, value: (e) => auditTargetText(e) },
  { header: "结果", width: 8, value: (e) => OUTCOME_LABELS[e.outcome] ?? e.outcome },
  { header: "详情", width: 60, value: (e) => e.detail ?? "" },
  { header: "序号", width: 10, value: (e) => Number(e.seq) },
  { header: "哈希", width: 66, value: (e) => e.hash },
];

export const AUDIT_EXPORT_HEADERS = COLUMNS.map((c) => c.header);

/**
 * 导出 Excel: the audit rows the page shows with the same filters, newest first, every page of
 * them. Authorization and the audit record of the download come first; the writer then streams
 * keyset batches.
 */
export async function prepareAuditXlsx(
  ctx: AppContext,
  actor: Actor,
  filter: Omit<AuditFilter, "before" | "limit">,
): Promise<(out: Writable) => Promise<number>> {
  await authorize(ctx, actor, "audit:read");
  const { actor: who, action, from, to } = filter;
  await recordAudit(ctx, ctx.db, actor, {
    action: "audit.export",
    targetType: "audit",
    detail: { filter: { actor: who, action, from, to } },
  });
  return (out) =>
    withBulkReader(ctx, (db) =>
      streamSheet(out, {
        sheetName: "审计日志",
        columns: COLUMNS,
        batchSize: BATCH,
        autoFilter: true,
        nextBatch: (last) =>
          filterAudit(db.selectFrom("audit_events").selectAll(), {
            actor: who,
            action,
            from,
            to,
            before: last?.id,
          })
            .orderBy("id", "desc")
            .limit(BATCH)
            .execute(),
      }),
    );
}

// A real calendar date only: 2024-13-45 matches the pattern but is no Date (issue 14).
const shanghaiStart = (d: string | null) =>
  d && isIsoDate(d) ? new Date(`${d}T00:00:00+08:00`).toISOString() : undefined;

/** The audit page's filters from its query string; "to" is inclusive, up to the end of that Beijing day. */
export function auditFilterOf(sp: URLSearchParams): Omit<AuditFilter, "limit"> {
  const to = shanghaiStart(sp.get("to"));
  return {
    actor: sp.get("actor")?.trim() || undefined,
    action: sp.get("action") || undefined,
    from: shanghaiStart(sp.get("from")),
    to: to ? new Date(new Date(to).getTime() + 86400_000).toISOString() : undefined,
    before: sp.get("before") || undefined,
  };
}
