import { dictionary } from "@zxcvbn-ts/language-common";
import { checkPasswordPolicy } from "./password.rules.ts";

/** zxcvbn-ts's list of common passwords (about 49,000, lower case), shipped offline with the package. */
const COMMON = new Set<string>(dictionary["passwords-common"] as string[]);

export const COMMON_PASSWORD_MESSAGE = "该密码过于常见，容易被猜中，请换一个不易猜到的密码";

/**
 * Whether a password is a common one, or a common word dressed up the usual way: "Password1!" and
 * "@Admin2026" are "password" and "admin" with digits and symbols around them.
 */
export function isCommonPassword(pw: string): boolean {
  const lower = pw.toLowerCase();
  if (COMMON.has(lower)) return true;
  const core = lower.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, "");
  return core.length >= 3 && core !== lower && COMMON.has(core);
}

/** The whole policy for a new password: the rules of the baseline, then the common list. */
export function checkNewPassword(pw: string, context: { login?: string | null } = {}): string | null {
  return checkPasswordPolicy(pw, context) ?? (isCommonPassword(pw) ? COMMON_PASSWORD_MESSAGE : null);
}
