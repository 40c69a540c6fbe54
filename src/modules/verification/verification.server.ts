import type { Kysely } from "kysely";
import { can, isUnitRole, UNIT_ROLES } from "#src/modules/accounts/accounts.policy.ts";
import { authorize, deniedAsNotFound } from "#src/modules/accounts/authorize.server.ts";
import { recordAudit } from "#src/modules/audit/audit.server.ts";
import { linkBaseAccount } from "#src/modules/bases/base-accounts.server.ts";
import { countFilesBySlot } from "#src/modules/files/files.server.ts";
import { notify, reviewersFor } from "#src/modules/notifications/notifications.server.ts";
import { regionName, regionSubtree } from "#src/modules/regions/regions.server.ts";
import type { Actor, AppContext, SessionUser } from "#src/platform/context.ts";
import type { DB, OrgVerification, VerificationStatus } from "#src/platform/db/schema.ts";
import { AppError } from "#src/platform/errors.ts";
import { newId } from "#src/platform/ids.ts";
import { hitRateLimit, peekRateLimit } from "#src/platform/rate-limit.server.ts";
import {
  CLAIM_CODE_REFUSED,
  claimCodeExpiry,
  claimCodeUsable,
  generateClaimCode,
  hashClaimCode,
  parseClaimCode,
} from "./claim-codes.rules.ts";
import { SUBMIT_NEEDS_VERIFICATION } from "./verification.rules.ts";

export {
  HOW_TO_VERIFY,
  SUBMIT_NEEDS_VERIFICATION,
  VERIFICATION_STATUS_LABELS,
} from "./verification.rules.ts";

/**
 * 单位认证: a self-registered org account starts unverified. It may draft an application but owns no
 * base until county staff approve its documents (营业执照或事业单位法人证书 + 授权委托书), or it enters a
 * claim code (认领码) that county staff printed for a base. See docs and README.
 */

export const VERIFICATION_SLOTS = ["org_license", "org_authorization"] as const;

const CONFLICT = "该认证申请刚刚已被他人处理，请刷新页面查看最新状态。";

/** Failed claim attempts: per account and per IP, counted per hour. */
const CLAIM_LIMIT_ACCOUNT = { limit: 5, windowMs: 60 * 60 * 1000 };
const CLAIM_LIMIT_IP = { limit: 20, windowMs: 60 * 60 * 1000 };

export async function verificationOf(db: Kysely<DB>, userId: string): Promise<OrgVerification | undefined> {
  return db.selectFrom("org_verifications").selectAll().where("user_id", "=", userId).executeTakeFirst();
}

export async function isOrgVerified(db: Kysely<DB>, userId: string): Promise<boolean> {
  return (await verificationOf(db, userId))?.status === "verified";
}

/** For use cases an unverified org may not take (e.g. 提交 an application). */
export async function assertVerifiedOrg(ctx: AppContext, user: SessionUser): Promise<void> {
  if (!isUnitRole(user.role)) return;
  if (!(await isOrgVerified(ctx.db, user.id))) throw new AppError("FORBIDDEN", SUBMIT_NEEDS_VERIFICATION);
}

/** Writes the account's verification row at `status` (creating it on first use). */
async function upsertVerification(
  trx: Kysely<DB>,
  userId: string,
  now: string,
  set: Partial<Omit<OrgVerification, "user_id" | "version" | "created_at">> & { status: VerificationStatus },
): Promise<void> {
  const updated = await trx
    .updateTable("org_verifications")
    .set((eb) => ({ ...set, updated_at: now, version: eb("version", "+", 1) }))
    .where("user_id", "=", userId)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 1) return;
  await trx
    .insertInto("org_verifications")
    .values({
      user_id: userId,
      via: null,
      reason: null,
      submitted_at: null,
      decided_by: null,
      decided_at: null,
      ...set,
      created_at: now,
      updated_at: now,
    })
    .execute();
}

/** Staff-created org accounts are verified from the start: staff vouch for them. */
export async function markVerifiedByStaff(
  ctx: Pick<AppContext, "clock">,
  trx: Kysely<DB>,
  actor: Actor,
  userId: string,
): Promise<void> {
  const now = ctx.clock.now().toISOString();
  await upsertVerification(trx, userId, now, {
    status: "verified",
    via: "staff",
    decided_by: actor.user?.id ?? null,
    decided_at: now,
  });
}

