import { authorize } from "#src/modules/accounts/authorize.server.ts";
import { recordAudit } from "#src/modules/audit/audit.server.ts";
import { shanghaiDate } from "#src/modules/bases/bases.rules.ts";
import { listRegions, regionSubtree } from "#src/modules/regions/regions.server.ts";
import type { Actor, AppContext, SessionUser } from "#src/platform/context.ts";
import { AppError } from "#src/platform/errors.ts";
import { newId } from "#src/platform/ids.ts";
import { hitRateLimit } from "#src/platform/rate-limit.server.ts";
import { hashToken, newTokenSecret } from "./api-token-secret.server.ts";
import {
  type ApiScope,
  displayPrefix,
  MAX_TOKEN_DAYS,
  parseScopes,
  TOKEN_RATE_LIMIT,
  type TokenState,
  tokenState,
} from "./api-tokens.rules.ts";
import type { IssueTokenInput } from "./api-tokens.schema.ts";

const DAY_MS = 86_400_000;
const NOT_FOUND = "未找到该令牌";

export interface ApiTokenRow {
  id: string;
  name: string;
  prefix: string;
  scopes: ApiScope[];
  regionCode: string | null;
  regionName: string | null;
  baseId: string | null;
  baseName: string | null;
  expiresAt: string;
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
  state: TokenState;
}

/** 【API令牌】: every token, newest first, with its state. */
export async function listApiTokens(ctx: AppContext, actor: Actor): Promise<ApiTokenRow[]> {
  await authorize(ctx, actor, "api-tokens:manage");
  const rows = await ctx.db
    .selectFrom("api_tokens")
    .leftJoin("bases", "bases.id", "api_tokens.base_id")
    .innerJoin("users", "users.id", "api_tokens.created_by")
    .selectAll("api_tokens")
    .select(["bases.name as base_name", "users.display_name as creator"])
    .orderBy("api_tokens.created_at", "desc")
    .orderBy("api_tokens.id", "desc")
    .limit(500)
    .execute();
  const regions = new Map((await listRegions(ctx)).map((r) => [r.code, r.name]));
  const now = ctx.clock.now();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    scopes: parseScopes(r.scopes),
    regionCode: r.region_code,
    regionName: r.region_code ? (regions.get(r.region_code) ?? r.region_code) : null,
    baseId: r.base_id,
    baseName: r.base_name,
    expiresAt: r.expires_at,
    createdAt: r.created_at,
    createdBy: r.creator,
    revokedAt: r.revoked_at,
    lastUsedAt: r.last_used_at,
    state: tokenState(r, now),
  }));
}

/** The form's suggested expiry: 90 days from today (Asia/Shanghai). */
export function defaultTokenExpiry(ctx: AppContext): string {
  return shanghaiDate(new Date(ctx.clock.now().getTime() + 90 * DAY_MS));
}

/** 【签发令牌】: the token itself is returned once and only its hash is kept. */
export async function issueApiToken(
  ctx: AppContext,
  actor: Actor,
  input: IssueTokenInput,
): Promise<{ id: string; token: string }> {
  const me = await authorize(ctx, actor, "api-tokens:manage");
  const now = ctx.clock.now();
  const today = shanghaiDate(now);
  const lastDay = shanghaiDate(new Date(now.getTime() + MAX_TOKEN_DAYS * DAY_MS));
  if (input.expiresOn <= today)
    throw new AppError("VALIDATION", "有效期须晚于今天", { expiresOn: "有效期须晚于今天" });
  if (input.expiresOn > lastDay)
    throw new AppError("VALIDATION", `有效期最长${MAX_TOKEN_DAYS}天`, {
      expiresOn: `有效期最长${MAX_TOKEN_DAYS}天，最晚至 ${lastDay}`,
    });
  const regionCode = input.regionCode || null;
  if (regionCode && !(await listRegions(ctx)).some((r) => r.code === regionCode))
    throw new AppError("VALIDATION", "所选区域不存在", { regionCode: "所选区域不存在" });
  const baseId = input.baseId || null;
  if (baseId) {
    const base = await ctx.db
      .selectFrom("bases")
      .select(["id", "region_code", "status"])
      .where("id", "=", baseId)
      .executeTakeFirst();
    if (!base || base.status === "revoked")
      throw new AppError("VALIDATION", "所选基地不存在或已撤销命名", {
        baseId: "所选基地不存在或已撤销命名",
      });
    if (regionCode && !(await regionSubtree(ctx, regionCode)).includes(base.region_code))
      throw new AppError("VALIDATION", "所选基地不在令牌的区域范围内", {
        baseId: "所选基地不在令牌的区域范围内",
      });
    if (input.scopes.includes("write:activities") && !(await baseOrgUser(ctx, baseId)))
      throw new AppError("VALIDATION", "该基地还没有关联的法人账号，不能代其发布活动", {
        baseId: "该基地还没有关联的法人账号，不能代其发布活动",
      });
  }
  const token = newTokenSecret();
  const id = newId();
  // The end of the chosen day in Asia/Shanghai.
  const expiresAt = new Date(new Date(`${input.expiresOn}T00:00:00+08:00`).getTime() + DAY_MS).toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto("api_tokens")
      .values({
        id,
        name: input.name,
        token_hash: hashToken(token),
        prefix: displayPrefix(token),
        scopes: JSON.stringify(input.scopes),
        region_code: regionCode,
        base_id: baseId,
        expires_at: expiresAt,
        created_by: me.id,
        created_at: now.toISOString(),
        revoked_at: null,
        revoked_by: null,
        last_used_at: null,
      })
      .execute();
    await recordAudit(ctx, trx, actor, {
      action: "api_token.issue",
      targetType: "api_token",
      targetId: id,
      detail: { name: input.name, scopes: input.scopes, regionCode, baseId, expiresAt },
    });
  });
  return { id, token };
}

