import { z } from "zod";
import { validateUscc } from "#src/modules/accounts/uscc.rules.ts";
import { charCount, INTRO_MAX, OPENING_FORMS } from "#src/modules/applications/applications.rules.ts";
import { STVS_NO } from "#src/modules/volunteers/volunteers.rules.ts";
import { isValidPhone, normalizePhone, PHONE_MESSAGE } from "#src/platform/phone.rules.ts";
import { line, multiline } from "#src/platform/text.schema.ts";
import {
  CHANGE_FIELDS,
  CHANGE_KINDS,
  type ChangeField,
  isIsoDate,
  MAJOR_CHANGE_KINDS,
} from "./bases.rules.ts";
import { matchCounty, parseImportDay, parseImportStatus } from "./bases-import.rules.ts";

const BASE_NAME_SUFFIX = "科普教育基地";
const BASE_NAME_MESSAGE = "基地名称须为“单位名称+科普教育基地”，如：衢州市科技馆科普教育基地";

/** `multi`: a textarea, whose line breaks are kept. */
const text = (label: string, max: number, multi = false) =>
  (multi ? multiline : line)().refine((v) => charCount(v) <= max, `${label}不能超过${max}个字`);

const required = (label: string, max = 100, multi = false) =>
  text(label, max, multi).refine((v) => v.length > 0, `请填写${label}`);

const optionalPhone = (label: string, opts: { allowLocal?: boolean } = {}) =>
  line()
    .refine(
      (v) => v === "" || isValidPhone(v, opts),
      `${label}：${opts.allowLocal ? `${PHONE_MESSAGE}，或本地7–8位号码` : PHONE_MESSAGE}`,
    )
    .transform((v) => (v === "" ? "" : normalizePhone(v, opts)));

const requiredPhone = (label: string, opts: { allowLocal?: boolean } = {}) =>
  line()
    .min(1, `请填写${label}`)
    .refine(
      (v) => isValidPhone(v, opts),
      opts.allowLocal ? `${PHONE_MESSAGE}，或本地7–8位号码` : PHONE_MESSAGE,
    )
    .transform((v) => normalizePhone(v, opts));

const baseName = required("基地名称").refine(
  (v) => v.endsWith(BASE_NAME_SUFFIX) && charCount(v) > BASE_NAME_SUFFIX.length,
  BASE_NAME_MESSAGE,
);

const intro = multiline().superRefine((v, ctx) => {
  const n = charCount(v);
  if (n > INTRO_MAX) ctx.addIssue({ code: "custom", message: `简介不能超过${INTRO_MAX}字，当前${n}字` });
});

const openDays = line().transform((v, ctx) => {
  if (v === "") return null;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 366) {
    ctx.addIssue({ code: "custom", message: "年开放天数须为1至366之间的整数" });
    return z.NEVER;
  }
  return n;
});

const version = z.coerce.number({ error: "缺少版本号，请刷新页面" }).int();

/** What an organization may edit on its own: the public, non-identity fields only. */
export const profileSchema = z.object({
  intro: intro.prefault(""),
  openingForm: line({ error: "请选择开放形式" }).refine(
    (v) => (OPENING_FORMS as readonly string[]).includes(v),
    "请选择开放形式",
  ),
  openingHours: text("开放时间", 200).prefault(""),
  openDays: openDays.prefault(""),
  bookingPhone: requiredPhone("预约参观电话", { allowLocal: true }).prefault(""),
  address: required("通信地址", 200).prefault(""),
  version,
});
export type ProfileInput = z.output<typeof profileSchema>;

const date = (label: string) =>
  line()
    .refine((v) => v.length > 0, `请填写${label}`)
    .refine((v) => v.length === 0 || isIsoDate(v), `${label}格式应为 YYYY-MM-DD`);

