import { z } from "zod";
import { EMAIL_MESSAGE, isValidEmail } from "#src/platform/email.rules.ts";
import { isValidPhone, normalizePhone, PHONE_MESSAGE } from "#src/platform/phone.rules.ts";
import { line } from "#src/platform/text.schema.ts";
import { checkPasswordPolicy } from "./password.rules.ts";
import { validateUscc } from "./uscc.rules.ts";

const text = (label: string, max = 100) =>
  line({ error: `请填写${label}` })
    .trim()
    .min(1, `请填写${label}`)
    .max(max, `${label}不能超过${max}个字`);

export const usccField = line({ error: "请输入统一社会信用代码" }).transform((v, ctx) => {
  const r = validateUscc(v);
  if (!r.ok) {
    ctx.addIssue({ code: "custom", message: r.message });
    return z.NEVER;
  }
  return r.value;
});

export const phoneField = (label = "联系电话") =>
  line({ error: `请填写${label}` })
    .trim()
    .min(1, `请填写${label}`)
    .refine((v) => isValidPhone(v), PHONE_MESSAGE)
    .transform((v) => normalizePhone(v));

/** Optional email: blank is none; stored trimmed and lower-cased. */
export const optionalEmailField = z
  .string()
  .trim()
  .max(254, "电子邮箱不能超过254个字符")
  .transform((v) => (v ? v.toLowerCase() : undefined))
  .refine((v) => v === undefined || isValidEmail(v), EMAIL_MESSAGE)
  .optional();

export const newPasswordField = z.string({ error: "请设置密码" }).superRefine((pw, ctx) => {
  const msg = checkPasswordPolicy(pw);
  if (msg) ctx.addIssue({ code: "custom", message: msg });
});

export const countyCodeField = line({ error: "请选择所在区域" }).regex(/^\d{6}$/, "请选择所在区域");

export const registerOrgSchema = z
  .object({
    uscc: usccField,
    unitName: text("单位名称"),
    regionCode: countyCodeField,
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
export type RegisterOrgInput = z.infer<typeof registerOrgSchema>;

export const orgLoginSchema = z.object({
  // Bounded: the login becomes a rate-limit key, and an index row has a size limit (PostgreSQL).
  uscc: line().min(1, "请输入统一社会信用代码").max(64, "账号或密码错误"),
  password: z.string().min(1, "请输入密码"),
});

export const staffLoginSchema = z.object({
  username: line().min(1, "请输入用户名").max(64, "账号或密码错误"),
  password: z.string().min(1, "请输入密码"),
});

export const changePasswordSchema = z
  .object({
    currentPassword: z.string().min(1, "请输入当前密码"),
    newPassword: newPasswordField,
    confirmPassword: z.string(),
  })
  .refine((v) => v.newPassword === v.confirmPassword, {
    path: ["confirmPassword"],
    message: "两次输入的密码不一致",
  })
  .refine((v) => v.newPassword !== v.currentPassword, {
    path: ["newPassword"],
    message: "新密码不能与当前密码相同",
  });

const roleField = z.enum(["org", "county", "city", "office", "evaluator", "admin"], { error: "请选择角色" });

export const createUserSchema = z
  .object({
    role: roleField,
    username: line().optional(),
    uscc: line().optional(),
    displayName: text("姓名/单位名称"),
    phone: line().optional(),
    email: optionalEmailField,
    regionCode: line({ error: "请选择所属区域" }).regex(/^\d{6}$/, "请选择所属区域"),
    password: newPasswordField,
  })
  .superRefine((v, ctx) => {
    if (v.role === "org") {
      const r = validateUscc(v.uscc ?? "");
      if (!r.ok) ctx.addIssue({ code: "custom", path: ["uscc"], message: r.message });
    } else if (!v.username || !/^[a-zA-Z][a-zA-Z0-9_.-]{2,31}$/.test(v.username)) {
      ctx.addIssue({
        code: "custom",
        path: ["username"],
        message: "用户名为3至32位，以字母开头，可含字母、数字、下划线、点和短横线",
      });
    }
    if (v.phone && !isValidPhone(v.phone))
      ctx.addIssue({ code: "custom", path: ["phone"], message: PHONE_MESSAGE });
  });
export type CreateUserInput = z.infer<typeof createUserSchema>;

export const resetPasswordSchema = z.object({ password: newPasswordField, version: z.coerce.number().int() });

export type FieldErrors = Record<string, string>;

/** First message per top-level field, for showing beside the field. */
export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? "_form");
    out[key] ??= issue.message;
  }
  return out;
}

/** A second-factor code: six digits, or at sign-in also a recovery code. */
export const twoFactorCodeSchema = z.object({
  code: z.string({ error: "请输入验证码" }).trim().min(1, "请输入验证码").max(40, "验证码格式不正确"),
});

export const twoFactorManageSchema = twoFactorCodeSchema.extend({
  intent: z.enum(["enable", "regenerate", "disable"], { error: "未知操作" }),
});
