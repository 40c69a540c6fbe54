import type { Kysely, SelectQueryBuilder } from "kysely";
import { recordAudit } from "#src/modules/audit/audit.server.ts";
import { listRegions, regionSubtree } from "#src/modules/regions/regions.server.ts";
import { markVerifiedByStaff } from "#src/modules/verification/verification.server.ts";
import { burnPasswordCheck, hashPassword, verifyPassword } from "#src/platform/auth/password.server.ts";
import {
  createSession,
  deleteSession,
  deleteUserSessionByRef,
  deleteUserSessions,
  listUserSessions,
  type SessionInfo,
  sessionUserOf,
} from "#src/platform/auth/session.server.ts";
import type { Actor, AppContext, SessionUser } from "#src/platform/context.ts";
import type { DB, Role, User } from "#src/platform/db/schema.ts";
import { AppError } from "#src/platform/errors.ts";
import { newId } from "#src/platform/ids.ts";
import {
  clearRateLimit,
  extendRateLimit,
  hitRateLimit,
  peekRateLimit,
  releaseRateLimit,
} from "#src/platform/rate-limit.server.ts";
import { can, isUnitRole, type Permission, requiredRegionLevel, UNIT_ROLES } from "./accounts.policy.ts";
import type { CreateUserInput, RegisterOrgInput } from "./accounts.schema.ts";
import { authorize, deniedAsNotFound } from "./authorize.server.ts";
import { checkNewPassword } from "./common-passwords.server.ts";
import { pendingSecondFactor, startSecondFactor } from "./two-factor.server.ts";
import { normalizeUscc } from "./uscc.rules.ts";

export const MAX_FAILED_LOGINS = 5;
export const LOCK_MS = 30 * 60 * 1000;
/** Failed logins from one IP address; successes do not count, so a shared office NAT is not blocked. */
const IP_LIMIT = { limit: 50, windowMs: 15 * 60 * 1000 };

export const LOGIN_FAILED = "账号或密码错误";
export const LOGIN_LOCKED = "登录失败次数过多，账号已锁定30分钟，请稍后再试";

async function assertRegionLevel(ctx: AppContext, role: Role, regionCode: string): Promise<void> {
  const region = (await listRegions(ctx)).find((r) => r.code === regionCode);
  const level = requiredRegionLevel(role);
  if (!region || region.level !== level) {
    throw new AppError("VALIDATION", "所选区域无效", {
      regionCode: level === "county" ? "请选择一个县（市、区）" : "请选择一个市级区域",
    });
  }
}

/**
 * The one answer for a registration that must be refused because of the USCC: it must not confirm
 * that the organization has an account (the audit log records the truth).
 */
export const REGISTER_REFUSED = "如已注册，请直接登录或找回密码；如有疑问请联系所在县（市、区）科协";
const REGISTER_WINDOW_MS = 60 * 60 * 1000;

/**
 * 法人注册: an organization creates its own account with its USCC. The account starts unverified
 * (单位认证, src/modules/verification): it owns no base until county staff or a claim code verify it.
 * Attempts are limited per IP (KEPU_REGISTER_PER_IP_HOUR).
 */
