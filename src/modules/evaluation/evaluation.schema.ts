import { z } from "zod";
import { charCount } from "#src/modules/applications/applications.rules.ts";
import { isIsoDate } from "#src/modules/bases/bases.rules.ts";
import { line, multiline } from "#src/platform/text.schema.ts";
import { DEFAULT_THRESHOLDS } from "./evaluation.rules.ts";

const text = (label: string, max: number) =>
  multiline().refine((v) => charCount(v) <= max, `${label}不能超过${max}个字`);
const required = (label: string, max: number) =>
  line()
    .refine((v) => charCount(v) <= max, `${label}不能超过${max}个字`)
    .refine((v) => v.length > 0, `请填写${label}`);
const date = (label: string) => line().refine((v) => isIsoDate(v), `请选择${label}`);
const number = (label: string, min: number, max: number) =>
  z.coerce
    .number({ error: `请填写${label}` })
    .refine((v) => Number.isFinite(v), `请填写${label}`)
    .refine((v) => v >= min && v <= max, `${label}须在${min}到${max}之间`);
export const version = z.coerce.number({ error: "缺少版本号，请刷新页面" }).int();

/** 【新建评价】 and its edits while a draft. */
export const roundSchema = z
  .object({
    year: z.coerce
      .number({ error: "请填写评价年度" })
      .int("请填写评价年度")
      .refine((v) => v >= 2000 && v <= 2100, "评价年度应为四位年份"),
    title: required("评价名称", 100).prefault(""),
    selfDeadline: date("自评截止日期").prefault(""),
    scoringDeadline: date("评分截止日期").prefault(""),
    excellent: number("优秀分数线", 1, 100).prefault(DEFAULT_THRESHOLDS.excellent),
    good: number("良好分数线", 1, 100).prefault(DEFAULT_THRESHOLDS.good),
    pass: number("合格分数线", 1, 100).prefault(DEFAULT_THRESHOLDS.pass),
    spreadLimit: number("评分差异提示阈值", 0, 100).prefault(15),
    subsidyExcellent: number("优秀补助金额", 0, 10_000_000).prefault(0),
    subsidyGood: number("良好补助金额", 0, 10_000_000).prefault(0),
    subsidyPass: number("合格补助金额", 0, 10_000_000).prefault(0),
  })
  .superRefine((v, ctx) => {
    if (v.selfDeadline && v.scoringDeadline && v.scoringDeadline <= v.selfDeadline)
      ctx.addIssue({ code: "custom", path: ["scoringDeadline"], message: "评分截止日期须晚于自评截止日期" });
    if (!(v.pass < v.good && v.good < v.excellent))
      ctx.addIssue({ code: "custom", path: ["good"], message: "须满足 合格线 < 良好线 < 优秀线" });
  });
export type RoundInput = z.infer<typeof roundSchema>;

/** An evaluator of one round: by county or by category, with its own unit (never scores that unit). */
export const evaluatorSchema = z.object({
  userId: line()
    .refine((v) => v.length > 0, "请选择评价人员")
    .prefault(""),
  scopeKind: z.enum(["county", "category"], { error: "请选择分配方式" }),
  scopeValues: z.array(line()).min(1, "请至少选择一个县（市、区）或类别").prefault([]),
  unitUscc: line()
    .transform((v) => v.toUpperCase())
    .refine((v) => v === "" || /^[0-9A-HJ-NPQRTUWXY]{18}$/.test(v), "统一社会信用代码应为18位")
    .prefault(""),
  unitName: line()
    .refine((v) => charCount(v) <= 100, "工作单位不能超过100个字")
    .prefault(""),
});
export type EvaluatorInput = z.infer<typeof evaluatorSchema>;

/** One manual indicator of a self-assessment: the base's own score and what backs it. */
export const selfItemSchema = z.object({
  score: z.union([z.literal(""), z.coerce.number()]).transform((v) => (v === "" ? null : v)),
  text: text("自评说明", 2000).prefault(""),
});

export const selfAssessmentSchema = z.object({
  items: z.record(z.string(), selfItemSchema),
  version,
});
export type SelfAssessmentInput = z.infer<typeof selfAssessmentSchema>;

/** The self-assessment form's `score.<key>` and `text.<key>` fields, parsed (the page and its autosave). */
export function selfAssessmentFromForm(fd: FormData) {
  const items: Record<string, { score: string; text: string }> = {};
  for (const [k, v] of fd.entries()) {
    const m = /^(score|text)\.([a-z_]+)$/.exec(k);
    if (!m || typeof v !== "string") continue;
    items[m[2]] ??= { score: "", text: "" };
    items[m[2]][m[1] as "score" | "text"] = v;
  }
  return selfAssessmentSchema.safeParse({ items, version: fd.get("version") });
}

export const countyReviewSchema = z.object({
  decision: z.enum(["pass", "return"], { error: "请选择初审结论" }),
  opinion: required("初审意见", 1000).prefault(""),
  version,
});
export type CountyReviewInput = z.infer<typeof countyReviewSchema>;

export const scoreSchema = z.object({
  scores: z.record(
    z.string(),
    z.union([z.literal(""), z.coerce.number()]).transform((v) => (v === "" ? null : v)),
  ),
  comment: text("评分意见", 1000).prefault(""),
  submit: z.coerce.boolean().prefault(false),
  version,
});
export type ScoreInput = z.infer<typeof scoreSchema>;
