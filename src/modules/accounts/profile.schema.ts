import { z } from "zod";
import { isValidPhone, normalizePhone, PHONE_MESSAGE } from "#src/platform/phone.rules.ts";
import { optionalEmailField } from "./accounts.schema.ts";

const checked = z.literal("on").optional();

/** 【账号信息】: contact details and the reminders to receive (one checkbox per kind). */
export const profileSchema = z.object({
  phone: z
    .string()
    .trim()
    .optional()
    .refine((v) => !v || isValidPhone(v), PHONE_MESSAGE)
    .transform((v) => (v ? normalizePhone(v) : undefined)),
  email: optionalEmailField,
  reminder_call_closing: checked,
  reminder_return_deadline: checked,
  reminder_county_waiting: checked,
  version: z.coerce.number({ error: "页面已过期，请刷新后重试" }).int(),
});
export type ProfileInput = z.infer<typeof profileSchema>;
