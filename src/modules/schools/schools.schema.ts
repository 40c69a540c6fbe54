import { z } from "zod";
import {
  countyCodeField,
  newPasswordField,
  optionalEmailField,
  phoneField,
  usccField,
} from "#src/modules/accounts/accounts.schema.ts";
import { line, multiline } from "#src/platform/text.schema.ts";
import { GRADES, ITEM_KINDS, isSchoolUscc, SCHOOL_STAGES, SUBJECTS, WEEKDAYS } from "./schools.rules.ts";

const text = (label: string, max = 100) =>
  line({ error: `请填写${label}` })
    .trim()
    .min(1, `请填写${label}`)
    .max(max, `${label}不能超过${max}个字`);

const optionalText = (label: string, max: number) =>
  multiline().trim().max(max, `${label}不能超过${max}个字`).default("");

/** Several choices posted as one comma-joined field (the route joins repeated checkboxes). */
export const pickList = <T extends string>(all: readonly T[], message: string) =>
  z
    .string({ error: message })
    .transform((v) => [
      ...new Set(
        v
          .split(",")
          .map((x) => x.trim())
          .filter(Boolean),
      ),
    ])
    .pipe(z.array(z.enum(all as unknown as [T, ...T[]], { error: message })).min(1, message));

const wholeNumber = (label: string, min: number, max: number) =>
  z.coerce
    .number({ error: `请填写${label}` })
    .int(`${label}须为整数`)
    .min(min, `${label}至少为${min}`)
    .max(max, `${label}不能超过${max}`);

const date = (message: string) => line({ error: message }).regex(/^\d{4}-\d{2}-\d{2}$/, message);

/** 学校注册: a school is a 事业单位 and registers with its USCC (starting 12). */
export const registerSchoolSchema = z
  .object({
    uscc: usccField.refine(isSchoolUscc, "学校为事业单位，统一社会信用代码应以12开头"),
    unitName: text("学校名称"),
    regionCode: countyCodeField,
    stages: pickList(SCHOOL_STAGES, "请选择学段"),
    address: text("学校地址", 200),
    contactName: text("联系人", 50),
    phone: phoneField("联系电话"),
    email: optionalEmailField,
    password: newPasswordField,
    confirmPassword: z.string(),
  })
  .refine((v) => v.password === v.confirmPassword, {
    path: ["confirmPassword"],
    message: "两次输入的密码不一致",
  });
export type RegisterSchoolInput = z.infer<typeof registerSchoolSchema>;

/** A catalogue item as the base fills it in. */
export const itemSchema = z
  .object({
    title: text("项目名称", 60),
    kind: z.enum(ITEM_KINDS, { error: "请选择服务方式" }),
    subjects: pickList(SUBJECTS, "请选择学科标签"),
    grades: pickList(GRADES, "请选择适合学段"),
    durationMinutes: wholeNumber("时长（分钟）", 10, 480),
    studentsPerSession: wholeNumber("每场人数", 1, 2000),
    sessionsPerWeek: wholeNumber("每周可接场次", 1, 50),
    availableFrom: date("请选择开始日期"),
    availableTo: date("请选择结束日期"),
    weekdays: pickList(WEEKDAYS, "请选择可开展的星期"),
    counties: z
      .string({ error: "请选择服务区域" })
      .transform((v) => [...new Set(v.split(",").filter((c) => /^\d{6}$/.test(c)))])
      .pipe(z.array(z.string()).min(1, "请选择服务区域")),
    fee: z.enum(["free", "discount"], { error: "请选择收费方式" }),
    feeNote: optionalText("收费说明", 200),
    description: optionalText("项目简介", 2000),
    prepare: optionalText("学校需准备", 500),
    safetyNotes: optionalText("安全须知", 1000),
  })
  .superRefine((v, ctx) => {
    if (v.availableTo < v.availableFrom)
      ctx.addIssue({ code: "custom", path: ["availableTo"], message: "结束日期不能早于开始日期" });
    if (v.fee === "discount" && !v.feeNote)
      ctx.addIssue({ code: "custom", path: ["feeNote"], message: "优惠收费请写明收费标准" });
  });
export type ItemInput = z.infer<typeof itemSchema>;

export const reviewItemSchema = z
  .object({
    decision: z.enum(["approve", "return"], { error: "请选择审核结果" }),
    reason: multiline().trim().max(500, "理由不能超过500个字").default(""),
    version: z.coerce.number().int(),
  })
  .refine((v) => v.decision === "approve" || v.reason.length > 0, {
    path: ["reason"],
    message: "退回时请填写理由",
  });

/** 点单: up to three preferred dates, the classes and students, a contact and notes. */
export const orderSchema = z.object({
  dates: z
    .string({ error: "请至少选择一个意向日期" })
    .transform((v) => [
      ...new Set(
        v
          .split(",")
          .map((d) => d.trim())
          .filter(Boolean),
      ),
    ])
    .pipe(
      z
        .array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "日期格式不正确"))
        .min(1, "请至少选择一个意向日期")
        .max(3, "最多选择3个意向日期"),
    ),
  classes: wholeNumber("班级数", 1, 60),
  students: wholeNumber("学生人数", 1, 3000),
  contactName: text("联系人", 50),
  contactPhone: phoneField("联系电话"),
  notes: optionalText("备注", 500),
});
export type OrderInput = z.infer<typeof orderSchema>;

export const catalogueFilterSchema = z.object({
  county: z
    .string()
    .regex(/^\d{6}$/)
    .optional()
    .catch(undefined),
  grade: z.enum(GRADES).optional().catch(undefined),
  kind: z.enum(ITEM_KINDS).optional().catch(undefined),
  subject: z.enum(SUBJECTS).optional().catch(undefined),
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional()
    .catch(undefined),
  page: z.coerce.number().int().min(1).max(1000).catch(1),
});
export type CatalogueFilter = z.infer<typeof catalogueFilterSchema>;

const version = z.coerce.number().int().catch(0);
const score = (label: string) =>
  z.coerce
    .number({ error: `请为${label}评分` })
    .int(`请为${label}评分`)
    .min(1, `请为${label}评分`)
    .max(5, `${label}最高5分`);
const reason = (message: string) => multiline().trim().min(1, message).max(500, "不能超过500个字");

/** One step on an order's page; the use case checks who may take it and when. */
export const orderStepSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("accept"), date: date("请选择接单日期"), version }),
  z.object({ intent: z.literal("decline"), reason: reason("请填写婉拒理由"), version }),
  z.object({
    intent: z.literal("propose"),
    date: date("请选择建议日期"),
    reason: multiline().trim().max(500).default(""),
    version,
  }),
  z.object({ intent: z.literal("confirm_proposal"), version }),
  z.object({ intent: z.literal("reject_proposal"), version }),
  z.object({ intent: z.literal("cancel"), reason: reason("请填写取消理由"), version }),
  z.object({ intent: z.literal("delivered"), students: wholeNumber("实际参加学生人数", 1, 3000), version }),
  z.object({ intent: z.literal("not_held"), version }),
  z.object({
    intent: z.literal("rate"),
    content: score("内容"),
    organization: score("组织"),
    safety: score("安全"),
    comment: optionalText("评价", 500),
    version,
  }),
  z.object({ intent: z.literal("reply"), reply: reason("请填写回复内容"), version }),
  z.object({ intent: z.literal("reassign"), itemId: line().min(1, "请选择改派的项目"), version }),
  z.object({ intent: z.literal("close"), reason: reason("请填写关闭理由"), version }),
]);
export type OrderStep = z.infer<typeof orderStepSchema>;
