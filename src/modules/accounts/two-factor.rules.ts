import { randomInt } from "node:crypto";
import { Secret, TOTP } from "otpauth";
import type { Role } from "#src/platform/db/schema.ts";
import { STAFF_ROLES } from "./accounts.policy.ts";

/** The name authenticator apps show above the code. */
export const TOTP_ISSUER = "科普基地服务平台";
/** RFC 6238 as every authenticator app does it: SHA-1, 6 digits, 30 s. */
const TOTP_PARAMS = { algorithm: "SHA1", digits: 6, period: 30 } as const;
/** One step either side, for a phone whose clock is a little off. */
export const TOTP_WINDOW = 1;

export const RECOVERY_CODE_COUNT = 10;
/** Lower-case letters and digits without the look-alikes 0/o, 1/l/i. */
export const RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";
const RECOVERY_LENGTH = 10;

export const DEFAULT_REQUIRED_ROLES: Role[] = ["admin", "office"];

/** A fresh 160-bit secret, base32 as apps expect it. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totp(secretBase32: string, username = ""): TOTP {
  return new TOTP({
    ...TOTP_PARAMS,
    issuer: TOTP_ISSUER,
    label: username,
    secret: Secret.fromBase32(secretBase32),
  });
}

/** The otpauth:// URI the QR code carries. */
export function otpauthUri(secretBase32: string, username: string): string {
  return totp(secretBase32, username).toString();
}

/** The secret in groups of four, easier to type into an app by hand. */
export function groupSecret(secretBase32: string): string {
  return secretBase32.replace(/(.{4})(?=.)/g, "$1 ");
}

/** The code at `atMs`, for the demo hint and for tests. */
export function currentTotp(secretBase32: string, atMs: number): string {
  return totp(secretBase32).generate({ timestamp: atMs });
}

/** Spaces and dashes a user may type or paste are dropped. */
export function normalizeTotpCode(input: string): string {
  return input.replace(/[\s-]/g, "");
}

export const isTotpCode = (input: string): boolean => /^\d{6}$/.test(normalizeTotpCode(input));

export type TotpCheck =
  | { ok: true; step: number }
  | { ok: false; reason: "malformed" | "wrong" | "replayed" };

/**
 * Checks a code against the secret at `atMs`. A code whose step is not after `lastStep` (the last
 * one accepted for this user) is a replay, even inside the window.
 */
export function checkTotp(
  secretBase32: string,
  input: string,
  atMs: number,
  lastStep: number | null,
): TotpCheck {
  const token = normalizeTotpCode(input);
  if (!isTotpCode(token)) return { ok: false, reason: "malformed" };
  const t = totp(secretBase32);
  const delta = t.validate({ token, timestamp: atMs, window: TOTP_WINDOW });
  if (delta === null) return { ok: false, reason: "wrong" };
  const step = t.counter({ timestamp: atMs }) + delta;
  if (lastStep !== null && step <= lastStep) return { ok: false, reason: "replayed" };
  return { ok: true, step };
}

/** Ten characters shown as xxxxx-xxxxx. */
export function newRecoveryCode(): string {
  let s = "";
  for (let i = 0; i < RECOVERY_LENGTH; i++) s += RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)];
  return `${s.slice(0, 5)}-${s.slice(5)}`;
}

export function newRecoveryCodes(n = RECOVERY_CODE_COUNT): string[] {
  const codes = new Set<string>();
  while (codes.size < n) codes.add(newRecoveryCode());
  return [...codes];
}

/** The form a recovery code is hashed in: lower case, no spaces or dashes; null if it cannot be one. */
export function normalizeRecoveryCode(input: string): string | null {
  const s = input.toLowerCase().replace(/[\s-]/g, "");
  if (s.length !== RECOVERY_LENGTH) return null;
  for (const c of s) if (!RECOVERY_ALPHABET.includes(c)) return null;
  return s;
}

/** The stored setting (a JSON list of roles); absent or unreadable means the default. */
export function parseRequiredRoles(value: string | null): Role[] {
  let list: unknown = DEFAULT_REQUIRED_ROLES;
  try {
    if (value !== null) list = JSON.parse(value);
  } catch {
    // unreadable: the default
  }
  const roles = Array.isArray(list) ? list : DEFAULT_REQUIRED_ROLES;
  return STAFF_ROLES.filter((r) => roles.includes(r));
}

/** Organizations sign in with a USCC and have no second factor; staff roles may require one. */
export function isTwoFactorRequired(role: Role, requiredRoles: readonly Role[]): boolean {
  return role !== "org" && role !== "school" && requiredRoles.includes(role);
}
