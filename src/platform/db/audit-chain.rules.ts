import { createHash } from "node:crypto";

/**
 * The audit log's hash chain. Each row stores the SHA-256 of its canonical content, which
 * includes the previous row's hash, so changing, removing or reordering any row breaks every
 * hash after it. Kept in the platform because the migration that chains existing rows uses it.
 */

/** The `prev_hash` of the first row. */
export const GENESIS_HASH = "0".repeat(64);

/** Bumped if the canonical form ever changes; part of what is hashed. */
const FORM = "kepu-audit-v1";

export interface ChainedFields {
  seq: number;
  id: string;
  at: string;
  actor_id: string | null;
  actor_label: string | null;
  actor_role: string | null;
  ip: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  outcome: string;
  detail: string | null;
}

/**
 * The bytes hashed: a JSON array in a fixed field order. Values are hashed as stored (text as
 * text, absent as null), so both engines give the same hash for the same row.
 */
export function canonicalAuditRow(row: ChainedFields, prevHash: string): string {
  return JSON.stringify([
    FORM,
    Number(row.seq),
    row.id,
    row.at,
    row.actor_id ?? null,
    row.actor_label ?? null,
    row.actor_role ?? null,
    row.ip ?? null,
    row.action,
    row.target_type ?? null,
    row.target_id ?? null,
    row.outcome,
    row.detail ?? null,
    prevHash,
  ]);
}

export function auditRowHash(row: ChainedFields, prevHash: string): string {
  return createHash("sha256").update(canonicalAuditRow(row, prevHash), "utf8").digest("hex");
}

export interface StoredChainRow extends ChainedFields {
  prev_hash: string;
  hash: string;
}

export type ChainBreak =
  | { kind: "gap"; row: StoredChainRow; expectedSeq: number }
  | { kind: "link"; row: StoredChainRow }
  | { kind: "content"; row: StoredChainRow };

/**
 * Checks rows in `seq` order, carrying the state across batches. The first break it finds is the
 * answer: a missing sequence number (a row removed), a `prev_hash` that is not the previous row's
 * hash (rows reordered or removed), or a hash that does not match the content (a row edited).
 */
export class ChainVerifier {
  prevHash = GENESIS_HASH;
  nextSeq = 1;
  checked = 0;

  check(row: StoredChainRow): ChainBreak | null {
    if (Number(row.seq) !== this.nextSeq) return { kind: "gap", row, expectedSeq: this.nextSeq };
    if (row.prev_hash !== this.prevHash) return { kind: "link", row };
    if (auditRowHash(row, row.prev_hash) !== row.hash) return { kind: "content", row };
    this.prevHash = row.hash;
    this.nextSeq++;
    this.checked++;
    return null;
  }
}

/** Caps on what one row may store, so a flood of long requests cannot grow the log without bound. */
export const AUDIT_TEXT_MAX = 200;
export const AUDIT_DETAIL_MAX = 2048;

/** A string cut to `max` characters, marked when cut. */
export function capText(s: string, max = AUDIT_TEXT_MAX): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/**
 * The detail as stored: JSON of at most AUDIT_DETAIL_MAX characters. Over that, a valid JSON
 * object saying so, with the start of the original.
 */
export function capDetail(detail: Record<string, unknown> | undefined): string | null {
  if (!detail) return null;
  const json = JSON.stringify(detail);
  if (json.length <= AUDIT_DETAIL_MAX) return json;
  // Escaping can lengthen the head; shorten it until the whole fits.
  for (let keep = AUDIT_DETAIL_MAX - 100; ; keep = Math.floor(keep / 2)) {
    const out = JSON.stringify({ truncated: true, length: json.length, head: json.slice(0, keep) });
    if (out.length <= AUDIT_DETAIL_MAX) return out;
  }
}