// ---- the org's side ----

export interface MyVerification {
  userId: string;
  status: VerificationStatus;
  via: OrgVerification["via"];
  reason: string | null;
  submittedAt: string | null;
  decidedAt: string | null;
  regionName: string;
  version: number;
  /** Documents may be added or removed (not while waiting for a decision, nor once verified). */
  editable: boolean;
  bases: { id: string; name: string }[];
}

function activeOrg(actor: Actor): SessionUser {
  const user = actor.user;
  if (!user || user.mustChangePassword) throw new AppError("UNAUTHENTICATED", "请先登录");
  if (!isUnitRole(user.role)) throw new AppError("FORBIDDEN", "只有申报单位和学校需要单位认证");
  return user;
}

export async function getMyVerification(ctx: AppContext, actor: Actor): Promise<MyVerification> {
  const me = activeOrg(actor);
  const v = await verificationOf(ctx.db, me.id);
  const status = v?.status ?? "unverified";
  const bases = await ctx.db
    .selectFrom("base_accounts")
    .innerJoin("bases", "bases.id", "base_accounts.base_id")
    .select(["bases.id", "bases.name"])
    .where("base_accounts.user_id", "=", me.id)
    .orderBy("base_accounts.created_at")
    .execute();
  return {
    userId: me.id,
    status,
    via: v?.via ?? null,
    reason: status === "returned" ? (v?.reason ?? null) : null,
    submittedAt: v?.submitted_at ?? null,
    decidedAt: v?.decided_at ?? null,
    regionName: await regionName(ctx, me.regionCode),
    version: v?.version ?? 0,
    editable: status === "unverified" || status === "returned",
    bases,
  };
}

/** 提交认证: both documents are there; the county reviews next. */
export async function submitVerification(ctx: AppContext, actor: Actor): Promise<void> {
  const me = activeOrg(actor);
  const v = await verificationOf(ctx.db, me.id);
  if (v?.status === "verified") throw new AppError("CONFLICT", "贵单位账号已通过认证，无需再次提交。");
  if (v?.status === "pending")
    throw new AppError("CONFLICT", "认证材料已提交，请等待所在县（市、区）科协审核。");
  const counts = await countFilesBySlot(ctx, "org_verification", me.id);
  const missing: Record<string, string> = {};
  if (!counts.org_license) missing.org_license = "请上传营业执照或事业单位法人证书";
  if (!counts.org_authorization) missing.org_authorization = "请上传授权委托书";
  if (Object.keys(missing).length)
    throw new AppError("VALIDATION", "认证材料不全，请上传后再提交。", missing);
  const now = ctx.clock.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    await upsertVerification(trx, me.id, now, {
      status: "pending",
      reason: null,
      submitted_at: now,
      decided_by: null,
      decided_at: null,
    });
    await recordAudit(ctx, trx, actor, {
      action: "verification.submit",
      targetType: "user",
      targetId: me.id,
      detail: { before: { status: v?.status ?? "unverified" }, after: { status: "pending" } },
    });
    await notify(ctx, trx, {
      userIds: await reviewersFor(trx, "county", [me.regionCode]),
      kind: "verification.submitted",
      title: "单位认证待审核",
      body: `“${me.displayName}”提交了单位认证材料，请核对营业执照（或事业单位法人证书）和授权委托书。`,
      link: "/admin/verifications",
    });
  });
}

// ---- files: the documents are the org's own, read by staff in scope ----

/** For the files module: the org itself, or staff who may verify orgs in its region. */
export async function verificationReadRegion(
  ctx: AppContext,
  actor: Actor,
  userId: string,
): Promise<string | null> {
  const user = actor.user;
  if (!user || user.mustChangePassword) return null;
  const org = await ctx.db
    .selectFrom("users")
    .select(["id", "region_code"])
    .where("id", "=", userId)
    .where("role", "in", UNIT_ROLES)
    .executeTakeFirst();
  if (!org) return null;
  if (isUnitRole(user.role)) return user.id === org.id ? org.region_code : null;
  if (!can(user, "orgs:verify")) return null;
  return (await regionSubtree(ctx, user.regionCode)).includes(org.region_code) ? org.region_code : null;
}

