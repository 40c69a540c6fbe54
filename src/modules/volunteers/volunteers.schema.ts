import { z } from "zod";
import { charCount } from "#src/modules/applications/applications.rules.ts";
import { isIsoDate } from "#src/modules/bases/bases.rules.ts";
import { isValidPhone, normalizePhone, PHONE_MESSAGE } from "#src/platform/phone.rules.ts";
import { line } from "#src/platform/text.schema.ts";
import {
  instantOfBeijing,
  MAX_MINUTES_PER_DAY,
  minutesOfHours,
  STVS_NO,
  STVS_STATUSES,
} from "./volunteers.rules.ts";

const text = (label: string, max: number) =>
  line().refine((v) => charCount(v) <= max, `${label}不能超过${max}个字`);
const required = (label: string, max = 50) => text(label, max).refine((v) => v.length > 0, `请填写${label}`);

const phone = (label: string, requiredField: boolean) =>
  line()
    .refine((v) => (requiredField ? v.length > 0 : true), `请填写${label}`)
    .refine((v) => v === "" || isValidPhone(v), PHONE_MESSAGE)
    .transform((v) => (v === "" ? "" : normalizePhone(v)));

const optionalDate = (label: string) =>
  line()
    .refine((v) => v === "" || isIsoDate(v), `${label}格式应为 YYYY-MM-DD`)
    .transform((v) => (v === "" ? null : v));

const stvsNo = (label: string) =>
  line()
    .transform((v) => v.toUpperCase())
    .refine((v) => v === "" || STVS_NO.test(v), `${label}应为4至40位字母、数字或短横线`);

const version = z.coerce.number({ error: "缺少版本号，请刷新页面" }).int();

/** 科技志愿服务队: what the base fills in; 已注册 needs the stvs number and date. */
export const teamSchema = z
  .object({
    name: required("服务队名称", 100).prefault(""),
    stvsStatus: z.enum(STVS_STATUSES as [string, ...string[]], { error: "请选择注册状态" }),
    stvsOrgNo: stvsNo("组织编号").prefault(""),
    registeredOn: optionalDate("注册日期").prefault(""),
    leaderName: required("队长（负责人）").prefault(""),
    leaderPhone: phone("负责人电话", true).prefault(""),
    contactName: text("联系人", 50).prefault(""),
    contactPhone: phone("联系人电话", false).prefault(""),
    version: version.prefault(0),
  })
  .superRefine((v, ctx) => {
    if (v.stvsStatus === "registered") {
      if (!v.stvsOrgNo)
        ctx.addIssue({ code: "custom", path: ["stvsOrgNo"], message: "已注册的服务队请填写组织编号" });
      if (!v.registeredOn)
        ctx.addIssue({ code: "custom", path: ["registeredOn"], message: "已注册的服务队请填写注册日期" });
    }
  })
  .transform((v) => ({ ...v, stvsStatus: v.stvsStatus as "unregistered" | "pending" | "registered" }));
export type TeamInput = z.output<typeof teamSchema>;

/** One volunteer: no 身份证 number, only what matching stvs needs. */
export const volunteerSchema = z.object({
  name: required("姓名", 30).prefault(""),
  phone: phone("手机号", true).prefault(""),
  stvsNo: stvsNo("志愿者编号").prefault(""),
  specialty: text("专业特长", 100).prefault(""),
  joinedOn: optionalDate("加入日期").prefault(""),
});
export type VolunteerInput = z.output<typeof volunteerSchema>;

/** The import's columns, in the template's order. */
export const VOLUNTEER_IMPORT_COLUMNS = [
  { key: "name", header: "姓名", width: 14 },
  { key: "phone", header: "手机号", width: 16 },
  { key: "stvsNo", header: "志愿者编号", width: 20 },
  { key: "specialty", header: "专业特长", width: 24 },
  { key: "joinedOn", header: "加入日期", width: 14 },
] as const;
export type VolunteerImportKey = (typeof VOLUNTEER_IMPORT_COLUMNS)[number]["key"];

/** Service hours for one or more volunteers on one activity. */
export const serviceSchema = z
  .object({
    volunteerIds: z.array(z.string().max(64)).min(1, "请选择服务的志愿者").max(500, "一次最多登记500人"),
    startsAt: line().prefault(""),
    hours: line().prefault(""),
  })
  .transform((v, ctx) => {
    const startsAt = instantOfBeijing(v.startsAt);
    if (!startsAt) ctx.addIssue({ code: "custom", path: ["startsAt"], message: "请填写服务开始时间" });
    const minutes = minutesOfHours(v.hours);
    if (minutes === null)
      ctx.addIssue({ code: "custom", path: ["hours"], message: "服务时长应为大于0的小时数，如 2 或 1.5" });
    else if (minutes > MAX_MINUTES_PER_DAY)
      ctx.addIssue({
        code: "custom",
        path: ["hours"],
        message: "服务时长不能超过24小时：每位志愿者每天最多服务24小时",
      });
    if (!startsAt || minutes === null || minutes > MAX_MINUTES_PER_DAY) return z.NEVER;
    return { volunteerIds: [...new Set(v.volunteerIds)], startsAt, minutes };
  });
export type ServiceInput = z.output<typeof serviceSchema>;