/** 变更申报: the kind decides which new values it must carry (at least one of them). */
export const changeReportSchema = z
  .object({
    kind: z.enum(CHANGE_KINDS as [string, ...string[]], { error: "请选择变更类型" }),
    happenedOn: date("变更发生日期").prefault(""),
    name: line().default(""),
    unitName: text("新单位名称", 100).default(""),
    address: text("新通信地址", 200).default(""),
    leaderName: text("新负责人", 50).default(""),
    leaderPhone: optionalPhone("新负责人电话").default(""),
    contactName: text("新联系人", 50).default(""),
    contactPhone: optionalPhone("新联系人电话").default(""),
    teamName: text("新服务队名称", 100).default(""),
    teamStvsOrgNo: line()
      .transform((v) => v.toUpperCase())
      .refine((v) => v === "" || STVS_NO.test(v), "新服务队组织编号应为4至40位字母、数字或短横线")
      .prefault(""),
    explanation: required("变更说明", 2000, true).prefault(""),
  })
  .superRefine((v, ctx) => {
    // Refinements run even when `kind` failed its enum: never index with it unchecked (`__proto__`).
    if (!Object.hasOwn(CHANGE_FIELDS, v.kind)) return;
    const fields = CHANGE_FIELDS[v.kind as keyof typeof CHANGE_FIELDS];
    if (v.name && (!v.name.endsWith(BASE_NAME_SUFFIX) || charCount(v.name) <= BASE_NAME_SUFFIX.length)) {
      ctx.addIssue({ code: "custom", path: ["name"], message: BASE_NAME_MESSAGE });
    }
    if (charCount(v.name) > 100) {
      ctx.addIssue({ code: "custom", path: ["name"], message: "新基地名称不能超过100个字" });
    }
    if (!fields.some((f) => v[f] !== "")) {
      ctx.addIssue({ code: "custom", path: [fields[0]], message: "请至少填写一项变更后的信息" });
    }
    if ((MAJOR_CHANGE_KINDS as readonly string[]).includes(v.kind) && !v.unitName) {
      ctx.addIssue({
        code: "custom",
        path: ["unitName"],
        message: "改制、重组、分立、合并须填写变更后的单位名称",
      });
    }
  })
  .transform((v) => {
    const fields = CHANGE_FIELDS[v.kind as keyof typeof CHANGE_FIELDS];
    const values: Partial<Record<ChangeField, string>> = {};
    for (const f of fields) if (v[f]) values[f] = v[f];
    return {
      kind: v.kind as keyof typeof CHANGE_FIELDS,
      happenedOn: v.happenedOn,
      values,
      explanation: v.explanation,
    };
  });
export type ChangeReportInput = z.output<typeof changeReportSchema>;

export const revocationSchema = z.object({
  reason: z.coerce
    .number({ error: "请选择撤销理由" })
    .int("请选择撤销理由")
    .min(1, "请选择撤销理由")
    .max(5, "请选择撤销理由"),
  explanation: required("撤销说明", 2000, true).prefault(""),
  version,
});
export type RevocationInput = z.output<typeof revocationSchema>;

export const recommendationSchema = z.object({
  /** Empty: withdraw the recommendation. */
  level: z
    .enum(["province", "nation", ""], { error: "请选择推荐级别" })
    .transform((v) => (v === "" ? null : v)),
  note: text("推荐说明", 500, true).default(""),
  version,
});
export type RecommendationInput = z.output<typeof recommendationSchema>;

export const decideChangeSchema = z
  .object({
    decision: z.enum(["approve", "return"], { error: "请选择审核结论" }),
    reply: text("审核意见", 2000, true).default(""),
    version,
  })
  .refine((v) => v.decision === "approve" || v.reply.length > 0, {
    path: ["reply"],
    message: "退回时请填写退回理由",
  });
export type DecideChangeInput = z.output<typeof decideChangeSchema>;

// ---- import ----

/** The import template's columns, in order: the header text is what the importer matches. */
export const IMPORT_COLUMNS = [
  { key: "uscc", header: "统一社会信用代码", width: 22 },
  { key: "name", header: "基地名称", width: 32 },
  { key: "unitName", header: "单位名称", width: 28 },
  { key: "county", header: "所在区域", width: 10 },
  { key: "category", header: "类别", width: 16 },
  { key: "address", header: "通信地址", width: 30 },
  { key: "openingForm", header: "开放形式", width: 18 },
  { key: "openDays", header: "年开放天数", width: 10 },
  { key: "bookingPhone", header: "预约参观电话", width: 15 },
  { key: "leaderName", header: "负责人", width: 10 },
  { key: "leaderPhone", header: "负责人电话", width: 15 },
  { key: "contactName", header: "联系人", width: 10 },
  { key: "contactPhone", header: "联系电话", width: 15 },
  { key: "volunteerTeamName", header: "科技志愿服务队", width: 28 },
  { key: "batchNo", header: "批次", width: 8 },
  { key: "recognizedYear", header: "认定年份", width: 10 },
  { key: "certificateNo", header: "证书编号(可空)", width: 24 },
  { key: "intro", header: "简介", width: 60 },
  { key: "recognizedAt", header: "认定日期", width: 12 },
  { key: "area", header: "面积(平方米)", width: 12 },
  { key: "openingHours", header: "开放时间", width: 24 },
  { key: "volunteerCount", header: "志愿者人数", width: 10 },
  { key: "status", header: "状态", width: 8 },
] as const;

/**
 * Columns a sheet may leave out (templates older than the column, or a clerk who has no such data):
 * an absent column changes nothing on an existing base. 证书编号 is the other way round: a blank cell keeps the number.
 */
export const OPTIONAL_IMPORT_KEYS: ReadonlySet<string> = new Set([
  "certificateNo",
  "recognizedAt",
  "area",
  "openingHours",
  "volunteerCount",
  "status",
]);