export async function registerOrg(
  ctx: AppContext,
  actor: Actor,
  input: RegisterOrgInput,
  /** A school registers the same way (科普助力双减); its profile is written in the same transaction. */
  as: { role: "org" | "school"; withAccount?: (trx: Kysely<DB>, user: User) => Promise<void> } = {
    role: "org",
  },
): Promise<SessionUser> {
  if (actor.ip) {
    const hit = await hitRateLimit(ctx, `register-ip:${actor.ip}`, {
      limit: ctx.config.registerPerIpHour,
      windowMs: REGISTER_WINDOW_MS,
    });
    if (hit.blocked) {
      await recordAudit(ctx, ctx.db, actor, {
        action: "account.register",
        outcome: "failure",
        actorLabel: input.uscc,
        detail: { reason: "ip_rate_limited" },
      });
      throw new AppError("RATE_LIMITED", "注册过于频繁，请1小时后再试");
    }
  }
  await assertRegionLevel(ctx, "org", input.regionCode);
  const policy = checkNewPassword(input.password, { login: input.uscc });
  if (policy) throw new AppError("VALIDATION", policy, { password: policy });
  const passwordHash = await hashPassword(input.password);
  const now = ctx.clock.now().toISOString();
  const refuse = async (reason: string): Promise<never> => {
    await recordAudit(ctx, ctx.db, actor, {
      action: "account.register",
      outcome: "failure",
      actorLabel: input.uscc,
      detail: { reason },
    });
    throw new AppError("VALIDATION", REGISTER_REFUSED, { uscc: REGISTER_REFUSED });
  };
  let user: User | null;
  try {
    user = await ctx.db.transaction().execute(async (trx): Promise<User | null> => {
      const taken = await trx
        .selectFrom("users")
        .select("id")
        .where("uscc", "=", input.uscc)
        .executeTakeFirst();
      if (taken) return null;
      const row = await trx
        .insertInto("users")
        .values({
          id: newId(),
          role: as.role,
          username: null,
          uscc: input.uscc,
          display_name: input.unitName,
          contact_name: input.contactName,
          phone: input.phone,
          email: input.email ?? null,
          region_code: input.regionCode,
          password_hash: passwordHash,
          password_changed_at: now,
          must_change_password: 0,
          disabled_at: null,
          last_login_at: null,
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(ctx, trx, actor, {
        action: "account.register",
        targetType: "user",
        targetId: row.id,
        actorLabel: input.uscc,
        detail: {
          after: { role: row.role, uscc: row.uscc, unitName: row.display_name, regionCode: row.region_code },
        },
      });
      await as.withAccount?.(trx, row);
      return row;
    });
  } catch (e) {
    // Two registrations of one USCC at once: the unique index refuses the second.
    if (/unique|UNIQUE|duplicate/.test(String(e))) return refuse("uscc_taken_concurrently");
    throw e;
  }
  if (!user) return refuse("uscc_taken");
  return sessionUserOf(user);
}

/** Whether the optional maximum password age (KEPU_PASSWORD_MAX_AGE_DAYS) has passed for this user. */
function passwordExpired(ctx: AppContext, u: User): boolean {
  const days = ctx.config.passwordMaxAgeDays;
  if (!days || u.must_change_password === 1) return false;
  const since = new Date(u.password_changed_at ?? u.updated_at).getTime();
  return ctx.clock.now().getTime() - since > days * 24 * 60 * 60 * 1000;
}

export interface LoginInput {
  kind: "org" | "staff";
  login: string;
  password: string;
  userAgent?: string | null;
}

/**
 * Checks the credentials and opens a session. Missing and existing accounts take the same
 * path, the same time and the same message; five failures lock the login name for 30 minutes.
 * Attempts are counted before the hash is checked, so parallel bursts stay within both limits.
 */
export async function logIn(
  ctx: AppContext,
  actor: Actor,
  input: LoginInput,
): Promise<{ user: SessionUser; token: string; pending?: "verify" | "enrol" }> {
  const login = input.kind === "org" ? normalizeUscc(input.login) : input.login.trim().toLowerCase();
  const lockKey = `login:${input.kind}:${login}`;
  const fail = async (
    reason: string,
    message: string,
    code: "UNAUTHENTICATED" | "LOCKED" | "RATE_LIMITED",
  ) => {
    await recordAudit(ctx, ctx.db, actor, {
      action: "auth.login",
      outcome: "failure",
      actorLabel: login,
      detail: { kind: input.kind, reason },
    });
    throw new AppError(code, message);
  };

  // Each attempt takes its place in both counters before any password hash is checked, in one
  // atomic upsert, so a burst of parallel attempts cannot all pass a read-then-increment check.
  const ipKey = actor.ip ? `login-ip:${actor.ip}` : null;
  const ipHit = ipKey ? await hitRateLimit(ctx, ipKey, IP_LIMIT) : null;
  if (ipHit?.blocked) await fail("ip_rate_limited", "登录尝试过于频繁，请15分钟后再试", "RATE_LIMITED");
  const lockHit = await hitRateLimit(ctx, lockKey, { limit: MAX_FAILED_LOGINS, windowMs: LOCK_MS });
  if (lockHit.blocked) await fail("locked", LOGIN_LOCKED, "LOCKED");

  const user = await ctx.db
    .selectFrom("users")
    .selectAll()
    .where(input.kind === "org" ? "uscc" : "username", "=", login)
    .where("role", input.kind === "org" ? "in" : "not in", UNIT_ROLES)
    .executeTakeFirst();
  const ok = user
    ? await verifyPassword(user.password_hash, input.password)
    : await burnPasswordCheck(input.password);

  if (!user || !ok) {
    if (lockHit.count >= MAX_FAILED_LOGINS) {
      // The lock runs from the failure that completed it.
      await extendRateLimit(ctx, lockKey, new Date(ctx.clock.now().getTime() + LOCK_MS));
      await fail(user ? "bad_password_locked" : "unknown_account_locked", LOGIN_LOCKED, "LOCKED");
    }
    await fail(user ? "bad_password" : "unknown_account", LOGIN_FAILED, "UNAUTHENTICATED");
  }
  const found = user!;
  if (found.disabled_at) await fail("disabled", "该账号已停用，请联系管理员", "UNAUTHENTICATED");

  // A success is not a failure: it gives its place back to the IP and lifts the account's count.
  if (ipKey) await releaseRateLimit(ctx, ipKey);

  // ---- second factor (two-factor.server.ts): the password alone opens only a pending session,
  // and the lock counter stays until the code is right.
  // An expired password is marked before any second factor, so the session that follows it must change it too.
  const expired = passwordExpired(ctx, found);
  if (expired) {
    await ctx.db.updateTable("users").set({ must_change_password: 1 }).where("id", "=", found.id).execute();
    found.must_change_password = 1;
  }
  const pending = await pendingSecondFactor(ctx, found);
  if (pending) {
    // The right password gives its place back; earlier failures count on until the code is right.
    await releaseRateLimit(ctx, lockKey);
    const token = await startSecondFactor(ctx, actor, found, pending, input.userAgent ?? null);
    return { user: sessionUserOf(found), token, pending };
  }
  // ---- end second factor

  await clearRateLimit(ctx, lockKey);
  const now = ctx.clock.now().toISOString();
  const token = await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable("users").set({ last_login_at: now }).where("id", "=", found.id).execute();
    const sessionUser = sessionUserOf(found);
    await recordAudit(
      ctx,
      trx,
      { user: sessionUser, ip: actor.ip },
      {
        action: "auth.login",
        targetType: "user",
        targetId: found.id,
        detail: expired ? { kind: input.kind, passwordExpired: true } : { kind: input.kind },
      },
    );
    return createSession({ ...ctx, db: trx }, found.id, { ip: actor.ip, userAgent: input.userAgent ?? null });
  });
  return { user: sessionUserOf(found), token };
}

