import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerOrgSchema } from "#src/modules/accounts/accounts.schema.ts";
import { REGISTER_REFUSED, registerOrg } from "#src/modules/accounts/accounts.server.ts";
import { ANNOUNCER_REFUSED, checkAnnouncer } from "#src/modules/activities/activities.server.ts";
import { canSeeCertificate, getCertificateBase } from "#src/modules/bases/base-certificate.server.ts";
import { registerBaseFiles } from "#src/modules/bases/bases.files.ts";
import { getOwnBase } from "#src/modules/bases/bases.server.ts";
import { insertBase } from "#src/modules/bases/bases-directory.fixtures.ts";
import { listFiles } from "#src/modules/files/files.server.ts";
import { fixedClock } from "#src/platform/clock.ts";
import type { AppContext, SessionUser } from "#src/platform/context.ts";
import { newId } from "#src/platform/ids.ts";
import {
  actorOf,
  createUserRecord,
  errorOf,
  type MadeUser,
  makeUscc,
} from "../../../tests/support/factories.ts";
import { createTestContext, type TestContext } from "../../../tests/support/test-db.ts";
import { CLAIM_CODE_REFUSED } from "./claim-codes.rules.ts";
import { renderClaimLetterPdf } from "./claim-letter.server.ts";
import { registerVerificationFiles } from "./verification.files.ts";
import {
  claimBaseWithCode,
  claimLetterFor,
  decideVerification,
  getMyVerification,
  issueClaimCode,
  listVerificationQueue,
  submitVerification,
} from "./verification.server.ts";

const clock = fixedClock("2026-03-02T10:00:00+08:00");
let t: TestContext;
let ctx: AppContext;
let dataDir: string;
let longyou: MadeUser;
let jiangshan: MadeUser;
let city: MadeUser;

let ipSeq = 0;
const nextIp = () => {
  ipSeq += 1;
  return `10.0.${Math.floor(ipSeq / 250)}.${ipSeq % 250}`;
};

/** 法人注册 as the form does, from its own IP so the registration limit stays out of the way. */
async function register(uscc: string, regionCode = "330825", ip = nextIp()) {
  const u = await registerOrg(
    ctx,
    { user: null, ip },
    registerOrgSchema.parse({
      uscc,
      unitName: "测试注册单位",
      regionCode,
      contactName: "张三",
      phone: "13800001234",
      password: "Kepu-test-2026",
      confirmPassword: "Kepu-test-2026",
    }),
  );
  return u;
}

/** A document in one of the verification slots, as if uploaded. */
async function addDocument(user: SessionUser, slot: string) {
  await ctx.db
    .insertInto("files")
    .values({
      id: newId(),
      storage_key: `k-${newId()}`,
      original_name: `${slot}.pdf`,
      mime: "application/pdf",
      size: 10,
      sha256: "0",
      kind: "pdf",
      width: null,
      height: null,
      thumb_key: null,
      owner_type: "org_verification",
      owner_id: user.id,
      slot,
      region_code: user.regionCode,
      created_by: user.id,
      created_at: clock.now().toISOString(),
    })
    .execute();
}

async function versionOf(userId: string) {
  return (
    await ctx.db
      .selectFrom("org_verifications")
      .select("version")
      .where("user_id", "=", userId)
      .executeTakeFirstOrThrow()
  ).version;
}

