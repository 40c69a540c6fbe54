import { createHash } from "node:crypto";
import type { AliasableExpression, ExpressionBuilder } from "kysely";
import type { AppContext, SessionUser } from "../context.ts";
import type { DB, User } from "../db/schema.ts";
import { randomToken } from "../ids.ts";

export const SESSION_IDLE_MS = 30 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000;
/** last_seen_at is written at most this often, so reads do not turn into writes. */
const TOUCH_EVERY_MS = 60 * 1000;

export function sessionCookieName(production: boolean): string {
  return production ? "__Host-kepu_session" : "kepu_session";
}

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/**
 * Creates a fresh session (a new ID at every login) and returns the cookie token. An account holds
 * at most `config.maxSessionsPerUser` sessions: the ones last seen longest ago end first.
 */
export async function createSession(
  ctx: Pick<AppContext, "db" | "clock" | "config">,
  userId: string,
  meta: { ip: string | null; userAgent: string | null },
): Promise<string> {
  const token = await insertSession(ctx, userId, meta, null);
  const keep = ctx.db
    .selectFrom("sessions")
    .select("id")
    .where("user_id", "=", userId)
    .where("pending", "is", null)
    .orderBy("last_seen_at", "desc")
    .orderBy("created_at", "desc")
    .limit(ctx.config.maxSessionsPerUser);
  // Only signed-in sessions count: a pending second-factor step is no device and ends on its own.
  await ctx.db
    .deleteFrom("sessions")
    .where("user_id", "=", userId)
    .where("pending", "is", null)
    .where("id", "not in", keep)
    .where("id", "!=", hashToken(token))
    .execute();
  return token;
}

/** A new session row under a fresh random token (only its hash is stored); returns the token. */
async function insertSession(
  ctx: Pick<AppContext, "db" | "clock">,
  userId: string,
  meta: { ip: string | null; userAgent: string | null },
  pending: PendingKind | null,
): Promise<string> {
  const token = randomToken(32);
  const now = ctx.clock.now().toISOString();
  await ctx.db
    .insertInto("sessions")
    .values({
      id: hashToken(token),
      user_id: userId,
      created_at: now,
      last_seen_at: now,
      ip: meta.ip,
      user_agent: meta.userAgent?.slice(0, 300) ?? null,
      pending,
    })
    .execute();
  return token;
}

/** The signed-in user as the app sees it, from a users row. */
export function sessionUserOf(
  u: Pick<
    User,
    "id" | "role" | "display_name" | "username" | "uscc" | "region_code" | "must_change_password"
  >,
): SessionUser {
  return {
    id: u.id,
    role: u.role,
    displayName: u.display_name,
    login: (u.username ?? u.uscc)!,
    regionCode: u.region_code,
    mustChangePassword: u.must_change_password === 1,
  };
}

/**
 * A number about the signed-in user that every page shows (the header's unread count), read in the
 * session's own query so that a page pays no database round trip of its own for it: a scalar
 * subquery that may refer to `users.id`. The features hand these in (the platform knows none).
 */
export type SessionFigure = (
  eb: ExpressionBuilder<DB, "sessions" | "users">,
) => AliasableExpression<number | string | bigint | null>;

/** Resolves a cookie token to its user, enforcing the idle and absolute limits. */
export async function readSession(
  ctx: AppContext,
  token: string | undefined,
  figures: Readonly<Record<string, SessionFigure>> = {},
): Promise<SessionUser | null> {
  if (!token || token.length > 100) return null;
  const id = hashToken(token);
  const figureNames = Object.keys(figures);
  const row = await ctx.db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .select([
      "sessions.created_at",
      "sessions.last_seen_at",
      "users.id",
      "users.role",
      "users.display_name",
      "users.username",
      "users.uscc",
      "users.region_code",
      "users.must_change_password",
      "users.disabled_at",
    ])
    .$if(figureNames.length > 0, (q) =>
      q.select((eb) => figureNames.map((name, i) => figures[name](eb).as(`figure_${i}`))),
    )
    .where("sessions.id", "=", id)
    // A session waiting for its second factor is no sign-in at all (see readPendingSession).
    .where("sessions.pending", "is", null)
    .executeTakeFirst();
  if (!row) return null;
  const now = ctx.clock.now().getTime();
  const lastSeen = new Date(row.last_seen_at).getTime();
  if (
    row.disabled_at ||
    now - lastSeen > SESSION_IDLE_MS ||
    now - new Date(row.created_at).getTime() > SESSION_ABSOLUTE_MS
  ) {
    await ctx.db.deleteFrom("sessions").where("id", "=", id).execute();
    return null;
  }
  if (now - lastSeen > TOUCH_EVERY_MS) {
    await ctx.db
      .updateTable("sessions")
      .set({ last_seen_at: new Date(now).toISOString() })
      .where("id", "=", id)
      .execute();
  }
  const user = sessionUserOf(row);
  if (figureNames.length) {
    const values = row as unknown as Record<string, unknown>;
    user.figures = Object.fromEntries(
      figureNames.map((name, i) => [name, Number(values[`figure_${i}`] ?? 0)]),
    );
  }
  return user;
}

