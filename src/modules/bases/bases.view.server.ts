import type { FileView } from "#src/modules/files/files.server.ts";
import { catalogSlot, KIND_EXTENSIONS } from "#src/modules/files/slots.ts";
import { formatShanghai } from "#src/platform/clock.ts";
import { CATEGORIES } from "#src/platform/db/reference-data.ts";
import type { Base } from "#src/platform/db/schema.ts";
import { cleanLine } from "#src/platform/text.rules.ts";
import {
  BASE_STATUS_LABELS,
  BASE_STATUSES,
  CHANGE_FIELD_LABELS,
  CHANGE_KIND_LABELS,
  CHANGE_STATUS_LABELS,
  type ChangeField,
  changeReportDeadline,
  detailsOf,
  RECOMMENDATION_LABELS,
  revocationReasonLabel,
} from "./bases.rules.ts";
import type { BaseFilter, ChangeReportRow } from "./bases.server.ts";

export const categoryName = (code: string | null) =>
  CATEGORIES.find((c) => c.code === code)?.name ?? code ?? "";

/** A base as the pages show it: labels resolved, instants in Shanghai time. */
export function baseView(b: Base, regionNames: Map<string, string>) {
  return {
    id: b.id,
    version: b.version,
    uscc: b.uscc,
    name: b.name,
    unitName: b.unit_name,
    county: regionNames.get(b.region_code) ?? b.region_code,
    category: categoryName(b.category_code),
    address: b.address,
    intro: b.intro,
    openingForm: b.opening_form ?? "",
    openingHours: b.opening_hours,
    openDays: b.open_days === null ? "" : String(b.open_days),
    areaSqm: b.area_sqm === null ? "" : String(b.area_sqm),
    bookingPhone: b.booking_phone,
    leaderName: b.leader_name,
    leaderPhone: b.leader_phone,
    contactName: b.contact_name,
    contactPhone: b.contact_phone,
    volunteerTeamName: b.volunteer_team_name,
    volunteerCount: b.volunteer_count === null ? "" : String(b.volunteer_count),
    batchNo: b.batch_no,
    recognizedYear: b.recognized_year,
    certificateNo: b.certificate_no ?? "",
    status: b.status,
    statusLabel: BASE_STATUS_LABELS[b.status],
    warningNote: b.warning_note ?? "",
    revokedAt: formatShanghai(b.revoked_at),
    revocationReason: b.revocation_reason,
    revocationReasonLabel: revocationReasonLabel(b.revocation_reason),
    revocationNote: b.revocation_note ?? "",
    recommendedLevel: b.recommended_level ?? "",
    recommendedLabel: b.recommended_level ? RECOMMENDATION_LABELS[b.recommended_level] : "",
    recommendedNote: b.recommended_note ?? "",
    recommendedAt: formatShanghai(b.recommended_at),
    updatedAt: formatShanghai(b.updated_at),
  };
}
export type BaseView = ReturnType<typeof baseView>;

export function changeReportView(
  r: ChangeReportRow | (Omit<ChangeReportRow, "base_name" | "region_code"> & { base_name?: string }),
) {
  const d = detailsOf(r);
  return {
    id: r.id,
    version: r.version,
    baseName: r.base_name ?? "",
    kind: r.kind,
    kindLabel: CHANGE_KIND_LABELS[r.kind],
    happenedOn: r.happened_on,
    deadline: changeReportDeadline(r.happened_on),
    filedAt: formatShanghai(r.filed_at),
    status: r.status,
    statusLabel: CHANGE_STATUS_LABELS[r.status],
    late: r.late === 1,
    reply: r.reply ?? "",
    decidedAt: formatShanghai(r.decided_at),
    explanation: d.explanation,
    changes: (Object.keys(d.values) as ChangeField[]).map((f) => ({
      field: f,
      label: CHANGE_FIELD_LABELS[f].replace(/^新/, ""),
      before: d.previous[f] ?? "",
      after: d.values[f] ?? "",
    })),
  };
}
export type ChangeReportView = ReturnType<typeof changeReportView>;

/** What an upload slot needs on the page. */
export function slotView(slotId: string, files: FileView[]) {
  const s = catalogSlot(slotId);
  if (!s) throw new Error(`unknown slot: ${slotId}`);
  return {
    id: s.id,
    label: s.label,
    max: s.max,
    image: s.kinds.length === 1 && s.kinds[0] === "image",
    accept: s.kinds.flatMap((k) => KIND_EXTENSIONS[k].map((e) => `.${e}`)).join(","),
    files: files
      .filter((f) => f.slot === s.id)
      .map((f) => ({ id: f.id, name: f.name, url: f.url, thumbUrl: f.thumbUrl })),
  };
}

const RECOMMENDED_FILTERS = ["yes", "province", "nation", "no"] as const;

/** The staff list's filter from the query string; the export reads the same one. */
export function baseFilterOf(sp: URLSearchParams): BaseFilter {
  return {
    status: BASE_STATUSES.find((s) => s === sp.get("status")),
    // Cleaned like a form field: these reach the export's audit record.
    regionCode: cleanLine(sp.get("county") ?? "").slice(0, 20) || undefined,
    categoryCode: cleanLine(sp.get("category") ?? "").slice(0, 50) || undefined,
    q: cleanLine(sp.get("q") ?? "").slice(0, 100) || undefined,
    recommended: RECOMMENDED_FILTERS.find((r) => r === sp.get("recommended")),
  };
}