/** 【吊销】: the next request with the token is refused. */
export async function revokeApiToken(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  const me = await authorize(ctx, actor, "api-tokens:manage");
  await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom("api_tokens")
      .select(["id", "name"])
      .where("id", "=", id)
      .executeTakeFirst();
    if (!row) throw new AppError("NOT_FOUND", NOT_FOUND);
    const r = await trx
      .updateTable("api_tokens")
      .set({ revoked_at: ctx.clock.now().toISOString(), revoked_by: me.id })
      .where("id", "=", id)
      .where("revoked_at", "is", null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new AppError("CONFLICT", "该令牌已被吊销");
    await recordAudit(ctx, trx, actor, {
      action: "api_token.revoke",
      targetType: "api_token",
      targetId: id,
      detail: { name: row.name },
    });
  });
}

/** Who calls with a token: what it may do and where. */
export interface ApiPrincipal {
  tokenId: string;
  name: string;
  scopes: ApiScope[];
  /** The regions whose private data it reads: its region and below; null for the whole city. */
  regions: string[] | null;
  baseId: string | null;
}

const refused = () => new AppError("UNAUTHENTICATED", "令牌无效、已过期或已被吊销");

/**
 * The principal of a bearer token, looked up on every request (so a revocation holds at once), and one
 * hit on its rate limit. Unknown, expired and revoked tokens get the same answer.
 */
export async function authenticateApiToken(ctx: AppContext, token: string): Promise<ApiPrincipal> {
  const row = await ctx.db
    .selectFrom("api_tokens")
    .select(["id", "name", "scopes", "region_code", "base_id", "revoked_at", "expires_at"])
    .where("token_hash", "=", hashToken(token))
    .executeTakeFirst();
  if (!row || tokenState(row, ctx.clock.now()) !== "active") throw refused();
  const hit = await hitRateLimit(ctx, `api-token:${row.id}`, TOKEN_RATE_LIMIT);
  if (hit.blocked) throw new AppError("RATE_LIMITED", "请求过于频繁，请稍后再试");
  return {
    tokenId: row.id,
    name: row.name,
    scopes: parseScopes(row.scopes),
    regions: row.region_code ? await regionSubtree(ctx, row.region_code) : null,
    baseId: row.base_id,
  };
}

/** The audit entry of one use of a token, and its last use. */
export async function recordTokenUse(
  ctx: AppContext,
  principal: ApiPrincipal,
  use: { method: string; path: string; status: number; ip: string | null },
): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable("api_tokens")
      .set({ last_used_at: ctx.clock.now().toISOString() })
      .where("id", "=", principal.tokenId)
      .execute();
    await recordAudit(
      ctx,
      trx,
      { user: null, ip: use.ip },
      {
        action: "api.request",
        outcome:
          use.status < 400 ? "success" : use.status === 401 || use.status === 403 ? "denied" : "failure",
        targetType: "api_token",
        targetId: principal.tokenId,
        actorLabel: `API令牌：${principal.name}`,
        detail: { method: use.method, path: use.path.slice(0, 200), status: use.status },
      },
    );
  });
}

/** The base's linked org account: a `write:activities` token posts as it, under the form's rules. */
async function baseOrgUser(ctx: AppContext, baseId: string): Promise<SessionUser | null> {
  const u = await ctx.db
    .selectFrom("base_accounts")
    .innerJoin("users", "users.id", "base_accounts.user_id")
    .select([
      "users.id",
      "users.role",
      "users.display_name",
      "users.uscc",
      "users.username",
      "users.region_code",
    ])
    .where("base_accounts.base_id", "=", baseId)
    .where("users.disabled_at", "is", null)
    .where("users.role", "=", "org")
    .orderBy("users.id")
    .executeTakeFirst();
  if (!u) return null;
  return {
    id: u.id,
    role: u.role,
    displayName: u.display_name,
    login: u.uscc ?? u.username ?? u.id,
    regionCode: u.region_code,
    mustChangePassword: false,
  };
}

/**
 * The actor a `write:activities` token acts as: its base's org account, so the activities module's own
 * checks (the base is the org's own, the rules of the form) apply unchanged.
 */
export async function writerFor(ctx: AppContext, principal: ApiPrincipal, ip: string | null): Promise<Actor> {
  if (!principal.scopes.includes("write:activities") || !principal.baseId)
    throw new AppError("FORBIDDEN", "该令牌没有发布活动的权限（write:activities）");
  const user = await baseOrgUser(ctx, principal.baseId);
  if (!user) throw new AppError("FORBIDDEN", "该令牌的基地没有关联的法人账号");
  return { user, ip };
}
