/** Password policy of the security baseline: ≥ 8 characters from ≥ 3 of 4 classes. */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

export function passwordClasses(pw: string): number {
  return [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((re) => re.test(pw)).length;
}

/** Returns a Chinese message naming what is wrong, or null when the password is acceptable. */
export function checkPasswordPolicy(pw: string, context: { login?: string | null } = {}): string | null {
  if ([...pw].length < PASSWORD_MIN_LENGTH) return `密码至少${PASSWORD_MIN_LENGTH}位`;
  if ([...pw].length > PASSWORD_MAX_LENGTH) return `密码不能超过${PASSWORD_MAX_LENGTH}位`;
  if (passwordClasses(pw) < 3) return "密码须包含大写字母、小写字母、数字、符号中的至少三类";
  if (context.login && pw.toLowerCase().includes(context.login.toLowerCase())) {
    return "密码不能包含账号";
  }
  return null;
}
