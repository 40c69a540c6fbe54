import { z } from "zod";
import { isValidPhone, normalizePhone, PHONE_MESSAGE } from "#src/platform/phone.rules.ts";
import { line, multiline } from "#src/platform/text.schema.ts";
import { DEFAULT_WORKING_DAYS, MAX_WORKING_DAYS } from "./notices.rules.ts";

/** 发布公示: the office publishes the proposed applications of a call. */
export const publishNoticeSchema = z.object({
  callId: line().min(1, "请选择申报项目"),
  applicationIds: z.array(line().min(1)).min(1, "请至少选择一个拟认定的申报"),
  title: line().min(1, "请填写公示标题").max(100, "公示标题不能超过100字"),
  body: multiline().min(1, "请填写公示内容").max(5000, "公示内容不能超过5000字"),
  contact: line().min(1, "请填写联系方式（受理异议的单位、电话）").max(200, "联系方式不能超过200字"),
  startDate: line().regex(/^\d{4}-\d{2}-\d{2}$/, "请选择公示开始日期"),
  /** The office read the warning that the period reaches a year without holiday data, and publishes anyway. */
  calendarConfirmed: z
    .string()
    .optional()
    .transform((v) => v === "on" || v === "1"),
  workingDays: z.coerce
    .number({ error: "请填写公示期（工作日）" })
    .int("公示期须为整数个工作日")
    .min(1, "公示期至少1个工作日")
    .max(MAX_WORKING_DAYS, `公示期不能超过${MAX_WORKING_DAYS}个工作日`)
    .default(DEFAULT_WORKING_DAYS),
});
export type PublishNoticeInput = z.output<typeof publishNoticeSchema>;

/** 提出异议: a real-name objection from the public. */
export const objectionSchema = z
  .object({
    applicationId: line({ error: "请选择异议对象" }).min(1, "请选择异议对象"),
    objectorKind: z.enum(["individual", "unit"], { error: "请选择以个人或单位名义提出" }),
    objectorName: line().min(2, "请填写真实姓名").max(30, "姓名不能超过30字"),
    objectorUnit: line().max(100, "单位名称不能超过100字").default(""),
    objectorPhone: line()
      .refine((v) => isValidPhone(v), PHONE_MESSAGE)
      .transform((v) => normalizePhone(v)),
    content: multiline()
      .min(10, "请具体说明异议的事实和理由（至少10字）")
      .max(3000, "异议内容不能超过3000字"),
  })
  .refine((v) => v.objectorKind !== "unit" || v.objectorUnit.length > 0, {
    path: ["objectorUnit"],
    message: "以单位名义提出时请填写单位名称",
  });
export type ObjectionInput = z.output<typeof objectionSchema>;

/** 核实异议: the office's finding and reply. */
export const handleObjectionSchema = z
  .object({
    decision: z.enum(["upheld", "dismissed"], { error: "请选择核实结论" }),
    upheldAction: z.enum(["back_to_office", "reject"]).optional(),
    reply: multiline().min(5, "请填写答复（将公开发布，请勿包含个人信息）").max(2000, "答复不能超过2000字"),
    version: z.coerce.number().int(),
  })
  .refine((v) => v.decision !== "upheld" || v.upheldAction, {
    path: ["upheldAction"],
    message: "异议成立时请选择处理方式",
  });
export type HandleObjectionInput = z.output<typeof handleObjectionSchema>;

export const objectionStatusSchema = z.object({
  ref: line()
    .toUpperCase()
    .regex(/^YY\d{8}-[0-9A-Z]{6}$/, "请填写受理编号，如 YY20231009-K3F9QX"),
  phone: line()
    .refine((v) => isValidPhone(v), PHONE_MESSAGE)
    .transform((v) => normalizePhone(v)),
});
