import type { Kysely } from "kysely";
import QRCode from "qrcode";
import { recordAudit } from "#src/modules/audit/audit.server.ts";
import { getSetting, putSetting } from "#src/modules/settings/settings.server.ts";
import {
  createPendingSession,
  createSession,
  deleteSession,
  deleteUserSessions,
  PENDING_SESSION_MS,
  type PendingKind,
  readPendingSession,
  sessionUserOf,
} from "#src/platform/auth/session.server.ts";
import type { Actor, AppContext, SessionUser } from "#src/platform/context.ts";
import { decryptSecret, encryptSecret, keyedHash } from "#src/platform/crypto/secret-box.server.ts";
import type { DB, Role, User } from "#src/platform/db/schema.ts";
import { AppError } from "#src/platform/errors.ts";
import { newId } from "#src/platform/ids.ts";
import {
  clearRateLimit,
  extendRateLimit,
  hitRateLimit,
  type RateLimitHit,
  releaseRateLimit,
} from "#src/platform/rate-limit.server.ts";
import { STAFF_ROLES } from "./accounts.policy.ts";
import { LOCK_MS, LOGIN_LOCKED, MAX_FAILED_LOGINS } from "./accounts.server.ts";
import { authorize } from "./authorize.server.ts";
import {
  checkTotp,
  groupSecret,
  isTotpCode,
  isTwoFactorRequired,
  newRecoveryCodes,
  newTotpSecret,
  normalizeRecoveryCode,
  otpauthUri,
  parseRequiredRoles,
} from "./two-factor.rules.ts";

export const REQUIRED_ROLES_KEY = "two_factor_required_roles";

export const CODE_WRONG = "验证码不正确，请输入验证器应用当前显示的6位数字";
export const CODE_REPLAYED = "该验证码已使用过，请等待验证器显示下一个验证码后再输入";
export const PENDING_EXPIRED = "验证已超时，请重新输入账号和密码登录";
/** Failed codes on the account page (not at sign-in), per user. */
const MANAGE_LIMIT = { limit: 5, windowMs: 15 * 60 * 1000 };

/**
 * Authenticator apps read the wall clock. The server's clock can be moved forward by the
 * end-to-end test hook (for deadlines), which a phone knows nothing of.
 */
const totpNow = () => Date.now();

type Db = Kysely<DB>;

const lockKeyOf = (u: Pick<User, "username">) => `login:staff:${u.username}`;
const secretContext = (userId: string) => `totp:${userId}`;
const recoveryHash = (ctx: AppContext, userId: string, normalized: string) =>
  keyedHash(ctx.config, `recovery:${userId}:${normalized}`);

// ---- the per-role requirement ----

export async function requiredRoles(ctx: Pick<AppContext, "db">): Promise<Role[]> {
  return parseRequiredRoles(await getSetting(ctx, REQUIRED_ROLES_KEY));
}

export async function setRequiredRoles(ctx: AppContext, actor: Actor, roles: string[]): Promise<Role[]> {
  await authorize(ctx, actor, "settings:manage");
  const before = await requiredRoles(ctx);
  const after = STAFF_ROLES.filter((r) => roles.includes(r));
  await ctx.db.transaction().execute(async (trx) => {
    await putSetting({ db: trx }, REQUIRED_ROLES_KEY, JSON.stringify(after));
    await recordAudit(ctx, trx, actor, {
      action: "settings.two_factor_roles",
      targetType: "setting",
      targetId: REQUIRED_ROLES_KEY,
      detail: { before, after },
    });
  });
  return after;
}

// ---- sign-in ----

/** What a staff user must do after a correct password: nothing, enter a code, or enrol first. */
export async function pendingSecondFactor(ctx: AppContext, user: User): Promise<PendingKind | null> {
  if (user.role === "org" || user.role === "school") return null;
  const row = await ctx.db
    .selectFrom("user_two_factor")
    .select("enabled_at")
    .where("user_id", "=", user.id)
    .executeTakeFirst();
  if (row?.enabled_at) return "verify";
  return isTwoFactorRequired(user.role, await requiredRoles(ctx)) ? "enrol" : null;
}

/**
 * Called by logIn once the password is right: a pending session only. The lock counter is not
 * cleared here, so guessing codes cannot be reset by entering the password again.
 */