/** For the files module: the org itself, while its verification is not waiting or done. */
export async function verificationWriteRegion(
  ctx: AppContext,
  actor: Actor,
  userId: string,
): Promise<string | null> {
  const user = actor.user;
  if (!user || !isUnitRole(user.role) || user.mustChangePassword || user.id !== userId) return null;
  const status = (await verificationOf(ctx.db, userId))?.status ?? "unverified";
  return status === "unverified" || status === "returned" ? user.regionCode : null;
}

// ---- the staff queue ----

export interface VerificationQueueRow {
  userId: string;
  unitName: string;
  uscc: string;
  regionCode: string;
  contactName: string | null;
  phone: string | null;
  status: VerificationStatus;
  reason: string | null;
  submittedAt: string | null;
  decidedAt: string | null;
  version: number;
  /** Bases with the account's USCC, in the reviewer's scope and not yet linked: approval links them. */
  basesToLink: { id: string; name: string }[];
}

async function verifierScope(ctx: AppContext, actor: Actor): Promise<{ me: SessionUser; scope: string[] }> {
  const me = await authorize(ctx, actor, "orgs:verify");
  return { me, scope: await regionSubtree(ctx, me.regionCode) };
}

async function basesToLink(db: Kysely<DB>, userId: string, uscc: string, scope: string[]) {
  if (!scope.length) return [];
  return db
    .selectFrom("bases")
    .select(["bases.id", "bases.name"])
    .where("bases.uscc", "=", uscc)
    .where("bases.region_code", "in", scope)
    .where("bases.status", "!=", "revoked")
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("base_accounts")
            .select("base_accounts.base_id")
            .whereRef("base_accounts.base_id", "=", "bases.id")
            .where("base_accounts.user_id", "=", userId),
        ),
      ),
    )
    .execute();
}

/** 单位认证审核: org accounts in the reviewer's region, waiting ones first (oldest first). */
export async function listVerificationQueue(
  ctx: AppContext,
  actor: Actor,
  opts: { status?: "pending" | "returned" | "verified" } = {},
): Promise<VerificationQueueRow[]> {
  const { scope } = await verifierScope(ctx, actor);
  const status = opts.status ?? "pending";
  const rows = await ctx.db
    .selectFrom("org_verifications")
    .innerJoin("users", "users.id", "org_verifications.user_id")
    .select([
      "users.id",
      "users.display_name",
      "users.uscc",
      "users.region_code",
      "users.contact_name",
      "users.phone",
      "org_verifications.status",
      "org_verifications.reason",
      "org_verifications.submitted_at",
      "org_verifications.decided_at",
      "org_verifications.version",
    ])
    .where("users.role", "in", UNIT_ROLES)
    .where("users.region_code", "in", scope.length ? scope : [""])
    .where("org_verifications.status", "=", status)
    .orderBy(
      status === "pending" ? "org_verifications.submitted_at" : "org_verifications.decided_at",
      status === "pending" ? "asc" : "desc",
    )
    .limit(200)
    .execute();
  const out: VerificationQueueRow[] = [];
  for (const r of rows) {
    out.push({
      userId: r.id,
      unitName: r.display_name,
      uscc: r.uscc ?? "",
      regionCode: r.region_code,
      contactName: r.contact_name,
      phone: r.phone,
      status: r.status,
      reason: r.reason,
      submittedAt: r.submitted_at,
      decidedAt: r.decided_at,
      version: r.version,
      basesToLink: status === "pending" ? await basesToLink(ctx.db, r.id, r.uscc ?? "", scope) : [],
    });
  }
  return out;
}

export interface DecideVerificationInput {
  decision: "approve" | "return";
  reason: string;
  version: number;
}

/**
 * 通过 or 退回 (with a reason the org sees). Approval verifies the account and links the bases with its
 * USCC in the reviewer's scope: the reviewer has checked that the account holder acts for that unit.
 */
