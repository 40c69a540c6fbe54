/**
 * Claim codes (认领码): a one-time code that county staff print in a letter for a base's organization.
 * 16 characters from 32 unambiguous ones (no 0/O, 1/I): 80 bits, shown as four groups (ABCD-EFGH-JKLM-NPQR).
 * Pure rules; the server keeps only `hashClaimCode` of a code.
 */
import { createHash, randomInt } from "node:crypto";

export const CLAIM_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
export const CLAIM_CODE_LENGTH = 16;
export const CLAIM_CODE_TTL_DAYS = 30;
const DAY_MS = 24 * 3600 * 1000;

/** A fresh random code, grouped for printing. */
export function generateClaimCode(pick: (n: number) => number = randomInt): string {
  let raw = "";
  for (let i = 0; i < CLAIM_CODE_LENGTH; i++) raw += CLAIM_CODE_ALPHABET[pick(CLAIM_CODE_ALPHABET.length)];
  return formatClaimCode(raw);
}

export function formatClaimCode(raw: string): string {
  return raw.match(/.{1,4}/g)?.join("-") ?? raw;
}

/** Upper-cases, turns full-width into half-width, and drops spaces and dashes people type between groups. */
export function normalizeClaimCode(input: string): string {
  return (input ?? "")
    .replace(/[\uFF01-\uFF5E]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .replace(/[\s\-－—_]+/g, "")
    .toUpperCase();
}

export type ClaimCodeParse = { ok: true; value: string } | { ok: false; message: string };

export function parseClaimCode(input: string): ClaimCodeParse {
  const value = normalizeClaimCode(input);
  if (!value) return { ok: false, message: "请输入认领码" };
  if (value.length !== CLAIM_CODE_LENGTH || [...value].some((c) => !CLAIM_CODE_ALPHABET.includes(c)))
    return { ok: false, message: "认领码应为16位字母和数字（可带短横线），请对照认领函核对" };
  return { ok: true, value };
}

/** The stored form of a code: SHA-256 of its normalized characters (80 random bits need no slow hash). */
export function hashClaimCode(normalized: string): string {
  return createHash("sha256").update(`kepu-claim:${normalized}`).digest("hex");
}

export function claimCodeExpiry(issuedAt: Date, days = CLAIM_CODE_TTL_DAYS): Date {
  return new Date(issuedAt.getTime() + days * DAY_MS);
}

export interface ClaimCodeState {
  expires_at: string;
  used_at: string | null;
  voided_at: string | null;
}

export type ClaimCodeUsable = { ok: true } | { ok: false; reason: "used" | "voided" | "expired" };

/** Whether a stored code may still be used at `now`: not used, not replaced by a newer one, not expired. */
export function claimCodeUsable(code: ClaimCodeState, now: Date): ClaimCodeUsable {
  if (code.used_at) return { ok: false, reason: "used" };
  if (code.voided_at) return { ok: false, reason: "voided" };
  if (now.getTime() >= new Date(code.expires_at).getTime()) return { ok: false, reason: "expired" };
  return { ok: true };
}

/** One answer for every failed claim, so a guess learns nothing about which codes exist. */
export const CLAIM_CODE_REFUSED =
  "认领码无效、已使用或已过期。请核对认领函；如仍有问题，请联系所在县（市、区）科协重新开具。";
