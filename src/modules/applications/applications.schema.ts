import { z } from "zod";
import { isValidPhone, normalizePhone, PHONE_MESSAGE } from "#src/platform/phone.rules.ts";
import { cleanLine, cleanText } from "#src/platform/text.rules.ts";
import { line, multiline } from "#src/platform/text.schema.ts";
import { BASIC_CONDITIONS, charCount, INTRO_MAX, OPENING_FORMS } from "./applications.rules.ts";

/** The 附件2 fields as the form names them. */
export const TEXT_FIELDS = [
  "regionCode",
  "baseName",
  "unitName",
  "address",
  "leaderName",
  "leaderPhone",
  "contactName",
  "contactPhone",
  "bookingPhone",
  "volunteerTeamName",
  "volunteerCount",
  "volunteerLeader",
  "volunteerLeaderPhone",
  "openingForm",
  "categoryCode",
  "areaSqm",
  "openDays",
  "intro",
  "honors",
] as const;
export type ApplicationField = (typeof TEXT_FIELDS)[number];

export const FIELD_LABELS: Record<ApplicationField, string> = {
  regionCode: "所在区域",
  baseName: "基地名称",
  unitName: "申报单位名称",
  address: "通信地址",
  leaderName: "负责人",
  leaderPhone: "负责人电话",
  contactName: "联系人",
  contactPhone: "联系人电话",
  bookingPhone: "预约参观电话",
  volunteerTeamName: "科技志愿名称",
  volunteerCount: "科技志愿者人数",
  volunteerLeader: "志愿者负责人",
  volunteerLeaderPhone: "志愿者负责人电话",
  openingForm: "开放形式",
  categoryCode: "申报类别",
  areaSqm: "科普场所面积",
  openDays: "年开放天数",
  intro: "科普教育基地简介",
  honors: "已获命名（荣誉）情况",
};

export interface Condition {
  confirmed: boolean;
  note: string;
}

/** What a draft holds: everything as typed, nothing required. */
export type ApplicationDraft = Record<ApplicationField, string> & { conditions: Condition[] };

/** Reads the form post into a draft. Missing fields are empty; overlong text is cut to a safe bound. */
export function draftFromForm(fd: FormData | Record<string, string>): ApplicationDraft {
  const get = (k: string) => {
    const v = fd instanceof FormData ? fd.get(k) : fd[k];
    return typeof v === "string" ? v : "";
  };
  const draft = {} as ApplicationDraft;
  for (const f of TEXT_FIELDS) {
    const multi = f === "intro" || f === "honors";
    draft[f] = (multi ? cleanText : cleanLine)(get(f).slice(0, multi ? 5000 : 500));
  }
  draft.conditions = BASIC_CONDITIONS.map((_, i) => ({
    confirmed: get(`cond_${i}`) === "on" || get(`cond_${i}`) === "true",
    note: cleanText(get(`condNote_${i}`).slice(0, 500)),
  }));
  return draft;
}

const required = (label: string, max = 100) =>
  line()
    .trim()
    .min(1, `请填写${label}`)
    .refine((v) => charCount(v) <= max, `${label}不能超过${max}个字`);

const phone = (label: string, opts: { allowLocal?: boolean } = {}) =>
  line()
    .trim()
    .min(1, `请填写${label}`)
    .refine(
      (v) => isValidPhone(v, opts),
      opts.allowLocal ? `${PHONE_MESSAGE}，或本地7–8位号码` : PHONE_MESSAGE,
    )
    .transform((v) => normalizePhone(v, opts));

const number = (label: string, check: (n: number) => string | null, integer = false) =>
  line()
    .trim()
    .min(1, `请填写${label}`)
    .transform((v, ctx) => {
      const n = Number(v);
      if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) {
        ctx.addIssue({ code: "custom", message: `${label}须为${integer ? "整数" : "数字"}` });
        return z.NEVER;
      }
      const msg = check(n);
      if (msg) {
        ctx.addIssue({ code: "custom", message: msg });
        return z.NEVER;
      }
      return n;
    });

/**
 * The rules a complete application must meet (附件2, DOMAIN.md). `counties` and `categories`
 * come from the call, so the list stays configurable per call.
 */
