import { describe, expect, it } from "vitest";
import { hashToken, newTokenSecret } from "./api-token-secret.server.ts";
import { bearerToken, displayPrefix, parseScopes, TOKEN_PREFIX, tokenState } from "./api-tokens.rules.ts";

describe("API tokens", () => {
  it("makes distinct 32-byte tokens with the kepu_ prefix that the header parser accepts", () => {
    const a = newTokenSecret();
    const b = newTokenSecret();
    expect(a).not.toBe(b);
    expect(a.startsWith(TOKEN_PREFIX)).toBe(true);
    expect(Buffer.from(a.slice(TOKEN_PREFIX.length), "base64url")).toHaveLength(32);
    expect(bearerToken(`Bearer ${a}`)).toBe(a);
    expect(bearerToken(`bearer ${a} `)).toBe(a);
  });

  it("tells a missing header from a malformed one", () => {
    expect(bearerToken(undefined)).toBeNull();
    expect(bearerToken("")).toBeNull();
    expect(bearerToken("Basic abc")).toBe("malformed");
    expect(bearerToken("Bearer kepu_short")).toBe("malformed");
    expect(bearerToken(`Bearer ${newTokenSecret()}x`)).toBe("malformed");
  });

  it("stores a SHA-256 hex digest and shows only a short prefix", () => {
    const t = newTokenSecret();
    expect(hashToken(t)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(t)).not.toContain(t.slice(5, 15));
    expect(displayPrefix(t)).toHaveLength(11);
    expect(t.startsWith(displayPrefix(t))).toBe(true);
  });

  it("keeps only known scopes", () => {
    expect(parseScopes('["read:bases","admin","write:activities"]')).toEqual([
      "read:bases",
      "write:activities",
    ]);
    expect(parseScopes("not json")).toEqual([]);
    expect(parseScopes('{"a":1}')).toEqual([]);
  });

  it("is revoked before it is expired", () => {
    const now = new Date("2026-06-01T00:00:00Z");
    expect(tokenState({ revoked_at: null, expires_at: "2026-06-02T00:00:00.000Z" }, now)).toBe("active");
    expect(tokenState({ revoked_at: null, expires_at: "2026-06-01T00:00:00.000Z" }, now)).toBe("expired");
    expect(
      tokenState({ revoked_at: "2026-05-01T00:00:00.000Z", expires_at: "2025-01-01T00:00:00.000Z" }, now),
    ).toBe("revoked");
  });
});
