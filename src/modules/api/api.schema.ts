import { z } from "zod";
import {
  ACTIVITY_FORMS,
  ACTIVITY_TYPES,
  DIRECTIONS,
  FEES,
} from "#src/modules/activities/activities.rules.ts";
import { DIRECTORY_SORTS } from "#src/modules/bases/bases-directory.labels.ts";
import { GRADES, ITEM_KINDS, SUBJECTS } from "#src/modules/schools/schools.rules.ts";
import {
  activitiesCursorSchema,
  basesCursorSchema,
  coursesCursorSchema,
  decodeCursor,
} from "./api-cursor.rules.ts";
import { API_SCOPES } from "./api-tokens.rules.ts";

/**
 * The contract of /api/v1: every query the handlers parse and every body they answer with. The OpenAPI
 * document (api.openapi.ts) is generated from these same schemas, and the contract test checks real
 * answers against it.
 */

const regionCode = z.string().regex(/^\d{6}$/, "区域代码须为6位数字");
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "日期格式应为 YYYY-MM-DD");
const uuid = z.string().meta({ format: "uuid" });
const instant = z.string().meta({ format: "date-time", description: "UTC 时刻（ISO 8601）" });

/** A list's cursor: what its previous page returned as nextCursor, refused unless it decodes. */
const cursorParam = (shape: z.ZodType) =>
  z
    .string()
    .max(1200, "cursor 无效")
    .refine((c) => decodeCursor(shape, c) !== null, "cursor 无效")
    .optional()
    .meta({ description: "上一页响应中的 nextCursor（不透明）；不传则从第一页开始" });
export const limitParam = z.coerce
  .number({ error: "limit 须为整数" })
  .int("limit 须为整数")
  .min(1, "limit 最小为1")
  .max(50, "limit 最大为50")
  .default(20)
  .meta({ description: "每页条数，1–50" });

// ---- errors ----

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string().meta({ description: "中文标题" }),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z.record(z.string(), z.string()).optional().meta({ description: "各字段的错误说明" }),
  })
  .meta({ id: "Problem", description: "RFC 9457 application/problem+json" });
export type Problem = z.infer<typeof problemSchema>;

// ---- bases ----

export const basesQuerySchema = z
  .object({
    county: regionCode.optional().meta({ description: "县（市、区）代码，如 330825" }),
    level: z.enum(["city", "county"], { error: "level 只能是 city 或 county" }).optional(),
    category: z.string().max(50).optional().meta({ description: "基地类别代码" }),
    openingForm: z.string().max(50).optional().meta({ description: "开放形式" }),
    youthFree: z
      .enum(["true", "false"], { error: "youthFree 只能是 true 或 false" })
      .optional()
      .meta({ description: "只看对青少年免费开放的基地" }),
    q: z.string().max(50, "关键词不能超过50个字").optional().meta({ description: "关键词" }),
    sort: z.enum(DIRECTORY_SORTS, { error: "sort 只能是 name、newest 或 county" }).optional(),
    limit: limitParam,
    cursor: cursorParam(basesCursorSchema),
  })
  // A cursor holds the key of the order it was made for.
  .refine((q) => !q.cursor || decodeCursor(basesCursorSchema, q.cursor)?.s === (q.sort ?? "name"), {
    path: ["cursor"],
    message: "cursor 与 sort 不一致，请使用同一排序下返回的 nextCursor",
  });

const basePrivateSchema = z
  .object({
    uscc: z.string().meta({ description: "统一社会信用代码" }),
    warningNote: z.string().nullable(),
    recommendedLevel: z.enum(["province", "nation"]).nullable(),
  })
  .meta({
    id: "BasePrivate",
    description: "非公开字段：仅对持 read:bases 令牌、且基地在令牌区域内的调用方返回",
  });

export const baseSummarySchema = z
  .object({
    id: uuid,
    name: z.string(),
    unitName: z.string(),
    regionCode: z.string(),
    regionName: z.string(),
    categoryCode: z.string(),
    categoryName: z.string(),
    openingForm: z.string().nullable(),
    address: z.string(),
    status: z.enum(["active", "warning"]),
    batchNo: z.number().int().nullable(),
    recognizedYear: z.number().int(),
    level: z.enum(["city", "county"]),
  })
  .meta({ id: "BaseSummary" });

export const basesPageSchema = z
  .object({
    data: z.array(baseSummarySchema),
    total: z.number().int(),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: "BasesPage" });