export async function startSecondFactor(
  ctx: AppContext,
  actor: Actor,
  user: User,
  kind: PendingKind,
  userAgent: string | null,
): Promise<string> {
  const cutoff = new Date(ctx.clock.now().getTime() - PENDING_SESSION_MS).toISOString();
  await ctx.db
    .deleteFrom("sessions")
    .where("user_id", "=", user.id)
    .where("pending", "is not", null)
    .where("created_at", "<", cutoff)
    .execute();
  await recordAudit(
    ctx,
    ctx.db,
    { user: sessionUserOf(user), ip: actor.ip },
    {
      action: "auth.login",
      targetType: "user",
      targetId: user.id,
      detail: { kind: "staff", secondFactor: kind },
    },
  );
  return createPendingSession(ctx, user.id, kind, { ip: actor.ip, userAgent });
}

export interface PendingSignIn {
  kind: PendingKind;
  user: User;
}

/** The user behind a pending session cookie, for /login/two-factor only. */
export async function pendingSignIn(
  ctx: AppContext,
  token: string | undefined,
): Promise<PendingSignIn | null> {
  const pending = await readPendingSession(ctx, token);
  if (!pending) return null;
  const user = await ctx.db
    .selectFrom("users")
    .selectAll()
    .where("id", "=", pending.userId)
    .executeTakeFirst();
  return user ? { kind: pending.kind, user } : null;
}

type CodeCheck =
  | { ok: true; method: "totp" | "recovery" }
  | { ok: false; reason: "malformed" | "wrong" | "replayed" | "not_enrolled" };

/**
 * Checks a code and, if it is right, uses it up in the same statement that checks it was unused:
 * the TOTP step moves `last_step` forward only if it is later, a recovery code is marked used only
 * if it was not. Two requests with the same code cannot both pass.
 */
async function consumeCode(
  ctx: AppContext,
  db: Db,
  userId: string,
  code: string,
  opts: { confirmed: boolean; allowRecovery: boolean },
): Promise<CodeCheck> {
  const row = await db
    .selectFrom("user_two_factor")
    .selectAll()
    .where("user_id", "=", userId)
    .where("enabled_at", opts.confirmed ? "is not" : "is", null)
    .executeTakeFirst();
  if (!row) return { ok: false, reason: "not_enrolled" };
  const now = ctx.clock.now().toISOString();
  if (isTotpCode(code)) {
    const secret = decryptSecret(ctx.config, row.secret_enc, secretContext(userId));
    const last = row.last_step === null ? null : Number(row.last_step);
    const check = checkTotp(secret, code, totpNow(), last);
    if (!check.ok) return check;
    const used = await db
      .updateTable("user_two_factor")
      .set({ last_step: check.step, updated_at: now })
      .where("user_id", "=", userId)
      .where((eb) => eb.or([eb("last_step", "is", null), eb("last_step", "<", check.step)]))
      .executeTakeFirst();
    return used.numUpdatedRows > 0n ? { ok: true, method: "totp" } : { ok: false, reason: "replayed" };
  }
  const normalized = opts.allowRecovery ? normalizeRecoveryCode(code) : null;
  if (!normalized) return { ok: false, reason: "malformed" };
  const used = await db
    .updateTable("recovery_codes")
    .set({ used_at: now })
    .where("user_id", "=", userId)
    .where("code_hash", "=", recoveryHash(ctx, userId, normalized))
    .where("used_at", "is", null)
    .executeTakeFirst();
  return used.numUpdatedRows > 0n ? { ok: true, method: "recovery" } : { ok: false, reason: "wrong" };
}

/** Replaces the user's recovery codes; the plain codes are returned to be shown once. */
async function replaceRecoveryCodes(ctx: AppContext, db: Db, userId: string): Promise<string[]> {
  const codes = newRecoveryCodes();
  const now = ctx.clock.now().toISOString();
  await db.deleteFrom("recovery_codes").where("user_id", "=", userId).execute();
  await db
    .insertInto("recovery_codes")
    .values(
      codes.map((c) => ({
        id: newId(),
        user_id: userId,
        code_hash: recoveryHash(ctx, userId, normalizeRecoveryCode(c)!),
        used_at: null,
        created_at: now,
      })),
    )
    .execute();
  return codes;
}

/**
 * A wrong code at sign-in counts against the same per-account lock as a wrong password. A replayed
 * code is no guess (it was right a moment ago), so it is recorded but not counted.
 */
