import { z } from "zod";
import { line, multiline } from "#src/platform/text.schema.ts";
import { endOfShanghaiDay, MAX_ISSUERS, normalizeDocumentNo, parseIssuers } from "./calls.rules.ts";

const shanghaiDateTime = (label: string) =>
  line()
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, `请填写${label}`)
    .transform((v) => new Date(`${v}:00+08:00`).toISOString());

/**
 * A closing date as a whole day: "2023-02-28" closes at the end of that day in Asia/Shanghai (stored as
 * the next day's 00:00, exclusive). A date and time from an older form is still taken as typed.
 */
const shanghaiDeadline = (label: string) =>
  z
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?$/, `请填写${label}`)
    .refine(
      (v) => !Number.isNaN(new Date(v.length === 10 ? `${v}T00:00:00+08:00` : `${v}:00+08:00`).getTime()),
      `请填写${label}`,
    )
    .transform((v) => (v.length === 10 ? endOfShanghaiDay(v) : new Date(`${v}:00+08:00`).toISOString()));

/** The call form: 申报项目 as the office sets it up. Times are typed in Asia/Shanghai. */
export function callFormSchema(counties: string[]) {
  return z
    .object({
      kind: line().min(1, "请填写项目类型").max(50, "项目类型不能超过50字"),
      batchNo: line()
        .default("")
        .refine((v) => v === "" || (/^\d+$/.test(v) && Number(v) > 0 && Number(v) < 1000), "批次须为正整数")
        .transform((v) => (v === "" ? null : Number(v))),
      title: line().min(1, "请填写项目名称").max(100, "项目名称不能超过100字"),
      level: z.enum(["city", "county"], { error: "请选择认定级别" }),
      regionCode: line().regex(/^\d{6}$/, "请选择组织单位所属区域"),
      opensAt: shanghaiDateTime("开始申报时间"),
      closesAt: shanghaiDeadline("截止日期"),
      categoryCodes: z.array(line()).min(1, "请至少选择一个申报类别"),
      targets: z.record(z.string(), z.number().int().min(0, "目标数不能为负").max(1000, "目标数过大")),
      notice: multiline().min(1, "请填写申报通知").max(20000, "申报通知不能超过20000字"),
      // Empty: the defaults of 第三条 (city) or the county 科协 (county call).
      issuers: multiline()
        .default("")
        .transform((v) => parseIssuers(v))
        .refine((v) => v.length <= MAX_ISSUERS, `认定单位最多${MAX_ISSUERS}个`)
        .refine((v) => v.every((n) => [...n].length <= 40), "每个认定单位名称不能超过40字"),
      documentNo: line()
        .default("")
        .transform((v) => normalizeDocumentNo(v))
        .refine((v) => [...v].length <= 50, "文号不能超过50字"),
    })
    .refine((v) => v.closesAt > v.opensAt, { path: ["closesAt"], message: "截止时间须晚于开始时间" })
    .refine((v) => Object.keys(v.targets).every((k) => counties.includes(k)), {
      path: ["targets"],
      message: "目标数中有未知的县（市、区）",
    });
}
export type CallFormInput = z.output<ReturnType<typeof callFormSchema>>;

/** Reads the call form post: categories as repeated fields, targets as target_<county>. */
export function callFormValues(fd: FormData, counties: string[]) {
  const str = (k: string) => (typeof fd.get(k) === "string" ? String(fd.get(k)) : "");
  const targets: Record<string, number> = {};
  for (const c of counties) {
    const raw = str(`target_${c}`).trim();
    targets[c] = raw === "" ? 0 : Number(raw);
  }
  return {
    kind: str("kind"),
    batchNo: str("batchNo"),
    title: str("title"),
    level: str("level"),
    regionCode: str("regionCode"),
    opensAt: str("opensAt"),
    closesAt: str("closesAt"),
    categoryCodes: fd.getAll("categoryCodes").filter((v): v is string => typeof v === "string"),
    targets,
    notice: str("notice"),
    issuers: str("issuers"),
    documentNo: str("documentNo"),
  };
}
