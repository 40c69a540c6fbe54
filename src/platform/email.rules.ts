/**
 * A plain address check (local@domain.tld, no spaces, no display name): enough to catch typing
 * mistakes; the mail server is the real judge.
 */
const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

export function isValidEmail(input: string): boolean {
  const v = input.trim();
  if (v.length > 254 || !EMAIL.test(v)) return false;
  const [local] = v.split("@");
  return local.length <= 64 && !local.startsWith(".") && !local.endsWith(".") && !local.includes("..");
}

export const EMAIL_MESSAGE = "请输入正确的电子邮箱，如 name@example.cn";