async function signInFailure(
  ctx: AppContext,
  actor: Actor,
  user: User,
  token: string | undefined,
  reason: string,
  hit: RateLimitHit,
): Promise<never> {
  const audit = (r: string) =>
    recordAudit(ctx, ctx.db, actor, {
      action: "auth.two_factor",
      outcome: "failure",
      targetType: "user",
      targetId: user.id,
      detail: { reason: r },
    });
  const lockKey = lockKeyOf(user);
  if (reason === "replayed") {
    await releaseRateLimit(ctx, lockKey);
    await audit(reason);
    throw new AppError("VALIDATION", CODE_REPLAYED, { code: CODE_REPLAYED });
  }
  if (hit.count >= MAX_FAILED_LOGINS) {
    // The lock runs from the failure that completed it.
    await extendRateLimit(ctx, lockKey, new Date(ctx.clock.now().getTime() + LOCK_MS));
    await deleteSession(ctx, token);
    await audit(`${reason}_locked`);
    throw new AppError("LOCKED", LOGIN_LOCKED);
  }
  await audit(reason);
  throw new AppError("VALIDATION", CODE_WRONG, { code: CODE_WRONG });
}

export interface SecondFactorResult {
  user: SessionUser;
  /** The new full session's cookie token: the pending one is gone. */
  token: string;
  /** Shown once, after an enrolment at sign-in. */
  recoveryCodes?: string[];
}

/**
 * The second step of a sign-in: a code (or, for "verify", a recovery code) against the pending
 * session behind `token`. On success the pending session is replaced by a full one with a new ID.
 */
export async function completeSecondFactor(
  ctx: AppContext,
  ip: string | null,
  input: { token: string | undefined; code: string; userAgent: string | null },
): Promise<SecondFactorResult> {
  const pending = await pendingSignIn(ctx, input.token);
  if (!pending) throw new AppError("UNAUTHENTICATED", PENDING_EXPIRED);
  const { user, kind } = pending;
  const actor: Actor = { user: sessionUserOf(user), ip };
  // The attempt takes its place in the account's counter before the code is checked, in one
  // atomic upsert, so parallel guesses cannot all pass a read-then-increment check.
  const lockKey = lockKeyOf(user);
  const hit = await hitRateLimit(ctx, lockKey, { limit: MAX_FAILED_LOGINS, windowMs: LOCK_MS });
  if (hit.blocked) {
    await deleteSession(ctx, input.token);
    await recordAudit(ctx, ctx.db, actor, {
      action: "auth.two_factor",
      outcome: "failure",
      targetType: "user",
      targetId: user.id,
      detail: { reason: "locked" },
    });
    throw new AppError("LOCKED", LOGIN_LOCKED);
  }

  const result = await ctx.db.transaction().execute(async (trx) => {
    const check = await consumeCode(ctx, trx, user.id, input.code, {
      confirmed: kind === "verify",
      allowRecovery: kind === "verify",
    });
    if (!check.ok) return check;
    const now = ctx.clock.now().toISOString();
    let recoveryCodes: string[] | undefined;
    if (kind === "enrol") {
      await trx
        .updateTable("user_two_factor")
        .set({ enabled_at: now, updated_at: now })
        .where("user_id", "=", user.id)
        .execute();
      recoveryCodes = await replaceRecoveryCodes(ctx, trx, user.id);
      await recordAudit(ctx, trx, actor, {
        action: "account.two_factor_enable",
        targetType: "user",
        targetId: user.id,
        detail: { at: "sign_in" },
      });
    }
    await deleteSession({ ...ctx, db: trx }, input.token);
    await trx.updateTable("users").set({ last_login_at: now }).where("id", "=", user.id).execute();
    await recordAudit(ctx, trx, actor, {
      action: "auth.two_factor",
      targetType: "user",
      targetId: user.id,
      detail: { method: check.method, enrolled: kind === "enrol" },
    });
    const token = await createSession({ ...ctx, db: trx }, user.id, { ip, userAgent: input.userAgent });
    return { ok: true as const, token, recoveryCodes };
  });
  if (!result.ok) return signInFailure(ctx, actor, user, input.token, result.reason, hit);
  await clearRateLimit(ctx, lockKey);
  return { user: sessionUserOf(user), token: result.token, recoveryCodes: result.recoveryCodes };
}

// ---- enrolment and the account page ----

