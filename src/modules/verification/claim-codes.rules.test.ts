import { describe, expect, it } from "vitest";
import {
  CLAIM_CODE_ALPHABET,
  claimCodeExpiry,
  claimCodeUsable,
  formatClaimCode,
  generateClaimCode,
  hashClaimCode,
  normalizeClaimCode,
  parseClaimCode,
} from "./claim-codes.rules.ts";

describe("claim code format", () => {
  it("generates 16 unambiguous characters in four groups", () => {
    const code = generateClaimCode();
    expect(code).toMatch(/^[2-9A-HJ-NP-Z]{4}(-[2-9A-HJ-NP-Z]{4}){3}$/);
    expect(code).not.toMatch(/[01IO]/);
    expect(parseClaimCode(code)).toEqual({ ok: true, value: code.replaceAll("-", "") });
  });

  it("draws every character from the random source", () => {
    let i = 0;
    const code = generateClaimCode(() => i++ % CLAIM_CODE_ALPHABET.length);
    expect(code).toBe("2345-6789-ABCD-EFGH");
  });

  it("accepts what people type: lower case, spaces, full-width characters, other dashes", () => {
    expect(normalizeClaimCode(" abcd efgh－jkmn—pqrs ")).toBe("ABCDEFGHJKMNPQRS");
    expect(parseClaimCode("ａｂｃｄ-efgh-jkmn-pqrs")).toEqual({ ok: true, value: "ABCDEFGHJKMNPQRS" });
  });

  it("refuses wrong lengths and ambiguous characters", () => {
    expect(parseClaimCode("").ok).toBe(false);
    expect(parseClaimCode("ABCD-EFGH-JKMN-PQR").ok).toBe(false);
    expect(parseClaimCode("ABCD-EFGH-JKMN-PQRST").ok).toBe(false);
    expect(parseClaimCode("ABCD-EFGH-JKMN-PQR0").ok).toBe(false);
    expect(parseClaimCode("ABCD-EFGH-JKMN-PQRI").ok).toBe(false);
  });

  it("formats in groups of four and hashes the normalized code only", () => {
    expect(formatClaimCode("ABCDEFGHJKMNPQRS")).toBe("ABCD-EFGH-JKMN-PQRS");
    const h = hashClaimCode("ABCDEFGHJKMNPQRS");
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(h).not.toContain("ABCD");
    expect(hashClaimCode("ABCDEFGHJKMNPQRT")).not.toBe(h);
  });
});

describe("claim code life", () => {
  const issued = new Date("2026-03-01T00:00:00Z");
  const fresh = { expires_at: claimCodeExpiry(issued).toISOString(), used_at: null, voided_at: null };

  it("expires 30 days after issue", () => {
    expect(fresh.expires_at).toBe("2026-03-31T00:00:00.000Z");
    expect(claimCodeUsable(fresh, new Date("2026-03-30T23:59:59Z"))).toEqual({ ok: true });
    expect(claimCodeUsable(fresh, new Date("2026-03-31T00:00:00Z"))).toEqual({
      ok: false,
      reason: "expired",
    });
  });

  it("is single use", () => {
    expect(claimCodeUsable({ ...fresh, used_at: "2026-03-02T00:00:00Z" }, issued)).toEqual({
      ok: false,
      reason: "used",
    });
  });

  it("is void once a newer code is issued", () => {
    expect(claimCodeUsable({ ...fresh, voided_at: "2026-03-02T00:00:00Z" }, issued)).toEqual({
      ok: false,
      reason: "voided",
    });
  });
});
