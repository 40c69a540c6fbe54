import { describe, expect, it } from "vitest";
import {
  checkTotp,
  currentTotp,
  groupSecret,
  isTotpCode,
  isTwoFactorRequired,
  newRecoveryCodes,
  newTotpSecret,
  normalizeRecoveryCode,
  normalizeTotpCode,
  otpauthUri,
  parseRequiredRoles,
} from "./two-factor.rules.ts";

// RFC 6238 appendix B: the SHA-1 seed "12345678901234567890", as base32.
const RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const T = 59_000; // step 1; the RFC's 8-digit code there is 94287082, so 6 digits: 287082

describe("TOTP codes", () => {
  it("computes RFC 6238 codes (SHA-1, 6 digits, 30 s)", () => {
    expect(currentTotp(RFC_SECRET, T)).toBe("287082");
    expect(currentTotp(RFC_SECRET, 1_111_111_109_000)).toBe("081804");
  });

  it("accepts six digits with spaces or a dash, nothing else", () => {
    expect(normalizeTotpCode(" 287 082 ")).toBe("287082");
    expect(isTotpCode("287-082")).toBe(true);
    expect(isTotpCode("28708")).toBe(false);
    expect(isTotpCode("2870821")).toBe(false);
    expect(isTotpCode("28708a")).toBe(false);
    expect(checkTotp(RFC_SECRET, "abcdef", T, null)).toEqual({ ok: false, reason: "malformed" });
  });

  it("accepts the current step and one either side, and says which step it was", () => {
    const at = 30_000 * 100 + 5_000; // step 100
    expect(checkTotp(RFC_SECRET, currentTotp(RFC_SECRET, at), at, null)).toEqual({ ok: true, step: 100 });
    expect(checkTotp(RFC_SECRET, currentTotp(RFC_SECRET, at - 30_000), at, null)).toEqual({
      ok: true,
      step: 99,
    });
    expect(checkTotp(RFC_SECRET, currentTotp(RFC_SECRET, at + 30_000), at, null)).toEqual({
      ok: true,
      step: 101,
    });
    expect(checkTotp(RFC_SECRET, currentTotp(RFC_SECRET, at - 60_000), at, null)).toEqual({
      ok: false,
      reason: "wrong",
    });
  });

  it("refuses a step at or before the last accepted one as a replay", () => {
    const at = 30_000 * 100 + 5_000;
    const code = currentTotp(RFC_SECRET, at);
    expect(checkTotp(RFC_SECRET, code, at, 100)).toEqual({ ok: false, reason: "replayed" });
    expect(checkTotp(RFC_SECRET, currentTotp(RFC_SECRET, at - 30_000), at, 100)).toEqual({
      ok: false,
      reason: "replayed",
    });
    expect(checkTotp(RFC_SECRET, code, at, 99)).toEqual({ ok: true, step: 100 });
    // The next step is still open after the current one was used.
    expect(checkTotp(RFC_SECRET, currentTotp(RFC_SECRET, at + 30_000), at, 100)).toEqual({
      ok: true,
      step: 101,
    });
  });

  it("makes 160-bit base32 secrets and an otpauth URI with the issuer and the username", () => {
    const a = newTotpSecret();
    expect(a).toMatch(/^[A-Z2-7]{32}$/);
    expect(newTotpSecret()).not.toBe(a);
    const uri = otpauthUri(a, "admin");
    expect(uri).toMatch(/^otpauth:\/\/totp\//);
    const parsed = new URL(uri);
    expect(decodeURIComponent(parsed.pathname)).toBe("/科普基地服务平台:admin");
    expect(parsed.searchParams.get("issuer")).toBe("科普基地服务平台");
    expect(parsed.searchParams.get("secret")).toBe(a);
    expect(parsed.searchParams.get("digits")).toBe("6");
    expect(parsed.searchParams.get("period")).toBe("30");
    expect(parsed.searchParams.get("algorithm")).toBe("SHA1");
    expect(groupSecret("ABCDEFGHIJ")).toBe("ABCD EFGH IJ");
  });
});

describe("recovery codes", () => {
  it("makes ten distinct codes of the form xxxxx-xxxxx without look-alike characters", () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[a-hjkmnp-z2-9]{5}-[a-hjkmnp-z2-9]{5}$/);
  });

  it("normalizes case, spaces and dashes, and rejects anything that cannot be a code", () => {
    expect(normalizeRecoveryCode(" ABCDE-fghjk ")).toBe("abcdefghjk");
    expect(normalizeRecoveryCode("abcde fghjk")).toBe("abcdefghjk");
    expect(normalizeRecoveryCode("abcde-fghj")).toBeNull();
    expect(normalizeRecoveryCode("abcde-fghj0")).toBeNull();
    expect(normalizeRecoveryCode("abcde-fghjl")).toBeNull();
    expect(normalizeRecoveryCode("123456")).toBeNull();
  });
});

describe("roles that require a second factor", () => {
  it("defaults to admin and office when the setting is absent or unreadable", () => {
    expect(parseRequiredRoles(null)).toEqual(["office", "admin"]);
    expect(parseRequiredRoles("not json")).toEqual(["office", "admin"]);
    expect(parseRequiredRoles('{"a":1}')).toEqual(["office", "admin"]);
  });

  it("keeps only staff roles from the stored list; an empty list requires none", () => {
    expect(parseRequiredRoles('["county","org","nobody","admin"]')).toEqual(["county", "admin"]);
    expect(parseRequiredRoles("[]")).toEqual([]);
  });

  it("never requires one of an organization", () => {
    expect(isTwoFactorRequired("admin", ["admin"])).toBe(true);
    expect(isTwoFactorRequired("city", ["admin"])).toBe(false);
    expect(isTwoFactorRequired("org", ["org" as never])).toBe(false);
  });
});
