import { z } from "zod";
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiResponsesObject } from "zod-openapi";
import { announcementSchema, reportSchema } from "#src/modules/activities/activities.schema.ts";
import {
  activitiesPageSchema,
  activitiesQuerySchema,
  activitySchema,
  baseResultSchema,
  basesPageSchema,
  basesQuerySchema,
  coursesPageSchema,
  coursesQuerySchema,
  createdSchema,
  noticesSchema,
  openDataFileSchema,
  openDataJsonSchema,
  problemSchema,
} from "./api.schema.ts";

/**
 * The OpenAPI 3.1 document of /api/v1, generated from the schemas the handlers parse and answer with
 * (zod-openapi). Served at /api/v1/openapi.json; the contract test validates it and checks every
 * operation's answers against it.
 */

const json = (schema: z.ZodType) => ({ "application/json": { schema } });
const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: problemSchema } },
});
const cacheHeaders = {
  ETag: {
    description: "实体标签；带 If-None-Match 重新请求，未变化时返回 304",
    schema: { type: "string" as const },
  },
  "Cache-Control": {
    description: "匿名请求可缓存；带令牌的请求 private, no-store",
    schema: { type: "string" as const },
  },
};
const ok = (description: string, schema: z.ZodType): ZodOpenApiResponsesObject => ({
  "200": { description, headers: cacheHeaders, content: json(schema) },
  "304": { description: "未修改" },
  "400": problem("请求参数有误"),
  "401": problem("令牌无效、已过期或已被吊销"),
  "429": problem("请求过于频繁"),
});
const idParam = z.object({ id: z.string().meta({ format: "uuid", description: "记录编号" }) });

const read = (
  op: Omit<ZodOpenApiOperationObject, "responses">,
  description: string,
  schema: z.ZodType,
  extra: ZodOpenApiResponsesObject = {},
): ZodOpenApiOperationObject => ({
  security: [{}, { bearer: [] }],
  ...op,
  responses: { ...ok(description, schema), ...extra },
});

const writeResponses = (description: string): ZodOpenApiResponsesObject => ({
  "401": problem("缺少令牌，或令牌无效、已过期、已被吊销"),
  "403": problem("令牌没有 write:activities 权限"),
  "404": problem("未找到该活动（或不属于令牌的基地）"),
  "409": problem("状态冲突（如活动尚未结束、小结已通过审核、他人刚刚修改）"),
  "422": problem(description),
  "429": problem("请求过于频繁"),
});

/** The form's fields, as JSON: each value as the form sends it (text), or a number or list where natural. */
const announcementBody = announcementSchema.meta({
  id: "AnnouncementInput",
  description:
    "活动预告，字段和校验与【新增基地活动】表单相同。时间为上海时间“YYYY-MM-DD HH:mm”；campaignIds 可为逗号分隔的文本或数组。",
});
const reportBody = reportSchema.meta({
  id: "ReportInput",
  description:
    "活动小结，字段和校验与表单相同；version 为活动当前版本号。须先在平台上传至少1张活动图片。links 可为每行一条的文本或数组。",
});

export function buildOpenApiDocument(serverUrl: string) {
  return createDocument({
    openapi: "3.1.0",
    info: {
      title: "科普基地服务平台开放接口",
      version: "1.0.0",
      description:
        "科普教育基地名录、基地活动、公示公告和“科普助力双减”课程目录的只读开放接口，以及基地报送系统发布活动的写接口。公开字段与网站公开页面一致，个人电话均已打码。错误按 RFC 9457 以 application/problem+json 返回，title 为中文。",
      license: { name: "CC BY 4.0", url: "https://creativecommons.org/licenses/by/4.0/" },
    },
    servers: [{ url: `${serverUrl.replace(/\/$/, "")}/api/v1` }],
    components: {
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          description: "系统管理员签发的 API 令牌（kepu_ 开头）。不带令牌也可读取公开数据。",
        },
      },
    },
    paths: {
      "/bases": {
        get: read(
          {
            operationId: "listBases",
            summary: "科普基地名录",
            description: "与“科普基地”页面相同的筛选；按 nextCursor 翻页。",
            requestParams: { query: basesQuerySchema },
          },
          "基地列表",
          basesPageSchema,
        ),
      },
      "/bases/{id}": {
        get: read(
          { operationId: "getBase", summary: "一个基地", requestParams: { path: idParam } },
          "基地详情；已撤销命名的基地只返回撤销信息",
          baseResultSchema,
          { "404": problem("未找到该基地") },
        ),
      },
      "/activities": {
        get: read(
          {
            operationId: "listActivities",
            summary: "活动日历",
            description: "与“活动日历”页面相同的筛选；按 nextCursor 翻页。",
            requestParams: { query: activitiesQuerySchema },
          },
          "活动列表",
          activitiesPageSchema,
        ),
        post: {
          operationId: "announceActivity",
          summary: "发布活动预告",
          description: "需要 write:activities 令牌；以令牌所属基地的名义发布，规则与表单相同。",
          security: [{ bearer: [] }],
          requestBody: { required: true, content: json(announcementBody) },
          responses: {
            "201": { description: "已发布", content: json(createdSchema) },
            ...writeResponses("活动预告内容有误"),
          },
        },
      },
      "/activities/{id}": {
        get: read(
          { operationId: "getActivity", summary: "一项活动", requestParams: { path: idParam } },
          "活动详情",
          activitySchema,
          { "404": problem("未找到该活动") },
        ),
      },
      "/activities/{id}/report": {
        post: {
          operationId: "fileActivityReport",
          summary: "提交活动小结",
          description: "需要 write:activities 令牌；只能提交令牌所属基地的活动，活动结束后才能提交。",
          security: [{ bearer: [] }],
          requestParams: { path: idParam },
          requestBody: { required: true, content: json(reportBody) },
          responses: {
            "200": { description: "已提交，待市科协审核", content: json(createdSchema) },
            ...writeResponses("活动小结内容有误"),
          },
        },
      },
      "/notices": {
        get: read({ operationId: "listNotices", summary: "公示公告" }, "公示和认定公告", noticesSchema),
      },
      "/courses": {
        get: read(
          {
            operationId: "listCourses",
            summary: "科普助力双减课程目录",
            requestParams: { query: coursesQuerySchema },
          },
          "已上架的课程和服务",
          coursesPageSchema,
        ),
      },
      "/open-data/{file}": {
        get: {
          operationId: "getOpenData",
          summary: "开放数据下载",
          description:
            "基地名录或今年的基地活动，CSV、XLSX 或 JSON，附许可说明和生成时间；数据变化后重新生成。",
          security: [{}],
          requestParams: { path: z.object({ file: openDataFileSchema }) },
          responses: {
            "200": {
              description: "数据文件",
              headers: cacheHeaders,
              content: {
                "application/json": { schema: openDataJsonSchema },
                "text/csv": { schema: z.string() },
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                  schema: z.string().meta({ format: "binary" }),
                },
              },
            },
            "304": { description: "未修改" },
            "404": problem("没有这个数据集或格式"),
          },
        },
      },
    },
  });
}