export type ImportKey = (typeof IMPORT_COLUMNS)[number]["key"];
export type ImportRaw = Record<ImportKey, string>;

const intIn = (label: string, min: number, max: number, requiredValue: boolean) =>
  line().transform((v, ctx) => {
    if (v === "") {
      if (requiredValue) ctx.addIssue({ code: "custom", message: `请填写${label}` });
      return requiredValue ? z.NEVER : null;
    }
    // A sheet may write the batch as 第3批.
    const n = Number(v.replace(/^第|批$/g, ""));
    if (!Number.isInteger(n) || n < min || n > max) {
      ctx.addIssue({ code: "custom", message: `${label}须为${min}至${max}之间的整数` });
      return z.NEVER;
    }
    return n;
  });

/** One import row; counties and categories are matched by their Chinese names. */
export function importRowSchema(opts: {
  counties: readonly { code: string; name: string }[];
  categories: readonly { code: string; name: string }[];
}) {
  return z
    .object({
      uscc: line().transform((v, ctx) => {
        const r = validateUscc(v);
        if (!r.ok) {
          ctx.addIssue({ code: "custom", message: r.message });
          return z.NEVER;
        }
        return r.value;
      }),
      name: baseName,
      unitName: required("单位名称"),
      county: line().transform((v, ctx) => {
        const c = matchCounty(v, opts.counties);
        if (!c) {
          ctx.addIssue({
            code: "custom",
            message: v.trim()
              ? `“${v.trim()}”不是有效的所在区域，应为：${opts.counties.map((c) => c.name).join("、")}`
              : "请填写所在区域",
          });
          return z.NEVER;
        }
        return c.code;
      }),
      category: line().transform((v, ctx) => {
        const c = opts.categories.find((c) => c.name === v.trim() || c.code === v.trim());
        if (!c) {
          ctx.addIssue({
            code: "custom",
            message: v.trim()
              ? `“${v.trim()}”不是有效的类别，应为：${opts.categories.map((c) => c.name).join("、")}`
              : "请填写类别",
          });
          return z.NEVER;
        }
        return c.code;
      }),
      address: text("通信地址", 200),
      openingForm: line()
        .refine(
          (v) => v === "" || (OPENING_FORMS as readonly string[]).includes(v),
          `开放形式应为：${OPENING_FORMS.join("、")}`,
        )
        .transform((v) => (v === "" ? null : v)),
      openDays: intIn("年开放天数", 1, 366, false),
      bookingPhone: optionalPhone("预约参观电话", { allowLocal: true }),
      leaderName: text("负责人", 50),
      leaderPhone: optionalPhone("负责人电话"),
      contactName: text("联系人", 50),
      contactPhone: optionalPhone("联系电话", { allowLocal: true }),
      volunteerTeamName: text("科技志愿服务队", 100),
      batchNo: intIn("批次", 1, 99, true).transform((v) => v as number),
      recognizedYear: intIn("认定年份", 2000, 2100, true).transform((v) => v as number),
      certificateNo: text("证书编号", 50).transform((v) => (v === "" ? null : v)),
      intro,
      recognizedAt: line()
        .default("")
        .transform((v, ctx) => {
          if (v === "") return null;
          const day = parseImportDay(v);
          if (!day) {
            ctx.addIssue({ code: "custom", message: "认定日期应为日期，如 2023-06-01" });
            return z.NEVER;
          }
          return day;
        }),
      area: line()
        .default("")
        .transform((v, ctx) => {
          if (v === "") return null;
          const n = Number(v.replace(/(平方米|㎡|m2)$/i, ""));
          if (!Number.isFinite(n) || n <= 0 || n > 10_000_000) {
            ctx.addIssue({ code: "custom", message: "面积须为大于0的数字（平方米）" });
            return z.NEVER;
          }
          return Math.round(n * 100) / 100;
        }),
      // Absent in rows of sheets older than these columns.
      openingHours: text("开放时间", 100).default(""),
      volunteerCount: intIn("志愿者人数", 0, 100_000, false).default(null),
      status: line()
        .default("")
        .transform((v, ctx) => {
          const s = parseImportStatus(v);
          if (s === undefined) {
            ctx.addIssue({ code: "custom", message: "状态应为：已认定、警示、已撤销，或留空" });
            return z.NEVER;
          }
          return s;
        }),
    })
    .superRefine((r, ctx) => {
      if (r.recognizedAt && Number(r.recognizedAt.slice(0, 4)) !== r.recognizedYear)
        ctx.addIssue({ code: "custom", path: ["recognizedAt"], message: "认定日期与认定年份不一致" });
    });
}
export type ImportRow = z.output<ReturnType<typeof importRowSchema>>;