export function submitSchema(opts: { counties: string[]; categories: string[] }) {
  return z.object({
    regionCode: line().refine((v) => opts.counties.includes(v), "请选择所在区域"),
    baseName: required("基地名称").refine(
      (v) => v.endsWith("科普教育基地") && charCount(v) > "科普教育基地".length,
      "基地名称须为“单位名称+科普教育基地”，如：中国观赏石博览园科普教育基地",
    ),
    unitName: required("申报单位名称"),
    address: required("通信地址", 200),
    leaderName: required("负责人", 50),
    leaderPhone: phone("负责人电话"),
    contactName: required("联系人", 50),
    contactPhone: phone("联系人电话"),
    bookingPhone: phone("预约参观电话", { allowLocal: true }),
    volunteerTeamName: required("科技志愿名称").refine(
      (v) => v.endsWith("科技志愿服务队"),
      "科技志愿名称须为“单位名称+科技志愿服务队”，如：常山国家地质公园科技志愿服务队",
    ),
    volunteerCount: number(
      "科技志愿者人数",
      (n) => (n < 0 ? "科技志愿者人数不能为负数" : n > 100000 ? "科技志愿者人数过大" : null),
      true,
    ),
    volunteerLeader: required("志愿者负责人", 50),
    volunteerLeaderPhone: phone("志愿者负责人电话"),
    openingForm: line().refine((v) => (OPENING_FORMS as readonly string[]).includes(v), "请选择开放形式"),
    categoryCode: line().refine((v) => opts.categories.includes(v), "请选择申报类别"),
    areaSqm: number("科普场所面积", (n) =>
      n <= 0 ? "科普场所面积须大于0平方米" : n > 1e8 ? "科普场所面积过大" : null,
    ),
    openDays: number("年开放天数", (n) => (n < 1 || n > 366 ? "年开放天数须在1至366天之间" : null), true),
    intro: multiline()
      .min(1, "请填写科普教育基地简介")
      .superRefine((v, ctx) => {
        const n = charCount(v);
        if (n > INTRO_MAX)
          ctx.addIssue({ code: "custom", message: `简介不能超过${INTRO_MAX}字，当前${n}字` });
      }),
    honors: multiline().refine((v) => charCount(v) <= 2000, "已获命名（荣誉）情况不能超过2000字"),
    conditions: z
      .array(z.object({ confirmed: z.boolean(), note: multiline() }))
      .length(BASIC_CONDITIONS.length)
      .superRefine((list, ctx) => {
        list.forEach((c, i) => {
          if (!c.confirmed) ctx.addIssue({ code: "custom", path: [i], message: "请逐条确认第五条基本条件" });
          if (charCount(c.note) > 200)
            ctx.addIssue({ code: "custom", path: [i], message: "说明不能超过200字" });
        });
      }),
  });
}
export type ApplicationSubmission = z.output<ReturnType<typeof submitSchema>>;

/** Field errors keyed by form field; conditions report as cond_<i>. */
export function submitErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const [head, idx] = issue.path;
    const key = head === "conditions" && typeof idx === "number" ? `cond_${idx}` : String(head ?? "_form");
    out[key] ??= issue.message;
  }
  return out;
}

export const reviewSchema = z.object({
  action: z.enum(["recommend", "decline", "pass", "reject", "confirm", "return"], {
    error: "请选择审核结论",
  }),
  opinion: multiline().max(2000, "意见不能超过2000字").default(""),
  internalNote: multiline().max(2000, "内部备注不能超过2000字").default(""),
  opinionDate: line()
    .regex(/^(\d{4}-\d{2}-\d{2})?$/, "日期格式应为 YYYY-MM-DD")
    .default(""),
  returnDeadline: line()
    .regex(/^(\d{4}-\d{2}-\d{2})?$/, "日期格式应为 YYYY-MM-DD")
    .default(""),
  score: line()
    .default("")
    .refine(
      (v) => v === "" || (Number.isFinite(Number(v)) && Number(v) >= 0 && Number(v) <= 100),
      "评分须为0至100之间的数字",
    ),
  version: z.coerce.number().int(),
});
export type ReviewInput = z.output<typeof reviewSchema>;

export const inspectionSchema = z.object({
  inspectedOn: line().regex(/^\d{4}-\d{2}-\d{2}$/, "请填写抽查日期"),
  inspectors: line().min(1, "请填写抽查人员").max(200, "抽查人员不能超过200字"),
  findings: multiline().min(1, "请填写抽查情况").max(2000, "抽查情况不能超过2000字"),
  version: z.coerce.number().int(),
});
export type InspectionInput = z.output<typeof inspectionSchema>;