/** Changes the signed-in user's password and ends the account's other sessions. */
export async function changePassword(
  ctx: AppContext,
  actor: Actor,
  input: { currentPassword: string; newPassword: string },
  opts: { currentToken?: string } = {},
): Promise<void> {
  if (!actor.user) throw new AppError("UNAUTHENTICATED", "请先登录");
  const user = await ctx.db
    .selectFrom("users")
    .selectAll()
    .where("id", "=", actor.user.id)
    .executeTakeFirstOrThrow();
  if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
    await recordAudit(ctx, ctx.db, actor, {
      action: "account.password_change",
      outcome: "failure",
      targetId: user.id,
    });
    throw new AppError("VALIDATION", "当前密码不正确", { currentPassword: "当前密码不正确" });
  }
  const policy = checkNewPassword(input.newPassword, { login: user.username ?? user.uscc });
  if (policy) throw new AppError("VALIDATION", policy, { newPassword: policy });
  if (await verifyPassword(user.password_hash, input.newPassword)) {
    const msg = "新密码不能与当前密码相同";
    throw new AppError("VALIDATION", msg, { newPassword: msg });
  }
  const passwordHash = await hashPassword(input.newPassword);
  await ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now().toISOString();
    await trx
      .updateTable("users")
      .set((eb) => ({
        password_hash: passwordHash,
        password_changed_at: now,
        must_change_password: 0,
        updated_at: now,
        version: eb("version", "+", 1),
      }))
      .where("id", "=", user.id)
      .execute();
    // Whoever else held the old password is signed out; this browser stays signed in.
    const ended = await deleteUserSessions({ db: trx }, user.id, { exceptToken: opts.currentToken });
    await recordAudit(ctx, trx, actor, {
      action: "account.password_change",
      targetType: "user",
      targetId: user.id,
      detail: { otherSessionsEnded: ended },
    });
  });
}

