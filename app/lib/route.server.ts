import { type AppLoadContext, data, redirect } from "react-router";
import type { z } from "zod";
import { can, type Permission } from "#src/modules/accounts/accounts.policy.ts";
import { fieldErrorsOf } from "#src/modules/accounts/accounts.schema.ts";
import { recordAudit } from "#src/modules/audit/audit.server.ts";
import type { Actor, SessionUser } from "#src/platform/context.ts";
import { isAppError } from "#src/platform/errors.ts";
import { safeRedirectPath } from "#src/platform/http/safe-redirect.rules.ts";
import { logger } from "#src/platform/logger.ts";

export const actorOf = (context: AppLoadContext): Actor => ({ user: context.user, ip: context.ip });

/** Signed-in user, or a redirect to the login page; a forced password change comes first. */
export async function requireUser(
  context: AppLoadContext,
  request: Request,
  permission?: Permission,
): Promise<SessionUser> {
  const user = context.user;
  const url = new URL(request.url);
  if (!user) {
    throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  }
  if (user.mustChangePassword && url.pathname !== "/account/password") {
    throw redirect("/account/password");
  }
  if (permission && !can(user, permission)) {
    await recordAudit(context.app, context.app.db, actorOf(context), {
      action: "access.denied",
      outcome: "denied",
      detail: { permission, path: url.pathname },
    });
    throw data("您没有访问此页面的权限", { status: 403 });
  }
  return user;
}

/** Only same-site paths, so a crafted redirectTo cannot send users elsewhere. */
export function safeRedirect(
  to: FormDataEntryValue | string | null | undefined,
  fallback = "/workbench",
): string {
  return safeRedirectPath(to, fallback);
}

export type FormValues = Record<string, string>;

export interface FormFailure {
  ok: false;
  message?: string;
  fieldErrors: Record<string, string>;
  /** What the user typed, so nothing is lost; passwords are never echoed. */
  values: FormValues;
}

/** The longest text any form field accepts (申报通知, 20000 字); a value is echoed up to this. */
const ECHO_VALUE_MAX = 20_000;
/** All echoed values together: a 422 page is never much larger than a real form. */
const ECHO_TOTAL_MAX = 60_000;
const ECHO_FIELDS_MAX = 200;

/** Bounded: what a real form could hold comes back whole, a flood is cut (issue 14). */
export function formValues(fd: FormData): FormValues {
  const out: FormValues = {};
  let total = 0;
  let fields = 0;
  for (const [k, v] of fd.entries()) {
    if (typeof v !== "string" || /password/i.test(k) || k.length > 64 || Object.hasOwn(out, k)) continue;
    if (++fields > ECHO_FIELDS_MAX) break;
    const value = v.slice(0, Math.min(ECHO_VALUE_MAX, ECHO_TOTAL_MAX - total));
    total += value.length;
    out[k] = value;
  }
  return out;
}

/** A form's optimistic-lock `version`: anything but a safe integer is 0, which no record has (a 409, never a query error). */
export function versionOf(fd: FormData): number {
  const n = Number(fd.get("version"));
  return Number.isSafeInteger(n) ? n : 0;
}

/**
 * The posted form; a body that does not parse as one (a cut or malformed multipart) is a 400,
 * not a 500. The edge (input-guard.ts) has already refused wrong types and oversize bodies.
 */
export async function readForm(request: Request): Promise<FormData> {
  try {
    return await request.formData();
  } catch {
    if (request.signal.aborted) throw data("请求已中断", { status: 400 });
    throw data("表单数据格式无效，请刷新页面后重试", { status: 400 });
  }
}

export function parseForm<S extends z.ZodType>(
  schema: S,
  fd: FormData,
): { ok: true; data: z.output<S> } | { ok: false; failure: FormFailure } {
  const raw: Record<string, string> = {};
  for (const [k, v] of fd.entries()) if (typeof v === "string") raw[k] = v;
  const r = schema.safeParse(raw);
  if (r.success) return { ok: true, data: r.data };
  return { ok: false, failure: { ok: false, fieldErrors: fieldErrorsOf(r.error), values: formValues(fd) } };
}

export const invalid = (failure: FormFailure, status = 422) => data(failure, { status });

/** Turns a use case's AppError into a form answer or an error response; rethrows anything else. */
export function failWith(e: unknown, fd?: FormData) {
  if (isAppError(e)) {
    if (fd) {
      return data<FormFailure>(
        { ok: false, message: e.message, fieldErrors: e.fieldErrors ?? {}, values: formValues(fd) },
        { status: e.status },
      );
    }
    throw data(e.message, { status: e.status });
  }
  logger.error({ err: e }, "request failed");
  throw e;
}

/** Loaders: AppError → an HTTP error the ErrorBoundary shows in Chinese. */
export async function orFail<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    if (isAppError(e)) throw data(e.message, { status: e.status });
    throw e;
  }
}
