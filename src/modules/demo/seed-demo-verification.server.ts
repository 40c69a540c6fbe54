import { Readable } from "node:stream";
import type { Kysely } from "kysely";
import PDFDocument from "pdfkit";
import { usccCheckChar } from "#src/modules/accounts/uscc.rules.ts";
import {
  CLAIM_CODE_TTL_DAYS,
  claimCodeExpiry,
  hashClaimCode,
  normalizeClaimCode,
} from "#src/modules/verification/claim-codes.rules.ts";
import type { AppContext } from "#src/platform/context.ts";
import type { DB } from "#src/platform/db/schema.ts";
import { newId } from "#src/platform/ids.ts";
import { newStorageKey, openStorage } from "#src/platform/storage/index.ts";
import type { DemoAccount } from "./seed-demo.server.ts";

/**
 * 单位认证 demo data: an unverified org whose documents wait in 龙游县's queue (its USCC is that of an
 * imported demo base, which approval links), a verified org, and a claim-code letter issued by 江山市
 * for one of its bases. The demo claim code is fixed so the README and the terminal can show it.
 */
export const DEMO_CLAIM_CODE = "KEPU-DEMX-JS26-CLAM";
const PENDING_BASE = "龙游县博物馆科普教育基地";
const CLAIM_BASE_REGION = "330881";

/** Marks a demo org account verified (demo accounts stand for units staff already know). */
export async function markDemoVerified(db: Kysely<DB>, userId: string, at: string): Promise<void> {
  await db
    .insertInto("org_verifications")
    .values({
      user_id: userId,
      status: "verified",
      via: "staff",
      created_at: at,
      updated_at: at,
      decided_at: at,
    })
    .execute();
}

async function demoPdf(title: string): Promise<Buffer> {
  const doc = new PDFDocument({ size: "A4" });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise((r) => doc.on("end", r));
  doc.fontSize(18).text(`Demo document: ${title}`, 72, 72);
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

async function storeDocument(ctx: AppContext, userId: string, regionCode: string, slot: string) {
  const storage = openStorage(ctx.config);
  const key = newStorageKey(ctx.clock);
  const stored = await storage.put(key, Readable.from([await demoPdf(slot)]));
  await ctx.db
    .insertInto("files")
    .values({
      id: newId(),
      storage_key: key,
      original_name: slot === "org_license" ? "营业执照-演示.pdf" : "授权委托书-演示.pdf",
      mime: "application/pdf",
      size: stored.size,
      sha256: stored.sha256,
      kind: "pdf",
      width: null,
      height: null,
      thumb_key: null,
      owner_type: "org_verification",
      owner_id: userId,
      slot,
      region_code: regionCode,
      created_by: userId,
      created_at: ctx.clock.now().toISOString(),
    })
    .execute();
}

export interface DemoVerification {
  accounts: DemoAccount[];
  claim: { code: string; baseName: string; expiresAt: string } | null;
}

export async function seedDemoVerification(ctx: AppContext, passwordHash: string): Promise<DemoVerification> {
  const now = ctx.clock.now();
  const iso = now.toISOString();
  const staff = async (username: string) =>
    (await ctx.db.selectFrom("users").select("id").where("username", "=", username).executeTakeFirst())?.id ??
    null;
  const pendingBase = await ctx.db
    .selectFrom("bases")
    .select(["uscc", "unit_name", "region_code"])
    .where("name", "=", PENDING_BASE)
    .executeTakeFirst();
  const claimBase = await ctx.db
    .selectFrom("bases")
    .select(["id", "name"])
    .where("region_code", "=", CLAIM_BASE_REGION)
    .where("status", "!=", "revoked")
    .orderBy("uscc")
    .executeTakeFirst();
  const verifiedBody = "12330803MC0000001";
  const orgs = [
    ...(pendingBase
      ? [
          {
            uscc: pendingBase.uscc,
            name: `${pendingBase.unit_name.replace(/（演示）$/, "")}（演示·待认证）`,
            regionCode: pendingBase.region_code,
            pending: true,
          },
        ]
      : []),
    {
      uscc: verifiedBody + usccCheckChar(verifiedBody),
      name: "衢江区青少年科技中心（演示·已认证）",
      regionCode: "330803",
      pending: false,
    },
  ];
  const accounts: DemoAccount[] = [];
  const qujiang = await staff("qujiang");
  for (const o of orgs) {
    const id = newId();
    await ctx.db.transaction().execute(async (trx) => {
      await trx
        .insertInto("users")
        .values({
          id,
          role: "org",
          username: null,
          uscc: o.uscc,
          display_name: o.name,
          contact_name: "周演示",
          phone: "13800000000",
          region_code: o.regionCode,
          password_hash: passwordHash,
          must_change_password: 0,
          disabled_at: null,
          last_login_at: null,
          created_at: iso,
          updated_at: iso,
        })
        .execute();
      await trx
        .insertInto("org_verifications")
        .values({
          user_id: id,
          status: o.pending ? "pending" : "verified",
          via: o.pending ? null : "documents",
          submitted_at: iso,
          decided_by: o.pending ? null : qujiang,
          decided_at: o.pending ? null : iso,
          created_at: iso,
          updated_at: iso,
        })
        .execute();
    });
    for (const slot of ["org_license", "org_authorization"]) await storeDocument(ctx, id, o.regionCode, slot);
    accounts.push({ role: "org", kind: "org", login: o.uscc, name: o.name, regionCode: o.regionCode });
  }
  let claim: DemoVerification["claim"] = null;
  if (claimBase) {
    const expiresAt = claimCodeExpiry(now, CLAIM_CODE_TTL_DAYS).toISOString();
    await ctx.db
      .insertInto("base_claim_codes")
      .values({
        id: newId(),
        base_id: claimBase.id,
        code_hash: hashClaimCode(normalizeClaimCode(DEMO_CLAIM_CODE)),
        issued_by: await staff("jiangshan"),
        issued_at: iso,
        expires_at: expiresAt,
        used_at: null,
        used_by: null,
        voided_at: null,
      })
      .execute();
    claim = { code: DEMO_CLAIM_CODE, baseName: claimBase.name, expiresAt };
  }
  return { accounts, claim };
}