// ---- sessions (【登录设备】) ----

/** 【退出】: ends this browser's session; a signed-in user's logout is audited in the same transaction. */
export async function logOut(ctx: AppContext, actor: Actor, token: string | undefined): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    if (actor.user) await recordAudit(ctx, trx, actor, { action: "auth.logout" });
    await deleteSession({ ...ctx, db: trx }, token);
  });
}

/** The signed-in user's own sessions. */
export async function listMySessions(
  ctx: AppContext,
  actor: Actor,
  currentToken: string | undefined,
): Promise<SessionInfo[]> {
  if (!actor.user) throw new AppError("UNAUTHENTICATED", "请先登录");
  return listUserSessions(ctx, actor.user.id, currentToken);
}

/** Ends one of the signed-in user's sessions, or all but the current one (`ref: "others"`). */
export async function endMySession(ctx: AppContext, actor: Actor, ref: string, currentToken?: string) {
  if (!actor.user) throw new AppError("UNAUTHENTICATED", "请先登录");
  const userId = actor.user.id;
  await ctx.db.transaction().execute(async (trx) => {
    let ended: number;
    if (ref === "others") {
      ended = await deleteUserSessions({ db: trx }, userId, { exceptToken: currentToken });
    } else {
      ended = (await deleteUserSessionByRef({ db: trx }, userId, ref)) ? 1 : 0;
      if (!ended) throw new AppError("NOT_FOUND", "该登录设备已退出或不存在");
    }
    await recordAudit(ctx, trx, actor, {
      action: "account.session_end",
      targetType: "user",
      targetId: userId,
      detail: { scope: ref === "others" ? "others" : "one", ended },
    });
  });
}

// ---- user administration ----

export interface UserFilter {
  q?: string;
  role?: Role;
  status?: "active" | "disabled";
  regionCode?: string;
  offset?: number;
  limit?: number;
}

export type UserRow = Omit<User, "password_hash" | "reminders_off">;

export const USER_COLUMNS = [
  "id",
  "role",
  "username",
  "uscc",
  "display_name",
  "contact_name",
  "phone",
  "email",
  "region_code",
  "must_change_password",
  "disabled_at",
  "last_login_at",
  "password_changed_at",
  "created_at",
  "updated_at",
  "version",
] as const;

/** The regions whose users the actor may see: its own region and everything below it. */
export async function userScope(ctx: AppContext, user: SessionUser): Promise<string[]> {
  return regionSubtree(ctx, user.regionCode);
}

/** The users list's filters on a query of `users`, within `scope` (the regions the actor may see). */
export function filterUsers<O>(
  q: SelectQueryBuilder<DB, "users", O>,
  scope: string[],
  filter: UserFilter,
): SelectQueryBuilder<DB, "users", O> {
  let r = q.where("region_code", "in", scope.length ? scope : [""]);
  if (filter.role) r = r.where("role", "=", filter.role);
  if (filter.regionCode) r = r.where("region_code", "=", filter.regionCode);
  if (filter.status === "active") r = r.where("disabled_at", "is", null);
  if (filter.status === "disabled") r = r.where("disabled_at", "is not", null);
  if (filter.q) {
    const like = `%${filter.q.replace(/[%_\\]/g, "\\$&")}%`;
    r = r.where((eb) =>
      eb.or([eb("display_name", "like", like), eb("username", "like", like), eb("uscc", "like", like)]),
    );
  }
  return r;
}