export async function decideVerification(
  ctx: AppContext,
  actor: Actor,
  userId: string,
  input: DecideVerificationInput,
): Promise<{ linked: string[] }> {
  const { scope } = await verifierScope(ctx, actor);
  const row = await ctx.db
    .selectFrom("org_verifications")
    .innerJoin("users", "users.id", "org_verifications.user_id")
    .select([
      "users.id",
      "users.uscc",
      "users.display_name",
      "users.region_code",
      "org_verifications.status",
      "org_verifications.version",
    ])
    .where("org_verifications.user_id", "=", userId)
    .where("users.role", "in", UNIT_ROLES)
    .executeTakeFirst();
  if (!row || !scope.includes(row.region_code)) {
    const exists = await ctx.db.selectFrom("users").select("id").where("id", "=", userId).executeTakeFirst();
    return deniedAsNotFound(ctx, actor, { type: "user", id: userId, exists: !!exists });
  }
  if (row.status !== "pending" || row.version !== input.version) throw new AppError("CONFLICT", CONFLICT);
  const reason = input.reason.trim();
  if (input.decision === "return" && !reason)
    throw new AppError("VALIDATION", "退回时请填写理由，申报单位会看到它。", { reason: "请填写退回理由" });
  const now = ctx.clock.now().toISOString();
  const approve = input.decision === "approve";
  return ctx.db.transaction().execute(async (trx) => {
    const moved = await trx
      .updateTable("org_verifications")
      .set((eb) => ({
        status: approve ? ("verified" as const) : ("returned" as const),
        via: approve ? ("documents" as const) : null,
        reason: approve ? null : reason,
        decided_by: actor.user!.id,
        decided_at: now,
        updated_at: now,
        version: eb("version", "+", 1),
      }))
      .where("user_id", "=", userId)
      .where("status", "=", "pending")
      .where("version", "=", input.version)
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1) throw new AppError("CONFLICT", CONFLICT);
    const linked: string[] = [];
    if (approve) {
      for (const b of await basesToLink(trx, userId, row.uscc ?? "", scope)) {
        if (await linkBaseAccount(ctx, trx, actor, { baseId: b.id, userId, via: "verification" }))
          linked.push(b.name);
      }
    }
    await recordAudit(ctx, trx, actor, {
      action: approve ? "verification.approve" : "verification.return",
      targetType: "user",
      targetId: userId,
      detail: {
        before: { status: "pending", version: input.version },
        after: { status: approve ? "verified" : "returned" },
        ...(approve ? { linkedBases: linked } : { reason }),
      },
    });
    await notify(ctx, trx, {
      userIds: [userId],
      kind: approve ? "verification.approved" : "verification.returned",
      title: approve ? "单位认证已通过" : "单位认证被退回",
      body: approve
        ? `贵单位账号已通过单位认证。${linked.length ? `已关联基地：${linked.join("、")}。` : ""}`
        : `贵单位的单位认证被退回：${reason}。请按要求补充材料后重新提交。`,
      link: "/verification",
    });
    return { linked };
  });
}

// ---- claim codes ----

async function staffBaseInScope(ctx: AppContext, actor: Actor, baseId: string) {
  const me = await authorize(ctx, actor, "bases:claim_codes");
  const scope = await regionSubtree(ctx, me.regionCode);
  const base = await ctx.db
    .selectFrom("bases")
    .select(["id", "name", "unit_name", "uscc", "region_code", "status"])
    .where("id", "=", baseId)
    .where("region_code", "in", scope.length ? scope : [""])
    .executeTakeFirst();
  if (!base) {
    const exists = await ctx.db.selectFrom("bases").select("id").where("id", "=", baseId).executeTakeFirst();
    return deniedAsNotFound(ctx, actor, { type: "base", id: baseId, exists: !!exists });
  }
  return base;
}

export interface IssuedClaimCode {
  code: string;
  expiresAt: string;
  baseId: string;
}

