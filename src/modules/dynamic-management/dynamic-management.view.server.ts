import { revocationReasonLabel } from "#src/modules/bases/bases.rules.ts";
import { beijingDateOf } from "#src/modules/evaluation/evaluation.server.ts";
import { KIND_EXTENSIONS } from "#src/modules/files/slots.ts";
import { formatShanghai } from "#src/platform/clock.ts";
import type { BaseWarning, WarningStatus } from "#src/platform/db/schema.ts";
import { WARNING_SLOTS } from "./dynamic-management.files.ts";
import { ACTION_LABELS, WARNING_SOURCE_LABELS, WARNING_STATUS_LABELS } from "./dynamic-management.rules.ts";
import type { TimelineEvent } from "./dynamic-management.server.ts";

/** A warning as the pages show it: labels, Beijing dates, nothing internal beyond what the viewer may see. */
export function warningView(w: BaseWarning, now: string) {
  return {
    id: w.id,
    baseId: w.base_id,
    regionCode: w.region_code,
    status: w.status as WarningStatus,
    statusLabel: WARNING_STATUS_LABELS[w.status],
    source: WARNING_SOURCE_LABELS[w.source],
    reason: w.reason,
    evidence: w.evidence,
    measures: w.measures,
    deadline: w.deadline ? beijingDateOf(w.deadline) : "",
    overdue: w.status === "rectifying" && !!w.deadline && w.deadline <= now,
    reportText: w.report_text,
    reportAt: formatShanghai(w.report_at),
    recheckNote: w.recheck_note,
    inspection: w.inspection,
    revocationReason: w.revocation_reason,
    revocationReasonLabel: w.revocation_reason
      ? `第十八条（${"一二三四五"[w.revocation_reason - 1]}）${revocationReasonLabel(w.revocation_reason)}`
      : "",
    createdAt: formatShanghai(w.created_at),
    updatedAt: formatShanghai(w.updated_at),
    version: w.version,
  };
}
export type WarningViewModel = ReturnType<typeof warningView>;

export function eventView(e: TimelineEvent) {
  return {
    id: e.id,
    label: ACTION_LABELS[e.action as keyof typeof ACTION_LABELS] ?? e.action,
    at: formatShanghai(e.at),
    who: e.actor_name ?? (e.actor_id ? "" : "系统"),
    note: e.note,
    warningId: e.warning_id,
  };
}

/** The upload control's accept list for the warning's slots (both take the same kinds). */
export const WARNING_ACCEPT = WARNING_SLOTS[0].kinds
  .flatMap((k) => KIND_EXTENSIONS[k].map((e) => `.${e}`))
  .join(",");
