import { z } from "zod";
import { usccField } from "#src/modules/accounts/accounts.schema.ts";
import { charCount } from "#src/modules/applications/applications.rules.ts";
import { isIsoDate } from "#src/modules/bases/bases.rules.ts";
import { isValidPhone, normalizePhone, PHONE_MESSAGE } from "#src/platform/phone.rules.ts";
import { line, multiline } from "#src/platform/text.schema.ts";
import {
  ACTIVITY_FORMS,
  ACTIVITY_TYPES,
  CAMPAIGN_KINDS,
  checkActivityTimes,
  DIRECTIONS,
  FEES,
  shanghaiLocalToIso,
} from "./activities.rules.ts";

/** `multi`: a textarea, whose line breaks are kept. */
const text = (label: string, max: number, multi = false) =>
  (multi ? multiline : line)({ error: `请填写${label}` })
    .trim()
    .refine((v) => charCount(v) <= max, `${label}不能超过${max}个字`);
const required = (label: string, max = 100, multi = false) =>
  text(label, max, multi).refine((v) => v.length > 0, `请填写${label}`);
const choice = <T extends string>(label: string, values: readonly T[]) =>
  z.enum(values as [T, ...T[]], { error: `请选择${label}` });

/** http(s) URLs only: a report link or an online activity's address. */
export function isWebUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return (u.protocol === "http:" || u.protocol === "https:") && !!u.hostname && !/\s/.test(v);
  } catch {
    return false;
  }
}
const URL_MESSAGE = "请输入以 http:// 或 https:// 开头的完整网址";

const localTime = (label: string) =>
  line({ error: `请填写${label}` })
    .trim()
    .transform((v, ctx) => {
      if (v === "") {
        ctx.addIssue({ code: "custom", message: `请填写${label}` });
        return z.NEVER;
      }
      const iso = shanghaiLocalToIso(v);
      if (!iso) {
        ctx.addIssue({ code: "custom", message: `${label}格式不正确，如 2024-05-18 09:30` });
        return z.NEVER;
      }
      return iso;
    });

const date = (label: string) =>
  line({ error: `请填写${label}` })
    .trim()
    .refine((v) => isIsoDate(v), `请填写有效的${label}，如 2024-09-15`);

const version = z.coerce.number({ error: "版本号无效" }).int().min(1);

const optionalCount = (label: string) =>
  line()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) return null;
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 1_000_000) {
        ctx.addIssue({ code: "custom", message: `${label}须为1至1000000之间的整数` });
        return z.NEVER;
      }
      return n;
    });

// ---- campaigns ----

export const campaignSchema = z
  .object({
    kind: choice("动员类型", CAMPAIGN_KINDS),
    title: required("名称"),
    startsOn: date("开始日期"),
    endsOn: date("结束日期"),
    description: required("活动说明", 2000, true),
    expectations: text("工作要求", 1000, true).default(""),
  })
  .superRefine((v, ctx) => {
    if (v.endsOn < v.startsOn)
      ctx.addIssue({ code: "custom", path: ["endsOn"], message: "结束日期不能早于开始日期" });
  });
export type CampaignInput = z.infer<typeof campaignSchema>;

// ---- 活动预告 ----

/** 【确定】 after typing the USCC: the code's own check first; which base it belongs to is the server's. */
export const usccConfirmSchema = z.object({ uscc: usccField });

export const announcementSchema = z
  .object({
    name: required("活动名称"),
    type: choice("活动类型", ACTIVITY_TYPES),
    form: choice("活动形式", ACTIVITY_FORMS),
    startsAt: localTime("开始时间"),
    endsAt: localTime("结束时间"),
    place: text("活动地点", 200).default(""),
    link: line().default(""),
    audience: required("面向对象"),
    expectedParticipants: optionalCount("预计参与人数"),
    fee: choice("收费方式", FEES),
    direction: choice("服务方式", DIRECTIONS),
    /** Comma-separated campaign ids (the form's check boxes, joined by the route). */
    campaignIds: line()
      .default("")
      .transform((v) =>
        [
          ...new Set(
            v
              .split(",")
              .map((s) => s.trim())
              .filter(Boolean),
          ),
        ].slice(0, 10),
      ),
    contactName: required("联系人", 50),
    contactPhone: line({ error: "请填写联系电话" })
      .trim()
      .min(1, "请填写联系电话")
      .refine((v) => isValidPhone(v, { allowLocal: true }), `${PHONE_MESSAGE}，或本地7–8位号码`)
      .transform((v) => normalizePhone(v, { allowLocal: true })),
    description: required("活动简介", 2000, true),
  })
  .superRefine((v, ctx) => {
    const times = checkActivityTimes(v.startsAt, v.endsAt);
    if (times) ctx.addIssue({ code: "custom", path: ["endsAt"], message: times });
    if (v.form !== "online" && !v.place)
      ctx.addIssue({ code: "custom", path: ["place"], message: "线下活动请填写活动地点" });
    if (v.form !== "offline" && !v.link)
      ctx.addIssue({ code: "custom", path: ["link"], message: "线上活动请填写参与链接" });
    if (v.link && !isWebUrl(v.link)) ctx.addIssue({ code: "custom", path: ["link"], message: URL_MESSAGE });
  });
export type AnnouncementInput = z.infer<typeof announcementSchema>;

export const editAnnouncementSchema = z.intersection(announcementSchema, z.object({ version }));
export type EditAnnouncementInput = z.infer<typeof editAnnouncementSchema>;

// ---- 活动小结 ----

export const reportSchema = z.object({
  /** 信息报道链接: one per line. */
  links: multiline()
    .default("")
    .transform((v, ctx) => {
      const lines = v
        .split(/\r?\n/)
        .map((s) => s.trim())
        .filter(Boolean);
      if (lines.length > 10) {
        ctx.addIssue({ code: "custom", message: "信息报道链接最多10条" });
        return z.NEVER;
      }
      const bad = lines.find((l) => !isWebUrl(l) || l.length > 500);
      if (bad) {
        ctx.addIssue({ code: "custom", message: `“${bad.slice(0, 60)}”不是有效网址：${URL_MESSAGE}` });
        return z.NEVER;
      }
      return lines;
    }),
  actualParticipants: line({ error: "请填写活动参与人数" })
    .trim()
    .transform((v, ctx) => {
      const n = Number(v);
      if (v === "" || !Number.isInteger(n) || n < 0 || n > 1_000_000) {
        ctx.addIssue({ code: "custom", message: "活动参与人数须为0至1000000之间的整数" });
        return z.NEVER;
      }
      return n;
    }),
  summary: required("活动情况简介", 2000, true),
  version,
});
export type ReportInput = z.infer<typeof reportSchema>;

export const reviewReportSchema = z
  .object({
    decision: z.enum(["accept", "return"], { error: "请选择审核结果" }),
    reason: text("退回原因", 500, true).default(""),
    version,
  })
  .superRefine((v, ctx) => {
    if (v.decision === "return" && !v.reason)
      ctx.addIssue({ code: "custom", path: ["reason"], message: "退回时请填写退回原因" });
  });
export type ReviewReportInput = z.infer<typeof reviewReportSchema>;