export async function listUsers(
  ctx: AppContext,
  actor: Actor,
  filter: UserFilter = {},
): Promise<{ rows: UserRow[]; total: number }> {
  const me = await authorize(ctx, actor, "users:read");
  const q = filterUsers(ctx.db.selectFrom("users"), await userScope(ctx, me), filter);
  const [{ total }] = await q.select((eb) => eb.fn.countAll<number>().as("total")).execute();
  const rows = await q
    .select(USER_COLUMNS)
    .orderBy("created_at", "desc")
    .orderBy("id")
    .offset(filter.offset ?? 0)
    .limit(Math.min(filter.limit ?? 20, 100))
    .execute();
  return { rows, total: Number(total) };
}

export async function getUser(
  ctx: AppContext,
  actor: Actor,
  id: string,
): Promise<UserRow & { locked: boolean }> {
  const me = await authorize(ctx, actor, "users:read");
  const scope = await userScope(ctx, me);
  const row = await ctx.db
    .selectFrom("users")
    .select(USER_COLUMNS)
    .where("id", "=", id)
    .where("region_code", "in", scope)
    .executeTakeFirst();
  if (!row) {
    const exists = await ctx.db.selectFrom("users").select("id").where("id", "=", id).executeTakeFirst();
    return deniedAsNotFound(ctx, actor, { type: "user", id, exists: !!exists });
  }
  const kind = isUnitRole(row.role) ? "org" : "staff";
  const lock = await peekRateLimit(ctx, `login:${kind}:${row.username ?? row.uscc}`);
  return { ...row, locked: !!lock && lock.count >= MAX_FAILED_LOGINS };
}

export async function createUser(ctx: AppContext, actor: Actor, input: CreateUserInput): Promise<UserRow> {
  const me = await authorize(ctx, actor, "users:manage");
  const scope = await userScope(ctx, me);
  if (!scope.includes(input.regionCode)) {
    throw new AppError("VALIDATION", "所选区域不在您的管理范围内", {
      regionCode: "所选区域不在您的管理范围内",
    });
  }
  return insertUser(ctx, actor, input, { mustChangePassword: true });
}

/**
 * Creates a user from the command line, the bootstrap path for the first admin.
 * There is no signed-in actor; the audit log names the CLI.
 */
export async function createUserFromCli(
  ctx: AppContext,
  input: CreateUserInput,
  opts: { mustChangePassword?: boolean } = {},
): Promise<UserRow> {
  return insertUser(ctx, { user: null, ip: null }, input, {
    mustChangePassword: opts.mustChangePassword ?? false,
    actorLabel: "cli",
  });
}

async function insertUser(
  ctx: AppContext,
  actor: Actor,
  input: CreateUserInput,
  opts: { mustChangePassword: boolean; actorLabel?: string },
): Promise<UserRow> {
  await assertRegionLevel(ctx, input.role, input.regionCode);
  const login = input.role === "org" ? normalizeUscc(input.uscc!) : input.username!.toLowerCase();
  const policy = checkNewPassword(input.password, { login });
  if (policy) throw new AppError("VALIDATION", policy, { password: policy });
  const passwordHash = await hashPassword(input.password);
  const now = ctx.clock.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    const column = input.role === "org" ? "uscc" : "username";
    const taken = await trx.selectFrom("users").select("id").where(column, "=", login).executeTakeFirst();
    if (taken) {
      const msg = input.role === "org" ? "该统一社会信用代码已有账号" : "该用户名已被使用";
      throw new AppError("VALIDATION", msg, { [column]: msg });
    }
    const row = await trx
      .insertInto("users")
      .values({
        id: newId(),
        role: input.role,
        username: input.role === "org" ? null : login,
        uscc: input.role === "org" ? login : null,
        display_name: input.displayName,
        contact_name: null,
        phone: input.phone || null,
        email: input.email ?? null,
        region_code: input.regionCode,
        password_hash: passwordHash,
        password_changed_at: now,
        must_change_password: opts.mustChangePassword ? 1 : 0,
        disabled_at: null,
        last_login_at: null,
        created_at: now,
        updated_at: now,
      })
      .returning(USER_COLUMNS)
      .executeTakeFirstOrThrow();
    await recordAudit(ctx, trx, actor, {
      action: "user.create",
      targetType: "user",
      targetId: row.id,
      actorLabel: opts.actorLabel,
      detail: { after: { role: row.role, login, regionCode: row.region_code } },
    });
    // An org account that staff create is verified from the start: staff vouch for it.
    if (row.role === "org") await markVerifiedByStaff(ctx, trx, actor, row.id);
    return row;
  });
}

