import { createHash, createHmac } from "node:crypto";
import fs from "node:fs";
import readline from "node:readline";
import { pipeline } from "node:stream/promises";
import zlib from "node:zlib";
import type { AppContext } from "#src/platform/context.ts";
import { type ChainBreak, ChainVerifier } from "#src/platform/db/audit-chain.rules.ts";

export interface ChainReport {
  /** Rows whose hash and link checked out, from the first. */
  checked: number;
  /** The chain's end as `audit_head` records it. */
  headSeq: number;
  /** The first problem, if any. */
  broken?: { kind: ChainBreak["kind"] | "head"; id: string | null; at: string | null; seq: number };
}

const BATCH = 2000;

/**
 * Walks the whole chain in `seq` order and stops at the first break: an edited row, a removed one
 * (a gap, or rows missing after the last), or a re-linked one. Reads in batches by `seq`.
 */
export async function verifyAuditChain(ctx: AppContext): Promise<ChainReport> {
  const head = await ctx.db
    .selectFrom("audit_head")
    .selectAll()
    .where("id", "=", 1)
    .executeTakeFirstOrThrow();
  const v = new ChainVerifier();
  let after = 0;
  for (;;) {
    const rows = await ctx.db
      .selectFrom("audit_events")
      .selectAll()
      .where("seq", ">", after)
      .orderBy("seq")
      .limit(BATCH)
      .execute();
    for (const r of rows) {
      const broken = v.check(r);
      if (broken)
        return {
          checked: v.checked,
          headSeq: Number(head.seq),
          broken: { kind: broken.kind, id: r.id, at: r.at, seq: Number(r.seq) },
        };
    }
    if (rows.length < BATCH) break;
    after = Number(rows[rows.length - 1].seq);
  }
  // Rows cut off the end leave the head pointing past the last one.
  if (Number(head.seq) !== v.nextSeq - 1 || head.hash !== v.prevHash)
    return {
      checked: v.checked,
      headSeq: Number(head.seq),
      broken: { kind: "head", id: null, at: null, seq: v.nextSeq },
    };
  return { checked: v.checked, headSeq: Number(head.seq) };
}

export interface AuditArchive {
  rows: number;
  firstSeq: number | null;
  lastSeq: number | null;
  /** The `hash` of the last row archived: the next row's `prev_hash` in the database. */
  lastHash: string | null;
  sha256: string;
  hmac: string;
}

/**
 * Writes the rows dated before `before` to `outFile` as gzip JSON Lines (one row per line, every
 * column, chain hashes included) and beside it `<outFile>.sig`: JSON with the file's SHA-256 and
 * an HMAC-SHA256 of the file made with `key` (KEPU_SECRET_KEY), so a copy kept off the database
 * can later be shown unaltered. Rows are not deleted: the log is append-only.
 */
export async function exportAuditArchive(
  ctx: AppContext,
  opts: { before: Date; outFile: string; key: string },
): Promise<AuditArchive> {
  const beforeIso = opts.before.toISOString();
  let rows = 0;
  let firstSeq: number | null = null;
  let lastSeq: number | null = null;
  let lastHash: string | null = null;
  const db = ctx.db;
  async function* lines() {
    let after = 0;
    for (;;) {
      const batch = await db
        .selectFrom("audit_events")
        .selectAll()
        .where("seq", ">", after)
        .where("at", "<", beforeIso)
        .orderBy("seq")
        .limit(BATCH)
        .execute();
      let out = "";
      for (const r of batch) {
        out += `${JSON.stringify({ ...r, seq: Number(r.seq) })}\n`;
        rows++;
        firstSeq ??= Number(r.seq);
        lastSeq = Number(r.seq);
        lastHash = r.hash;
      }
      if (out) yield out;
      if (batch.length < BATCH) return;
      after = Number(batch[batch.length - 1].seq);
    }
  }
  const tmp = `${opts.outFile}.part`;
  await pipeline(lines, zlib.createGzip(), fs.createWriteStream(tmp, { flags: "wx", mode: 0o600 }));
  fs.renameSync(tmp, opts.outFile);
  const sha256 = createHash("sha256");
  const hmac = createHmac("sha256", opts.key);
  for await (const chunk of fs.createReadStream(opts.outFile)) {
    sha256.update(chunk);
    hmac.update(chunk);
  }
  const archive: AuditArchive = {
    rows,
    firstSeq,
    lastSeq,
    lastHash,
    sha256: sha256.digest("hex"),
    hmac: hmac.digest("hex"),
  };
  const sig = {
    format: "kepu-audit-archive-v1",
    file: opts.outFile.split(/[\\/]/).pop(),
    before: beforeIso,
    createdAt: ctx.clock.now().toISOString(),
    algorithm: "HMAC-SHA256",
    keySource: "KEPU_SECRET_KEY",
    ...archive,
  };
  fs.writeFileSync(`${opts.outFile}.sig`, `${JSON.stringify(sig, null, 2)}\n`, { mode: 0o600 });
  return archive;
}

/** Checks an archive against its `.sig`: the HMAC with `key`, and the chain inside it. */
export async function verifyAuditArchive(
  file: string,
  key: string,
): Promise<{ ok: boolean; rows: number; problem?: string }> {
  const sig = JSON.parse(fs.readFileSync(`${file}.sig`, "utf8")) as AuditArchive;
  const hmac = createHmac("sha256", key);
  for await (const chunk of fs.createReadStream(file)) hmac.update(chunk);
  if (hmac.digest("hex") !== sig.hmac)
    return { ok: false, rows: 0, problem: "签名不符（文件被改动或密钥不同）" };
  const v = new ChainVerifier();
  let rows = 0;
  const input = fs.createReadStream(file).pipe(zlib.createGunzip());
  for await (const line of readline.createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    if (!line) continue;
    const r = JSON.parse(line);
    if (rows === 0) {
      // An archive may start mid-chain: trust its first link, check everything after.
      v.prevHash = r.prev_hash;
      v.nextSeq = r.seq;
    }
    const broken = v.check(r);
    if (broken) return { ok: false, rows, problem: `第 ${r.seq} 条记录（${r.id}）与哈希链不符` };
    rows++;
  }
  return { ok: rows === sig.rows, rows, problem: rows === sig.rows ? undefined : "行数与签名文件不符" };
}