export interface Enrolment {
  /** Base32, grouped by four for typing. */
  secret: string;
  uri: string;
  /** The QR code of the URI, as an SVG document. */
  qrSvg: string;
}

/**
 * The secret being set up: made on first view and kept (encrypted, not yet enabled) so a reload
 * shows the same one the user may already have scanned.
 */
export async function enrolmentFor(ctx: AppContext, user: Pick<User, "id" | "username">): Promise<Enrolment> {
  const row = await ctx.db
    .selectFrom("user_two_factor")
    .select(["secret_enc", "enabled_at"])
    .where("user_id", "=", user.id)
    .executeTakeFirst();
  if (row?.enabled_at) throw new AppError("CONFLICT", "已开启双因素认证");
  let secret: string;
  if (row) secret = decryptSecret(ctx.config, row.secret_enc, secretContext(user.id));
  else {
    secret = newTotpSecret();
    const now = ctx.clock.now().toISOString();
    await ctx.db
      .insertInto("user_two_factor")
      .values({
        user_id: user.id,
        secret_enc: encryptSecret(ctx.config, secret, secretContext(user.id)),
        enabled_at: null,
        last_step: null,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.column("user_id").doNothing())
      .execute();
    // Another tab may have got there first: show the secret that was kept.
    return enrolmentFor(ctx, user);
  }
  const uri = otpauthUri(secret, user.username ?? "");
  const qrSvg = await QRCode.toString(uri, { type: "svg", margin: 1, errorCorrectionLevel: "M" });
  return { secret: groupSecret(secret), uri, qrSvg };
}

export interface TwoFactorStatus {
  enabled: boolean;
  required: boolean;
  recoveryCodesLeft: number;
}

export async function twoFactorStatus(ctx: AppContext, actor: Actor): Promise<TwoFactorStatus> {
  const me = staffOnly(actor);
  const row = await ctx.db
    .selectFrom("user_two_factor")
    .select("enabled_at")
    .where("user_id", "=", me.id)
    .executeTakeFirst();
  const { n } = await ctx.db
    .selectFrom("recovery_codes")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("user_id", "=", me.id)
    .where("used_at", "is", null)
    .executeTakeFirstOrThrow();
  return {
    enabled: !!row?.enabled_at,
    required: isTwoFactorRequired(me.role, await requiredRoles(ctx)),
    recoveryCodesLeft: Number(n),
  };
}

function staffOnly(actor: Actor): SessionUser {
  if (!actor.user) throw new AppError("UNAUTHENTICATED", "请先登录");
  if (actor.user.role === "org" || actor.user.role === "school")
    throw new AppError("FORBIDDEN", "双因素认证仅适用于工作人员账号");
  return actor.user;
}

export async function enrolmentForActor(ctx: AppContext, actor: Actor): Promise<Enrolment> {
  const me = staffOnly(actor);
  return enrolmentFor(ctx, { id: me.id, username: me.login });
}

/** Runs `change` only if `code` is a right, unused code; failures are limited per user. */
async function withCode<T>(
  ctx: AppContext,
  actor: Actor,
  code: string,
  opts: { confirmed: boolean; action: string },
  change: (trx: Db, me: SessionUser) => Promise<T>,
): Promise<T> {
  const me = staffOnly(actor);
  const limitKey = `two-factor:manage:${me.id}`;
  // Counted before the check (one atomic upsert): parallel guesses cannot overrun the limit.
  const hit = await hitRateLimit(ctx, limitKey, MANAGE_LIMIT);
  if (hit.blocked) {
    throw new AppError("RATE_LIMITED", "验证码错误次数过多，请15分钟后再试");
  }
  const result = await ctx.db.transaction().execute(async (trx) => {
    const check = await consumeCode(ctx, trx, me.id, code, {
      confirmed: opts.confirmed,
      allowRecovery: false,
    });
    if (!check.ok) return check;
    const value = await change(trx, me);
    await recordAudit(ctx, trx, actor, { action: opts.action, targetType: "user", targetId: me.id });
    return { ok: true as const, value };
  });
  if (result.ok || result.reason === "replayed" || result.reason === "not_enrolled")
    await releaseRateLimit(ctx, limitKey);
  if (result.ok) return result.value;
  await recordAudit(ctx, ctx.db, actor, {
    action: opts.action,
    outcome: "failure",
    targetType: "user",
    targetId: me.id,
    detail: { reason: result.reason },
  });
  if (result.reason === "not_enrolled") {
    throw new AppError("CONFLICT", opts.confirmed ? "尚未开启双因素认证" : "已开启双因素认证，请刷新页面");
  }
  if (result.reason === "replayed") throw new AppError("VALIDATION", CODE_REPLAYED, { code: CODE_REPLAYED });
  throw new AppError("VALIDATION", CODE_WRONG, { code: CODE_WRONG });
}

/** Switches the second factor on with a first code; returns the recovery codes, shown once. */
export function enableTwoFactor(ctx: AppContext, actor: Actor, code: string): Promise<string[]> {
  return withCode(
    ctx,
    actor,
    code,
    { confirmed: false, action: "account.two_factor_enable" },
    async (trx, me) => {
      const now = ctx.clock.now().toISOString();
      await trx
        .updateTable("user_two_factor")
        .set({ enabled_at: now, updated_at: now })
        .where("user_id", "=", me.id)
        .execute();
      return replaceRecoveryCodes(ctx, trx, me.id);
    },
  );
}

export function regenerateRecoveryCodes(ctx: AppContext, actor: Actor, code: string): Promise<string[]> {
  return withCode(
    ctx,
    actor,
    code,
    { confirmed: true, action: "account.recovery_codes_regenerate" },
    (trx, me) => replaceRecoveryCodes(ctx, trx, me.id),
  );
}

export async function disableTwoFactor(ctx: AppContext, actor: Actor, code: string): Promise<void> {
  const me = staffOnly(actor);
  if (isTwoFactorRequired(me.role, await requiredRoles(ctx))) {
    throw new AppError("VALIDATION", "您的角色必须使用双因素认证，不能关闭");
  }
  await withCode(ctx, actor, code, { confirmed: true, action: "account.two_factor_disable" }, async (trx) => {
    await trx.deleteFrom("recovery_codes").where("user_id", "=", me.id).execute();
    await trx.deleteFrom("user_two_factor").where("user_id", "=", me.id).execute();
  });
}

// ---- administration ----

/**
 * `npm run kepu -- user:reset-2fa`: removes a staff user's second factor and recovery codes and
 * ends their sessions. A role that requires one enrols again at the next sign-in.
 */
export async function resetTwoFactorFromCli(
  ctx: AppContext,
  username: string,
): Promise<{ user: User; hadFactor: boolean }> {
  const login = username.trim().toLowerCase();
  const user = await ctx.db
    .selectFrom("users")
    .selectAll()
    .where("username", "=", login)
    .where("role", "!=", "org")
    .executeTakeFirst();
  if (!user) throw new AppError("NOT_FOUND", `没有用户名为“${login}”的工作人员账号`);
  const hadFactor = await ctx.db.transaction().execute(async (trx) => {
    const removed = await trx.deleteFrom("user_two_factor").where("user_id", "=", user.id).executeTakeFirst();
    await trx.deleteFrom("recovery_codes").where("user_id", "=", user.id).execute();
    await deleteUserSessions({ db: trx }, user.id);
    const had = removed.numDeletedRows > 0n;
    await recordAudit(
      ctx,
      trx,
      { user: null, ip: null },
      {
        action: "user.two_factor_reset",
        actorLabel: "cli",
        targetType: "user",
        targetId: user.id,
        detail: { login, hadFactor: had },
      },
    );
    return had;
  });
  return { user, hadFactor };
}

/** Turns the second factor on with a given secret, for the demo accounts (whose secret is public). */
export async function enableTwoFactorWithSecret(
  ctx: AppContext,
  db: Db,
  userId: string,
  secretBase32: string,
): Promise<void> {
  const now = ctx.clock.now().toISOString();
  await db
    .insertInto("user_two_factor")
    .values({
      user_id: userId,
      secret_enc: encryptSecret(ctx.config, secretBase32, secretContext(userId)),
      enabled_at: now,
      last_step: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
}

/** Whether the user's confirmed secret is this one (the demo hint shows only for the public demo secret). */
export async function hasSecret(ctx: AppContext, userId: string, secretBase32: string): Promise<boolean> {
  const row = await ctx.db
    .selectFrom("user_two_factor")
    .select("secret_enc")
    .where("user_id", "=", userId)
    .where("enabled_at", "is not", null)
    .executeTakeFirst();
  return !!row && decryptSecret(ctx.config, row.secret_enc, secretContext(userId)) === secretBase32;
}
