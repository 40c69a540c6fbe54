import { z } from "zod";
import { isIsoDate } from "#src/modules/bases/bases.rules.ts";
import { line } from "#src/platform/text.schema.ts";
import { API_SCOPES, type ApiScope } from "./api-tokens.rules.ts";

/** 【签发令牌】: the form's fields; the scopes arrive comma-joined (the route joins the check boxes). */
export const issueTokenSchema = z
  .object({
    name: line({ error: "请填写令牌名称" }).trim().min(1, "请填写令牌名称").max(50, "令牌名称不能超过50个字"),
    scopes: line()
      .default("")
      .transform((v, ctx) => {
        const picked = [...new Set(v.split(",").map((s) => s.trim()))].filter(Boolean);
        const bad = picked.find((s) => !(API_SCOPES as readonly string[]).includes(s));
        if (bad || picked.length === 0) {
          ctx.addIssue({ code: "custom", message: bad ? "权限范围无效" : "请至少选择一项权限范围" });
          return z.NEVER;
        }
        return picked as ApiScope[];
      }),
    regionCode: line().trim().default(""),
    baseId: line().trim().default(""),
    expiresOn: line({ error: "请填写有效期至" })
      .trim()
      .refine((v) => isIsoDate(v), "请填写有效的日期，如 2027-06-30"),
  })
  .superRefine((v, ctx) => {
    if (v.scopes.includes("write:activities") && !v.baseId)
      ctx.addIssue({ code: "custom", path: ["baseId"], message: "代基地发布活动的令牌须指定基地" });
  });
export type IssueTokenInput = z.infer<typeof issueTokenSchema>;

export const revokeTokenSchema = z.object({ id: line().trim().min(1, "缺少令牌") });