beforeAll(async () => {
  t = await createTestContext({ clock });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "kepu-verify-"));
  ctx = { ...t.ctx, config: { ...t.ctx.config, dataDir } };
  registerBaseFiles();
  registerVerificationFiles();
  longyou = await createUserRecord(ctx, { role: "county", regionCode: "330825" });
  jiangshan = await createUserRecord(ctx, { role: "county", regionCode: "330881" });
  city = await createUserRecord(ctx, { role: "city" });
});
afterAll(async () => {
  await t?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("registering the USCC of an imported base", () => {
  it("gives no access to 我的基地, the certificate, base files or the activity step", async () => {
    const uscc = makeUscc();
    const baseId = await insertBase(ctx, { uscc, region_code: "330825" });
    const org = await register(uscc);
    expect(await getOwnBase(ctx, actorOf(org))).toBeNull();
    expect((await errorOf(getCertificateBase(ctx, actorOf(org), baseId))).code).toBe("NOT_FOUND");
    expect(await canSeeCertificate(ctx, actorOf(org), baseId)).toBe(false);
    // The base's public photos stay public; the owner-only slot does not open.
    expect((await errorOf(listFiles(ctx, actorOf(org), "base_change", baseId))).code).toBe("NOT_FOUND");
    const e = await errorOf(checkAnnouncer(ctx, actorOf(org), baseId, uscc));
    expect(e.message).toBe(ANNOUNCER_REFUSED);
    expect((await getMyVerification(ctx, actorOf(org))).status).toBe("unverified");
  });
});

describe("county verification", () => {
  it("approval verifies the account and links its bases in scope; the org then owns the base", async () => {
    const uscc = makeUscc();
    const baseId = await insertBase(ctx, { uscc, region_code: "330825", name: "龙游认证测试科普教育基地" });
    const org = await register(uscc);
    const missing = await errorOf(submitVerification(ctx, actorOf(org)));
    expect(missing.fieldErrors).toEqual({
      org_license: "请上传营业执照或事业单位法人证书",
      org_authorization: "请上传授权委托书",
    });
    await addDocument(org, "org_license");
    await addDocument(org, "org_authorization");
    await submitVerification(ctx, actorOf(org));
    expect((await getMyVerification(ctx, actorOf(org))).status).toBe("pending");

    const queue = await listVerificationQueue(ctx, actorOf(longyou));
    const row = queue.find((r) => r.userId === org.id)!;
    expect(row.basesToLink.map((b) => b.id)).toEqual([baseId]);
    // Staff of the county read the documents; the city (its region above) too.
    expect(await listFiles(ctx, actorOf(longyou), "org_verification", org.id)).toHaveLength(2);
    expect(await listFiles(ctx, actorOf(city), "org_verification", org.id)).toHaveLength(2);

    const r = await decideVerification(ctx, actorOf(longyou), org.id, {
      decision: "approve",
      reason: "",
      version: row.version,
    });
    expect(r.linked).toEqual(["龙游认证测试科普教育基地"]);
    expect((await getOwnBase(ctx, actorOf(org)))?.base.id).toBe(baseId);
    expect((await getCertificateBase(ctx, actorOf(org), baseId)).id).toBe(baseId);
    expect((await checkAnnouncer(ctx, actorOf(org), baseId, null)).via).toBe("own");
    const inbox = await ctx.db
      .selectFrom("notifications")
      .select("title")
      .where("user_id", "=", org.id)
      .execute();
    expect(inbox.map((n) => n.title)).toContain("单位认证已通过");
    const audit = await ctx.db
      .selectFrom("audit_events")
      .select(["action", "actor_id"])
      .where("target_id", "in", [org.id, baseId])
      .execute();
    expect(audit).toEqual(
      expect.arrayContaining([
        { action: "verification.approve", actor_id: longyou.id },
        { action: "base.link_account", actor_id: longyou.id },
      ]),
    );
    // Deciding again is a conflict.
    expect(
      (
        await errorOf(
          decideVerification(ctx, actorOf(longyou), org.id, {
            decision: "approve",
            reason: "",
            version: row.version,
          }),
        )
      ).code,
    ).toBe("CONFLICT");
  });

  it("a returned verification shows its reason to the org, which may upload again and resubmit", async () => {
    const org = await register(makeUscc());
    await addDocument(org, "org_license");
    await addDocument(org, "org_authorization");
    await submitVerification(ctx, actorOf(org));
    const noReason = await errorOf(
      decideVerification(ctx, actorOf(longyou), org.id, {
        decision: "return",
        reason: " ",
        version: await versionOf(org.id),
      }),
    );
    expect(noReason.fieldErrors?.reason).toBe("请填写退回理由");
    await decideVerification(ctx, actorOf(longyou), org.id, {
      decision: "return",
      reason: "授权委托书未盖公章",
      version: await versionOf(org.id),
    });
    const mine = await getMyVerification(ctx, actorOf(org));
    expect(mine).toMatchObject({ status: "returned", reason: "授权委托书未盖公章", editable: true });
    const inbox = await ctx.db
      .selectFrom("notifications")
      .select("body")
      .where("user_id", "=", org.id)
      .execute();
    expect(inbox.some((n) => n.body.includes("授权委托书未盖公章"))).toBe(true);
    await submitVerification(ctx, actorOf(org));
    expect((await getMyVerification(ctx, actorOf(org))).status).toBe("pending");
  });

  it("a county cannot see or decide an org of another county (404), and the miss is audited", async () => {
    const org = await register(makeUscc(), "330825");
    await addDocument(org, "org_license");
    await addDocument(org, "org_authorization");
    await submitVerification(ctx, actorOf(org));
    expect((await listVerificationQueue(ctx, actorOf(jiangshan))).some((r) => r.userId === org.id)).toBe(
      false,
    );
    const e = await errorOf(
      decideVerification(ctx, actorOf(jiangshan), org.id, {
        decision: "approve",
        reason: "",
        version: await versionOf(org.id),
      }),
    );
    expect(e.code).toBe("NOT_FOUND");
    expect((await errorOf(listFiles(ctx, actorOf(jiangshan), "org_verification", org.id))).code).toBe(
      "NOT_FOUND",
    );
    const denied = await ctx.db
      .selectFrom("audit_events")
      .select("action")
      .where("actor_id", "=", jiangshan.id)
      .where("target_id", "=", org.id)
      .execute();
    expect(denied.map((d) => d.action)).toContain("access.denied");
    expect((await getMyVerification(ctx, actorOf(org))).status).toBe("pending");
  });
});

describe("claim codes", () => {
  it("a claim code verifies the account and links the base; used once, it fails the second time", async () => {
    const baseId = await insertBase(ctx, { region_code: "330825", name: "认领码测试科普教育基地" });
    const issued = await issueClaimCode(ctx, actorOf(longyou), baseId);
    const stored = await ctx.db
      .selectFrom("base_claim_codes")
      .selectAll()
      .where("base_id", "=", baseId)
      .execute();
    expect(stored).toHaveLength(1);
    expect(stored[0].code_hash).not.toContain(issued.code.replaceAll("-", ""));
    const issueAudit = await ctx.db
      .selectFrom("audit_events")
      .select("detail")
      .where("action", "=", "base.claim_code_issue")
      .where("target_id", "=", baseId)
      .executeTakeFirstOrThrow();
    expect(issueAudit.detail).not.toContain(issued.code);

    const letter = await claimLetterFor(ctx, actorOf(longyou), baseId, issued.code);
    const pdf = await renderClaimLetterPdf(letter, "https://kepu.example.cn");
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");

    const org = await register(makeUscc());
    const r = await claimBaseWithCode(ctx, actorOf(org), issued.code.toLowerCase());
    expect(r.baseId).toBe(baseId);
    expect((await getMyVerification(ctx, actorOf(org))).status).toBe("verified");
    expect((await getOwnBase(ctx, actorOf(org)))?.base.id).toBe(baseId);

    const other = await register(makeUscc());
    const again = await errorOf(claimBaseWithCode(ctx, actorOf(other), issued.code));
    expect(again.message).toBe(CLAIM_CODE_REFUSED);
    expect(await getOwnBase(ctx, actorOf(other))).toBeNull();
  });

  it("an expired code and a code voided by a newer one fail with the same answer", async () => {
    const baseId = await insertBase(ctx, { region_code: "330825" });
    const first = await issueClaimCode(ctx, actorOf(longyou), baseId);
    const second = await issueClaimCode(ctx, actorOf(longyou), baseId);
    const org = await register(makeUscc());
    const voided = await errorOf(claimBaseWithCode(ctx, actorOf(org), first.code));
    expect(voided.message).toBe(CLAIM_CODE_REFUSED);
    clock.advance(31 * 24 * 3600 * 1000);
    try {
      const expired = await errorOf(claimBaseWithCode(ctx, actorOf(org), second.code));
      expect(expired.message).toBe(CLAIM_CODE_REFUSED);
    } finally {
      clock.set("2026-03-02T10:00:00+08:00");
    }
    expect(await getOwnBase(ctx, actorOf(org))).toBeNull();
    const reasons = await ctx.db
      .selectFrom("audit_events")
      .select("detail")
      .where("action", "=", "verification.claim")
      .where("target_id", "=", org.id)
      .orderBy("id")
      .execute();
    expect(reasons.map((a) => JSON.parse(a.detail ?? "{}").reason)).toEqual(["voided", "expired"]);
  });

  it("claims are rate-limited per account", async () => {
    const org = await register(makeUscc());
    for (let i = 0; i < 5; i++)
      expect(
        (await errorOf(claimBaseWithCode(ctx, { user: org, ip: null }, "ABCD-EFGH-JKMN-PQRS"))).message,
      ).toBe(CLAIM_CODE_REFUSED);
    expect((await errorOf(claimBaseWithCode(ctx, { user: org, ip: null }, "ABCD-EFGH-JKMN-PQRT"))).code).toBe(
      "RATE_LIMITED",
    );
  });

  it("staff issue codes only for bases in scope (404 otherwise)", async () => {
    const baseId = await insertBase(ctx, { region_code: "330825" });
    expect((await errorOf(issueClaimCode(ctx, actorOf(jiangshan), baseId))).code).toBe("NOT_FOUND");
    const org = await register(makeUscc());
    expect((await errorOf(issueClaimCode(ctx, actorOf(org), baseId))).code).toBe("FORBIDDEN");
  });
});

describe("registration", () => {
  it("a USCC that already has an account gets the neutral answer, and the audit records the truth", async () => {
    const uscc = makeUscc();
    await register(uscc);
    const again = await errorOf(register(uscc));
    expect(again.message).toBe(REGISTER_REFUSED);
    expect(again.fieldErrors).toEqual({ uscc: REGISTER_REFUSED });
    expect(again.message).not.toContain("该统一社会信用代码已注册");
    const audit = await ctx.db
      .selectFrom("audit_events")
      .select(["outcome", "detail"])
      .where("action", "=", "account.register")
      .where("actor_label", "=", uscc)
      .orderBy("id")
      .execute();
    expect(audit.map((a) => [a.outcome, JSON.parse(a.detail ?? "{}").reason])).toEqual([
      ["success", undefined],
      ["failure", "uscc_taken"],
    ]);
  });

  it("is limited to 5 attempts per IP per hour", async () => {
    for (let i = 0; i < 5; i++) await register(makeUscc(), "330825", "10.9.9.9");
    const e = await errorOf(register(makeUscc(), "330825", "10.9.9.9"));
    expect(e.code).toBe("RATE_LIMITED");
    // Another address is not affected.
    expect((await register(makeUscc(), "330825", "10.9.9.10")).role).toBe("org");
    clock.advance(3600 * 1000);
    try {
      expect((await register(makeUscc(), "330825", "10.9.9.9")).role).toBe("org");
    } finally {
      clock.set("2026-03-02T10:00:00+08:00");
    }
  });
});