/** Issues a new claim code for a base in scope; any earlier unused code of the base is void from now on. */
export async function issueClaimCode(
  ctx: AppContext,
  actor: Actor,
  baseId: string,
): Promise<IssuedClaimCode> {
  const base = await staffBaseInScope(ctx, actor, baseId);
  if (base.status === "revoked") throw new AppError("CONFLICT", "该基地已被撤销命名，不能开具认领码。");
  const now = ctx.clock.now();
  const code = generateClaimCode();
  const expiresAt = claimCodeExpiry(now).toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    const voided = await trx
      .updateTable("base_claim_codes")
      .set({ voided_at: now.toISOString() })
      .where("base_id", "=", baseId)
      .where("used_at", "is", null)
      .where("voided_at", "is", null)
      .executeTakeFirst();
    const id = newId();
    await trx
      .insertInto("base_claim_codes")
      .values({
        id,
        base_id: baseId,
        code_hash: hashClaimCode(parseClaimCodeOrThrow(code)),
        issued_by: actor.user!.id,
        issued_at: now.toISOString(),
        expires_at: expiresAt,
        used_at: null,
        used_by: null,
        voided_at: null,
      })
      .execute();
    // Never the code itself: the audit log is read by more people than the letter.
    await recordAudit(ctx, trx, actor, {
      action: "base.claim_code_issue",
      targetType: "base",
      targetId: baseId,
      detail: { claimCodeId: id, expiresAt, voidedEarlier: Number(voided.numUpdatedRows) },
    });
  });
  return { code, expiresAt, baseId };
}

function parseClaimCodeOrThrow(code: string): string {
  const p = parseClaimCode(code);
  if (!p.ok) throw new Error("generated claim code does not parse");
  return p.value;
}

/** The latest claim code of a base, for staff: when it expires and whether it was used (never the code). */
export async function claimCodeStatus(ctx: AppContext, actor: Actor, baseId: string) {
  const base = await staffBaseInScope(ctx, actor, baseId);
  const row = await ctx.db
    .selectFrom("base_claim_codes")
    .select(["issued_at", "expires_at", "used_at", "voided_at"])
    .where("base_id", "=", baseId)
    .orderBy("issued_at", "desc")
    .executeTakeFirst();
  const linked = await ctx.db
    .selectFrom("base_accounts")
    .innerJoin("users", "users.id", "base_accounts.user_id")
    .select(["users.display_name", "users.uscc", "base_accounts.via", "base_accounts.created_at"])
    .where("base_accounts.base_id", "=", baseId)
    .orderBy("base_accounts.created_at")
    .execute();
  return {
    base: {
      id: base.id,
      name: base.name,
      unitName: base.unit_name,
      uscc: base.uscc,
      revoked: base.status === "revoked",
    },
    latest: row
      ? {
          issuedAt: row.issued_at,
          expiresAt: row.expires_at,
          state: row.used_at
            ? ("used" as const)
            : row.voided_at
              ? ("voided" as const)
              : new Date(row.expires_at) <= ctx.clock.now()
                ? ("expired" as const)
                : ("active" as const),
        }
      : null,
    accounts: linked.map((l) => ({
      unitName: l.display_name,
      uscc: l.uscc ?? "",
      via: l.via,
      at: l.created_at,
    })),
  };
}

export interface ClaimLetter {
  code: string;
  expiresAt: string;
  issuedAt: string;
  baseName: string;
  unitName: string;
  uscc: string;
  issuer: string;
}

/** The letter for a code just issued: staff in scope who hold the code (it is not stored). */
export async function claimLetterFor(
  ctx: AppContext,
  actor: Actor,
  baseId: string,
  typedCode: string,
): Promise<ClaimLetter> {
  const base = await staffBaseInScope(ctx, actor, baseId);
  const parsed = parseClaimCode(typedCode);
  const row = parsed.ok
    ? await ctx.db
        .selectFrom("base_claim_codes")
        .selectAll()
        .where("code_hash", "=", hashClaimCode(parsed.value))
        .where("base_id", "=", baseId)
        .executeTakeFirst()
    : undefined;
  if (!row || !parsed.ok || !claimCodeUsable(row, ctx.clock.now()).ok)
    throw new AppError("NOT_FOUND", "该认领码无效或已失效，请重新开具。");
  return {
    code: typedCode.trim().toUpperCase(),
    expiresAt: row.expires_at,
    issuedAt: row.issued_at,
    baseName: base.name,
    unitName: base.unit_name,
    uscc: base.uscc,
    issuer: `${await regionName(ctx, base.region_code)}科学技术协会`,
  };
}

