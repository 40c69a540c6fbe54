import { describe, expect, it } from "vitest";
import {
  AUDIT_DETAIL_MAX,
  auditRowHash,
  ChainVerifier,
  canonicalAuditRow,
  capDetail,
  capText,
  GENESIS_HASH,
  type StoredChainRow,
} from "./audit-chain.rules.ts";

const base = {
  id: "0190a000-0000-7000-8000-000000000001",
  at: "2026-03-10T02:00:00.000Z",
  actor_id: null,
  actor_label: "alice",
  actor_role: "admin",
  ip: "10.0.0.1",
  action: "auth.login",
  target_type: null,
  target_id: null,
  outcome: "success",
  detail: '{"a":1}',
};

function chain(n: number): StoredChainRow[] {
  const rows: StoredChainRow[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const r = { ...base, seq: i, id: `${base.id.slice(0, -2)}${String(i).padStart(2, "0")}` };
    const hash = auditRowHash(r, prev);
    rows.push({ ...r, prev_hash: prev, hash });
    prev = hash;
  }
  return rows;
}

describe("canonical form", () => {
  it("is a fixed-order JSON array, the same for undefined and null", () => {
    const c = canonicalAuditRow({ ...base, seq: 1 }, GENESIS_HASH);
    expect(JSON.parse(c)).toEqual([
      "kepu-audit-v1",
      1,
      base.id,
      base.at,
      null,
      "alice",
      "admin",
      "10.0.0.1",
      "auth.login",
      null,
      null,
      "success",
      '{"a":1}',
      GENESIS_HASH,
    ]);
    const withUndefined = { ...base, seq: 1, target_type: undefined as unknown as null };
    expect(canonicalAuditRow(withUndefined, GENESIS_HASH)).toBe(c);
  });

  it("hashes to SHA-256 hex, changing with any field and with the previous hash", () => {
    const h = auditRowHash({ ...base, seq: 1 }, GENESIS_HASH);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(auditRowHash({ ...base, seq: 1, detail: '{"a":2}' }, GENESIS_HASH)).not.toBe(h);
    expect(auditRowHash({ ...base, seq: 2 }, GENESIS_HASH)).not.toBe(h);
    expect(auditRowHash({ ...base, seq: 1 }, "1".repeat(64))).not.toBe(h);
    // A seq read back as a string (some drivers) hashes the same.
    expect(auditRowHash({ ...base, seq: "1" as unknown as number }, GENESIS_HASH)).toBe(h);
  });
});

describe("ChainVerifier", () => {
  it("accepts an intact chain", () => {
    const v = new ChainVerifier();
    for (const r of chain(5)) expect(v.check(r)).toBeNull();
    expect(v.checked).toBe(5);
  });

  it("names an edited row", () => {
    const rows = chain(5);
    rows[2] = { ...rows[2], detail: '{"a":"edited"}' };
    const v = new ChainVerifier();
    const breaks = rows.map((r) => v.check(r)).filter(Boolean);
    expect(breaks[0]).toMatchObject({ kind: "content", row: { seq: 3 } });
  });

  it("names the row after a removed one, and a row whose link was rewritten", () => {
    const rows = chain(5);
    const v = new ChainVerifier();
    expect([rows[0], rows[1], rows[3]].map((r) => v.check(r))[2]).toMatchObject({
      kind: "gap",
      expectedSeq: 3,
      row: { seq: 4 },
    });
    // Re-hashed after an edit, but the next row still points to the old hash.
    const forged = { ...rows[1], detail: "{}" };
    forged.hash = auditRowHash(forged, forged.prev_hash);
    const w = new ChainVerifier();
    expect([rows[0], forged, rows[2]].map((r) => w.check(r))[2]).toMatchObject({
      kind: "link",
      row: { seq: 3 },
    });
  });
});

describe("caps", () => {
  it("cut long text and mark it", () => {
    expect(capText("abc", 5)).toBe("abc");
    const cut = capText("x".repeat(500));
    expect(cut).toHaveLength(200);
    expect(cut.endsWith("…")).toBe(true);
  });

  it("keep detail as valid JSON within 2 KB", () => {
    expect(capDetail(undefined)).toBeNull();
    expect(capDetail({ a: 1 })).toBe('{"a":1}');
    const big = capDetail({ path: "/x".repeat(10_000) })!;
    expect(big.length).toBeLessThanOrEqual(AUDIT_DETAIL_MAX);
    expect(JSON.parse(big)).toMatchObject({ truncated: true, length: 20_011 });
    // Quotes double when escaped again; still within the cap.
    const quoted = capDetail({ q: '"'.repeat(5000) })!;
    expect(quoted.length).toBeLessThanOrEqual(AUDIT_DETAIL_MAX);
    expect(JSON.parse(quoted).truncated).toBe(true);
  });
});