export async function deleteSession(ctx: AppContext, token: string | undefined): Promise<void> {
  if (!token) return;
  await ctx.db.deleteFrom("sessions").where("id", "=", hashToken(token)).execute();
}

/** Ends every session of the account, or every one but the browser holding `exceptToken`. */
export async function deleteUserSessions(
  ctx: Pick<AppContext, "db">,
  userId: string,
  opts: { exceptToken?: string } = {},
): Promise<number> {
  let q = ctx.db.deleteFrom("sessions").where("user_id", "=", userId);
  if (opts.exceptToken) q = q.where("id", "!=", hashToken(opts.exceptToken));
  const r = await q.executeTakeFirst();
  return Number(r.numDeletedRows);
}

export interface SessionInfo {
  /** A handle for the page: derived from the stored hash, never the hash or the token itself. */
  ref: string;
  createdAt: string;
  lastSeenAt: string;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
}

const refOf = (id: string) => createHash("sha256").update(`session-ref:${id}`).digest("hex").slice(0, 24);

/** The account's sessions, newest activity first; `current` marks the one holding `token`. */
export async function listUserSessions(
  ctx: Pick<AppContext, "db">,
  userId: string,
  token: string | undefined,
): Promise<SessionInfo[]> {
  const currentId = token ? hashToken(token) : null;
  const rows = await ctx.db
    .selectFrom("sessions")
    .select(["id", "created_at", "last_seen_at", "ip", "user_agent"])
    .where("user_id", "=", userId)
    .where("pending", "is", null)
    .orderBy("last_seen_at", "desc")
    .execute();
  return rows.map((r) => ({
    ref: refOf(r.id),
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    ip: r.ip,
    userAgent: r.user_agent,
    current: r.id === currentId,
  }));
}

/** Ends one session of the account by its page handle; false when there is no such session. */
export async function deleteUserSessionByRef(
  ctx: Pick<AppContext, "db">,
  userId: string,
  ref: string,
): Promise<boolean> {
  const rows = await ctx.db.selectFrom("sessions").select("id").where("user_id", "=", userId).execute();
  const match = rows.find((r) => refOf(r.id) === ref);
  if (!match) return false;
  await ctx.db.deleteFrom("sessions").where("id", "=", match.id).where("user_id", "=", userId).execute();
  return true;
}

// ---- sessions waiting for a second factor ----

/** How long a password-only session may wait for its second factor. */
export const PENDING_SESSION_MS = 5 * 60 * 1000;

export type PendingKind = "verify" | "enrol";

/** A session that has passed the password only: readSession treats it as signed out. */
export async function createPendingSession(
  ctx: AppContext,
  userId: string,
  kind: PendingKind,
  meta: { ip: string | null; userAgent: string | null },
): Promise<string> {
  return insertSession(ctx, userId, meta, kind);
}

/** The pending session behind a cookie token, if it is still young enough and its user active. */
export async function readPendingSession(
  ctx: AppContext,
  token: string | undefined,
): Promise<{ userId: string; kind: PendingKind } | null> {
  if (!token || token.length > 100) return null;
  const id = hashToken(token);
  const row = await ctx.db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .select(["sessions.user_id", "sessions.pending", "sessions.created_at", "users.disabled_at"])
    .where("sessions.id", "=", id)
    .where("sessions.pending", "is not", null)
    .executeTakeFirst();
  if (!row?.pending) return null;
  if (
    row.disabled_at ||
    ctx.clock.now().getTime() - new Date(row.created_at).getTime() > PENDING_SESSION_MS
  ) {
    await ctx.db.deleteFrom("sessions").where("id", "=", id).execute();
    return null;
  }
  return { userId: row.user_id, kind: row.pending };
}
