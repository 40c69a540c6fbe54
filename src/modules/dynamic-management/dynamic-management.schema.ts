import { z } from "zod";
import { charCount } from "#src/modules/applications/applications.rules.ts";
import { isIsoDate } from "#src/modules/bases/bases.rules.ts";
import { multiline } from "#src/platform/text.schema.ts";
import { WARNING_STATUSES } from "./dynamic-management.rules.ts";

const text = (label: string, max: number) =>
  multiline()
    .refine((v) => charCount(v) <= max, `${label}不能超过${max}个字`)
    .prefault("");
const required = (label: string, max: number) =>
  multiline()
    .refine((v) => charCount(v) <= max, `${label}不能超过${max}个字`)
    .refine((v) => v.length > 0, `请填写${label}`)
    .prefault("");
const version = z.coerce.number({ error: "缺少版本号，请刷新页面" }).int();
const optionalDate = multiline()
  .refine((v) => v === "" || isIsoDate(v), "请选择正确的日期")
  .prefault("");

/** 限期整改: measures and a deadline date go together (both or neither where they are optional). */
function measuresWithDeadline(
  v: { measures: string; deadline: string },
  ctx: z.RefinementCtx,
  needed: boolean,
): void {
  if ((needed || v.deadline) && !v.measures)
    ctx.addIssue({ code: "custom", path: ["measures"], message: "请填写整改要求" });
  if ((needed || v.measures) && !v.deadline)
    ctx.addIssue({ code: "custom", path: ["deadline"], message: "请选择整改期限" });
}

/** 【列入警示】 (office, city) or 【提出拟警示】 (county) for one base. */
export const issueSchema = z
  .object({
    baseId: multiline().prefault(""),
    reason: required("警示理由", 500),
    evidence: text("情况说明", 2000),
    measures: text("整改要求", 2000),
    deadline: optionalDate,
  })
  .superRefine((v, ctx) => measuresWithDeadline(v, ctx, false));
export type IssueInput = z.infer<typeof issueSchema>;

/** Confirming a proposed warning (it may order 整改 at once), or dismissing it with a note. */
export const confirmSchema = z
  .object({
    note: text("说明", 1000),
    measures: text("整改要求", 2000),
    deadline: optionalDate,
    version,
  })
  .superRefine((v, ctx) => measuresWithDeadline(v, ctx, false));
export type ConfirmInput = z.infer<typeof confirmSchema>;

/** 下达限期整改: the required measures and a deadline date. */
export const rectifySchema = z
  .object({ measures: text("整改要求", 2000), deadline: optionalDate, version })
  .superRefine((v, ctx) => measuresWithDeadline(v, ctx, true));
export type RectifyInput = z.infer<typeof rectifySchema>;

/** A step that needs only a note: dismiss, lift. */
export const noteSchema = z.object({ note: required("处理说明", 1000), version });
export type NoteInput = z.infer<typeof noteSchema>;

/** The base's 整改报告: a draft may be empty; filing needs the text. */
export const reportSchema = z.object({ reportText: text("整改报告", 5000), version });
export type ReportInput = z.infer<typeof reportSchema>;

/** 复查: pass, or fail with the 第十八条 reason the revocation is proposed under. */
export const recheckSchema = z
  .object({
    decision: z.enum(["pass", "fail"], { error: "请选择复查结论" }),
    note: required("复查意见", 2000),
    inspection: text("实地核查记录", 2000),
    revocationReason: z
      .union([z.literal(""), z.coerce.number()])
      .transform((v) => (v === "" ? null : v))
      .prefault(""),
    version,
  })
  .superRefine((v, ctx) => {
    if (v.decision === "fail" && v.revocationReason !== 4 && v.revocationReason !== 5)
      ctx.addIssue({
        code: "custom",
        path: ["revocationReason"],
        message: "请选择建议撤销的理由（第十八条（四）或（五））",
      });
  });
export type RecheckInput = z.infer<typeof recheckSchema>;

/** 【动态管理】's filters, from the query string. */
export const warningFilterSchema = z.object({
  status: z.enum(WARNING_STATUSES).optional().catch(undefined),
  county: z
    .string()
    .regex(/^\d{6}$/)
    .optional()
    .catch(undefined),
  overdue: z
    .string()
    .optional()
    .catch(undefined)
    .transform((v) => v === "1" || v === "on"),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});
export type WarningFilter = z.infer<typeof warningFilterSchema>;

export function warningFilterOf(sp: URLSearchParams): WarningFilter {
  return warningFilterSchema.parse({
    status: sp.get("status") || undefined,
    county: sp.get("county") || undefined,
    overdue: sp.get("overdue") || undefined,
    page: sp.get("page") ?? 1,
  });
}