/**
 * 输入认领码: verifies the account and links the base. Every failure gives the same answer and counts
 * against the account and the IP; the audit records the real reason.
 */
export async function claimBaseWithCode(
  ctx: AppContext,
  actor: Actor,
  typedCode: string,
): Promise<{ baseId: string; baseName: string }> {
  const me = activeOrg(actor);
  const accountKey = `claim:user:${me.id}`;
  const ipKey = actor.ip ? `claim:ip:${actor.ip}` : null;
  for (const [key, lim] of [
    [accountKey, CLAIM_LIMIT_ACCOUNT],
    ...(ipKey ? [[ipKey, CLAIM_LIMIT_IP] as const] : []),
  ] as const) {
    const seen = await peekRateLimit(ctx, key);
    if (seen && seen.count >= lim.limit) {
      await recordAudit(ctx, ctx.db, actor, {
        action: "verification.claim",
        outcome: "failure",
        targetType: "user",
        targetId: me.id,
        detail: { reason: "rate_limited" },
      });
      throw new AppError("RATE_LIMITED", "认领码输入错误次数过多，请1小时后再试。");
    }
  }
  const fail = async (reason: string, baseId?: string): Promise<never> => {
    await hitRateLimit(ctx, accountKey, CLAIM_LIMIT_ACCOUNT);
    if (ipKey) await hitRateLimit(ctx, ipKey, CLAIM_LIMIT_IP);
    await recordAudit(ctx, ctx.db, actor, {
      action: "verification.claim",
      outcome: "failure",
      targetType: "user",
      targetId: me.id,
      detail: { reason, baseId },
    });
    throw new AppError("VALIDATION", CLAIM_CODE_REFUSED, { code: CLAIM_CODE_REFUSED });
  };
  const parsed = parseClaimCode(typedCode);
  if (!parsed.ok) throw new AppError("VALIDATION", parsed.message, { code: parsed.message });
  const row = await ctx.db
    .selectFrom("base_claim_codes")
    .innerJoin("bases", "bases.id", "base_claim_codes.base_id")
    .select([
      "base_claim_codes.id",
      "base_claim_codes.base_id",
      "base_claim_codes.expires_at",
      "base_claim_codes.used_at",
      "base_claim_codes.voided_at",
      "bases.name",
      "bases.status",
    ])
    .where("base_claim_codes.code_hash", "=", hashClaimCode(parsed.value))
    .executeTakeFirst();
  if (!row) return fail("unknown");
  const now = ctx.clock.now();
  const usable = claimCodeUsable(row, now);
  if (!usable.ok) return fail(usable.reason, row.base_id);
  if (row.status === "revoked") return fail("revoked", row.base_id);
  const nowIso = now.toISOString();
  const before = (await verificationOf(ctx.db, me.id))?.status ?? "unverified";
  const won = await ctx.db.transaction().execute(async (trx) => {
    // Single use even under a race: only the update that still finds it unused wins.
    const used = await trx
      .updateTable("base_claim_codes")
      .set({ used_at: nowIso, used_by: me.id })
      .where("id", "=", row.id)
      .where("used_at", "is", null)
      .where("voided_at", "is", null)
      .where("expires_at", ">", nowIso)
      .executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1) return false;
    await linkBaseAccount(ctx, trx, actor, { baseId: row.base_id, userId: me.id, via: "claim_code" });
    if (before !== "verified") {
      await upsertVerification(trx, me.id, nowIso, {
        status: "verified",
        via: "claim_code",
        reason: null,
        decided_by: null,
        decided_at: nowIso,
      });
    }
    await recordAudit(ctx, trx, actor, {
      action: "verification.claim",
      targetType: "user",
      targetId: me.id,
      detail: {
        baseId: row.base_id,
        claimCodeId: row.id,
        before: { status: before },
        after: { status: "verified" },
      },
    });
    await notify(ctx, trx, {
      userIds: [me.id],
      kind: "verification.claimed",
      title: "基地认领成功",
      body: `贵单位账号已通过认领码认证，并关联基地“${row.name}”。`,
      link: "/my-base",
    });
    return true;
  });
  if (!won) return fail("used_concurrently", row.base_id);
  return { baseId: row.base_id, baseName: row.name };
}