const photoSchema = z.object({
  id: uuid,
  url: z.string(),
  thumbUrl: z.string().nullable(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
});

export const baseSchema = baseSummarySchema
  .extend({
    intro: z.string(),
    openingHours: z.string(),
    openDays: z.number().int().nullable(),
    areaSqm: z.number().nullable(),
    bookingPhone: z.string().meta({ description: "预约参观电话（对外公布，完整显示）" }),
    leaderName: z.string(),
    leaderPhone: z.string().meta({ description: "已打码，如 138****5678" }),
    contactName: z.string(),
    contactPhone: z.string().meta({ description: "已打码，如 138****5678" }),
    volunteerTeamName: z.string(),
    volunteerCount: z.number().int().nullable(),
    recognizedAt: z.string().nullable(),
    certificateNo: z.string().nullable(),
    photos: z.array(photoSchema),
    private: basePrivateSchema.optional(),
  })
  .meta({ id: "Base" });

export const revokedBaseSchema = z
  .object({
    id: uuid,
    name: z.string(),
    status: z.literal("revoked"),
    revokedAt: z.string().nullable(),
    revocationReason: z.number().int().nullable().meta({ description: "第十八条第几项（1–5）" }),
  })
  .meta({ id: "RevokedBase" });

export const baseResultSchema = z.union([baseSchema, revokedBaseSchema]).meta({ id: "BaseResult" });

// ---- activities ----

export const activitiesQuerySchema = z
  .object({
    county: regionCode.optional(),
    baseId: uuid.optional(),
    type: z.enum(ACTIVITY_TYPES, { error: "活动类型无效" }).optional(),
    campaignId: uuid.optional(),
    from: isoDate.optional().meta({ description: "起始日期（含，上海时间）" }),
    to: isoDate.optional().meta({ description: "截止日期（含，上海时间）" }),
    when: z
      .enum(["upcoming", "past", "all"], { error: "when 只能是 upcoming、past 或 all" })
      .default("upcoming"),
    cursor: cursorParam(activitiesCursorSchema),
  })
  // past lists newest first, the others oldest first: a cursor keeps the direction it was made for.
  .refine((q) => !q.cursor || decodeCursor(activitiesCursorSchema, q.cursor)?.w === q.when, {
    path: ["cursor"],
    message: "cursor 与 when 不一致，请使用同一 when 下返回的 nextCursor",
  });

export const activitySummarySchema = z
  .object({
    id: uuid,
    name: z.string(),
    type: z.enum(ACTIVITY_TYPES),
    form: z.enum(ACTIVITY_FORMS),
    fee: z.enum(FEES),
    direction: z.enum(DIRECTIONS),
    startsAt: instant,
    endsAt: instant,
    place: z.string(),
    regionCode: z.string(),
    baseId: uuid,
    baseName: z.string(),
  })
  .meta({ id: "ActivitySummary" });

export const activitiesPageSchema = z
  .object({ data: z.array(activitySummarySchema), nextCursor: z.string().nullable() })
  .meta({ id: "ActivitiesPage" });

const activityPrivateSchema = z
  .object({
    expectedParticipants: z.number().int().nullable(),
    reportStatus: z.enum(["none", "submitted", "accepted", "returned"]),
    actualParticipants: z.number().int().nullable(),
    reportSummary: z.string().nullable(),
  })
  .meta({
    id: "ActivityPrivate",
    description: "非公开字段：仅对持 read:activities 令牌、且活动在令牌区域内的调用方返回",
  });

export const activitySchema = activitySummarySchema
  .extend({
    link: z.string(),
    audience: z.string(),
    description: z.string(),
    contactName: z.string(),
    contactPhone: z.string().meta({ description: "已打码" }),
    campaigns: z.array(z.object({ id: uuid, title: z.string() })),
    report: z
      .object({
        actualParticipants: z.number().int().nullable(),
        summary: z.string(),
        links: z.array(z.string()),
      })
      .nullable()
      .meta({ description: "活动小结，市科协审核通过后公开" }),
    private: activityPrivateSchema.optional(),
  })
  .meta({ id: "Activity" });

export const createdSchema = z.object({ id: uuid }).meta({ id: "Created" });

// ---- notices ----

export const noticeSchema = z
  .object({
    id: uuid,
    kind: z.enum(["proposed", "naming", "evaluation"]),
    title: z.string(),
    startsAt: instant,
    endsAt: instant.nullable(),
    phase: z.string(),
    entries: z.number().int(),
  })
  .meta({ id: "Notice" });
export const noticesSchema = z.object({ data: z.array(noticeSchema) }).meta({ id: "Notices" });

// ---- the course catalogue (科普助力双减) ----

export const coursesQuerySchema = z.object({
  county: regionCode.optional(),
  grade: z.enum(GRADES, { error: "学段无效" }).optional(),
  kind: z.enum(ITEM_KINDS, { error: "形式无效" }).optional(),
  subject: z.enum(SUBJECTS, { error: "学科无效" }).optional(),
  cursor: cursorParam(coursesCursorSchema),
});

export const courseSchema = z
  .object({
    id: uuid,
    baseId: uuid,
    baseName: z.string(),
    title: z.string(),
    kind: z.enum(ITEM_KINDS),
    subjects: z.array(z.string()),
    grades: z.array(z.string()),
    weekdays: z.array(z.string()),
    durationMinutes: z.number().int(),
    studentsPerSession: z.number().int(),
    availableFrom: z.string(),
    availableTo: z.string(),
    counties: z.array(z.string()),
    fee: z.enum(["free", "discount"]),
    description: z.string(),
    rating: z.number().nullable(),
    ratingCount: z.number().int(),
  })
  .meta({ id: "Course" });
export const coursesPageSchema = z
  .object({
    data: z.array(courseSchema),
    total: z.number().int().meta({ description: "符合条件的项目数，最多计到 1000" }),
    totalCapped: z.boolean().meta({ description: "为 true 时符合条件的项目多于 total" }),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: "CoursesPage" });

// ---- open data ----

export const openDataSetSchema = z.enum(["bases", "activities"]);
export const openDataFormatSchema = z.enum(["json", "csv", "xlsx"]);
export const OPEN_DATA_FILES = openDataSetSchema.options.flatMap((d) =>
  openDataFormatSchema.options.map((f) => `${d}.${f}` as const),
);
export const openDataFileSchema = z.enum(OPEN_DATA_FILES).meta({ description: "数据集.格式" });

export const openDataJsonSchema = z
  .object({
    dataset: openDataSetSchema,
    title: z.string(),
    licence: z.string(),
    generatedAt: instant,
    columns: z.array(z.object({ key: z.string(), title: z.string() })),
    rows: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.null()]))),
  })
  .meta({ id: "OpenData" });

export const scopesSchema = z.enum(API_SCOPES);