/** Runs one admin change on a user in the actor's scope, checking the optimistic version. */
async function updateScopedUser(
  ctx: AppContext,
  actor: Actor,
  id: string,
  version: number,
  action: string,
  change: (u: UserRow) => Partial<User>,
  opts: { permission?: Permission; targetRole?: Role } = {},
): Promise<UserRow> {
  await authorize(ctx, actor, opts.permission ?? "users:manage");
  const before = await getUser(ctx, actor, id);
  // A narrower permission reaches only its kind of account; anything else looks like a miss.
  if (opts.targetRole && before.role !== opts.targetRole) throw new AppError("NOT_FOUND", "未找到该记录");
  if (before.id === actor.user!.id && action === "user.disable") {
    throw new AppError("VALIDATION", "不能停用自己的账号");
  }
  return ctx.db.transaction().execute(async (trx) => {
    const patch = change(before);
    const row = await trx
      .updateTable("users")
      .set((eb) => ({ ...patch, updated_at: ctx.clock.now().toISOString(), version: eb("version", "+", 1) }))
      .where("id", "=", id)
      .where("version", "=", version)
      .returning(USER_COLUMNS)
      .executeTakeFirst();
    if (!row) throw new AppError("CONFLICT", "该用户已被他人修改，请刷新页面后重试");
    await deleteUserSessions({ db: trx }, id);
    const summary = (u: UserRow) => ({
      disabled: !!u.disabled_at,
      mustChangePassword: u.must_change_password === 1,
    });
    await recordAudit(ctx, trx, actor, {
      action,
      targetType: "user",
      targetId: id,
      detail: { before: summary(before), after: summary(row) },
    });
    return row;
  });
}

/** An administrator signs a user out everywhere (a lost phone, a leaving employee). */
export async function endUserSessions(ctx: AppContext, actor: Actor, id: string): Promise<number> {
  await authorize(ctx, actor, "users:manage");
  const target = await getUser(ctx, actor, id);
  return ctx.db.transaction().execute(async (trx) => {
    const ended = await deleteUserSessions({ db: trx }, target.id);
    await recordAudit(ctx, trx, actor, {
      action: "user.sessions_end",
      targetType: "user",
      targetId: target.id,
      detail: { ended },
    });
    return ended;
  });
}

export function setUserDisabled(
  ctx: AppContext,
  actor: Actor,
  id: string,
  disabled: boolean,
  version: number,
) {
  return updateScopedUser(ctx, actor, id, version, disabled ? "user.disable" : "user.enable", () => ({
    disabled_at: disabled ? ctx.clock.now().toISOString() : null,
  }));
}

/** Sets a temporary password, forces a change at next login, ends sessions and lifts a lock. */
export async function resetUserPassword(
  ctx: AppContext,
  actor: Actor,
  id: string,
  password: string,
  version: number,
) {
  const policy = checkNewPassword(password);
  if (policy) throw new AppError("VALIDATION", policy, { password: policy });
  const passwordHash = await hashPassword(password);
  // County staff reset the passwords of their county's organizations (the registration page sends
  // orgs that forgot theirs to the county); administrators reset anyone's.
  const scope = can(actor.user, "users:manage")
    ? {}
    : { permission: "users:reset-org-password" as const, targetRole: "org" as const };
  const row = await updateScopedUser(
    ctx,
    actor,
    id,
    version,
    "user.reset_password",
    () => ({
      password_hash: passwordHash,
      password_changed_at: ctx.clock.now().toISOString(),
      must_change_password: 1,
    }),
    scope,
  );
  await clearRateLimit(ctx, `login:${isUnitRole(row.role) ? "org" : "staff"}:${row.username ?? row.uscc}`);
  return row;
}
