/** What a token may do (issue 19): read private fields of bases or activities in its region, or post a base's activities. */
export const API_SCOPES = ["read:bases", "read:activities", "write:activities"] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export const API_SCOPE_LABELS: Record<ApiScope, string> = {
  "read:bases": "读取基地（含本区域非公开字段）",
  "read:activities": "读取活动（含本区域非公开字段）",
  "write:activities": "代基地发布活动预告和活动小结",
};

/** Tokens look like `kepu_` + 43 base64url characters (32 random bytes). */
export const TOKEN_PREFIX = "kepu_";
export const TOKEN_PATTERN = /^kepu_[A-Za-z0-9_-]{43}$/;

/** Requests per token per minute before 429. */
export const TOKEN_RATE_LIMIT = { limit: 600, windowMs: 60_000 };

/** The longest expiry an admin may set, in days. */
export const MAX_TOKEN_DAYS = 366;

/** The first characters, shown in the list so an admin can tell tokens apart; never enough to use. */
export const displayPrefix = (token: string): string => token.slice(0, TOKEN_PREFIX.length + 6);

/**
 * The token in an `Authorization: Bearer …` header: null when there is no header, "malformed" when the
 * header is there but holds no well-formed token.
 */
export function bearerToken(header: string | undefined): string | null | "malformed" {
  if (header === undefined || header === "") return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m || !TOKEN_PATTERN.test(m[1])) return "malformed";
  return m[1];
}

export function parseScopes(json: string): ApiScope[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? API_SCOPES.filter((s) => v.includes(s)) : [];
  } catch {
    return [];
  }
}

export type TokenState = "active" | "revoked" | "expired";

export const TOKEN_STATE_LABELS: Record<TokenState, string> = {
  active: "有效",
  revoked: "已吊销",
  expired: "已过期",
};

export function tokenState(t: { revoked_at: string | null; expires_at: string }, now: Date): TokenState {
  if (t.revoked_at) return "revoked";
  if (t.expires_at <= now.toISOString()) return "expired";
  return "active";
}
