/** `audit:verify` and `audit:export`; loaded only when one of them runs. */
import fs from "node:fs";
import path from "node:path";
import { exportAuditArchive, verifyAuditChain } from "#src/modules/audit/audit-chain.server.ts";
import { formatShanghai } from "#src/platform/clock.ts";
import type { CliIo } from "./cli.ts";
import { loadCliConfig, withDatabase } from "./database.ts";
import { CliFailure, UsageError } from "./errors.ts";

const KIND_TEXT = {
  content: "内容与其哈希不符（记录被改动）",
  link: "前一条哈希不符（记录被删除、插入或调换）",
  gap: "序号不连续（之前的记录被删除）",
  head: "链尾与记录不符（最后的记录被删除）",
} as const;

export async function runAuditVerify(io: CliIo): Promise<void> {
  await withDatabase(loadCliConfig(io.env), async ({ ctx, where }) => {
    const r = await verifyAuditChain(ctx);
    if (!r.broken) {
      io.out(`审计日志哈希链完整：共 ${r.checked} 条记录（数据库：${where}）。`);
      return;
    }
    const b = r.broken;
    const which = b.id
      ? `第 ${b.seq} 条记录（id ${b.id}，时间 ${formatShanghai(b.at)}）`
      : `第 ${b.seq} 条及之后的记录`;
    throw new CliFailure(
      `审计日志哈希链在${which}处断开：${KIND_TEXT[b.kind]}。此前 ${r.checked} 条记录完好（数据库：${where}）。`,
    );
  });
}

export async function runAuditExport(io: CliIo, opts: { before: string; out: string }): Promise<void> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(opts.before) || Number.isNaN(Date.parse(opts.before)))
    throw new UsageError("--before 须为日期，如 2026-01-01（北京时间当日零点之前的记录）", "audit:export");
  const key = io.env.KEPU_SECRET_KEY ?? "";
  if (key.length < 32)
    throw new CliFailure(
      "请设置 KEPU_SECRET_KEY（至少32个字符）：归档的签名（HMAC-SHA256）用它生成，核验时也需要它。",
    );
  const out = path.resolve(opts.out);
  if (fs.existsSync(out)) throw new CliFailure(`文件已存在，不会覆盖：${out}`);
  const before = new Date(`${opts.before}T00:00:00+08:00`);
  await withDatabase(loadCliConfig(io.env), async ({ ctx }) => {
    const a = await exportAuditArchive(ctx, { before, outFile: out, key });
    io.out(
      [
        `已导出 ${a.rows} 条审计记录（${opts.before} 之前${a.rows ? `，序号 ${a.firstSeq}–${a.lastSeq}` : ""}）：`,
        `  ${out}`,
        `  ${out}.sig（SHA-256 ${a.sha256}，HMAC-SHA256 签名）`,
        "数据库中的记录未删除（审计日志只增不删）。请把两个文件一起保存到数据库以外的位置。",
      ].join("\n"),
    );
  });
}
