import { enableTwoFactorWithSecret } from "#src/modules/accounts/two-factor.server.ts";
import { usccCheckChar } from "#src/modules/accounts/uscc.rules.ts";
import { formatCertificateNo } from "#src/modules/bases/bases.rules.ts";
import { endOfShanghaiDay } from "#src/modules/calls/calls.rules.ts";
import { insertCall } from "#src/modules/calls/calls.server.ts";
import { getSetting, putSetting } from "#src/modules/settings/settings.server.ts";
import { hashClaimCode, normalizeClaimCode } from "#src/modules/verification/claim-codes.rules.ts";
import { hashPassword } from "#src/platform/auth/password.server.ts";
import type { AppContext } from "#src/platform/context.ts";
import { CATEGORIES } from "#src/platform/db/reference-data.ts";
import type { Role } from "#src/platform/db/schema.ts";
import { newId } from "#src/platform/ids.ts";
import { seedDemoActivities } from "./seed-demo-activities.server.ts";
import { seedDemoApplications } from "./seed-demo-applications.server.ts";
import { seedDemoArticles } from "./seed-demo-articles.server.ts";
import { seedDemoBases } from "./seed-demo-bases.server.ts";
import { seedDemoEvaluation } from "./seed-demo-evaluation.server.ts";
import { seedDemoNotices } from "./seed-demo-notices.server.ts";
import { seedDemoSchools } from "./seed-demo-schools.server.ts";
import { DEMO_CLAIM_CODE, markDemoVerified, seedDemoVerification } from "./seed-demo-verification.server.ts";
import { seedDemoVolunteers } from "./seed-demo-volunteers.server.ts";

export const DEMO_FLAG = "demo_data";
export const DEMO_PASSWORD = "Kepu-demo-2026";
/**
 * The demo admin and office accounts must use a second factor (their roles require one). Their
 * authenticator secret is public like the password, so a newcomer can add it to any app, and the
 * sign-in page shows its current code while the database holds demo data.
 */
export const DEMO_TOTP_SECRET = "KEPUDEMOKEPUDEMOKEPUDEMOKEPUDEMO";
export const DEMO_TOTP_LOGINS = ["admin", "office"];

const orgUscc = (body: string) => body + usccCheckChar(body);

export interface DemoAccount {
  role: Role;
  kind: "org" | "staff";
  login: string;
  name: string;
  regionCode: string;
}

export const DEMO_ACCOUNTS: DemoAccount[] = [
  { role: "admin", kind: "staff", login: "admin", name: "系统管理员（演示）", regionCode: "330800" },
  { role: "office", kind: "staff", login: "office", name: "市基地认定办公室（演示）", regionCode: "330800" },
  { role: "city", kind: "staff", login: "city", name: "市科协综合业务部（演示）", regionCode: "330800" },
  { role: "evaluator", kind: "staff", login: "evaluator", name: "评价小组（演示）", regionCode: "330800" },
  { role: "county", kind: "staff", login: "longyou", name: "龙游县科协（演示）", regionCode: "330825" },
  { role: "county", kind: "staff", login: "jiangshan", name: "江山市科协（演示）", regionCode: "330881" },
  { role: "county", kind: "staff", login: "kecheng", name: "柯城区科协（演示）", regionCode: "330802" },
  { role: "county", kind: "staff", login: "qujiang", name: "衢江区科协（演示）", regionCode: "330803" },
  { role: "county", kind: "staff", login: "changshan", name: "常山县科协（演示）", regionCode: "330822" },
  { role: "county", kind: "staff", login: "kaihua", name: "开化县科协（演示）", regionCode: "330824" },
  {
    role: "org",
    kind: "org",
    login: orgUscc("12330825MB0000001"),
    name: "龙游县演示科技馆（演示）",
    regionCode: "330825",
  },
];

/** The line printed under the demo account list. */
export function demoTwoFactorNote(): string {
  return `${DEMO_TOTP_LOGINS.join("、")} 须双因素认证：用验证器应用扫描或输入密钥 ${DEMO_TOTP_SECRET}（公开，仅供体验）；演示数据下验证页面也会显示当前验证码。`;
}

export async function hasDemoData(ctx: Pick<AppContext, "db">): Promise<boolean> {
  return (await getSetting(ctx, DEMO_FLAG)) === "1";
}

/** Seeds the demo accounts, the open 8th-batch call and applications at every review stage. Refuses a database that already has users. */
export async function seedDemo(ctx: AppContext): Promise<DemoAccount[]> {
  const existing = await ctx.db.selectFrom("users").select("id").limit(1).executeTakeFirst();
  if (existing) throw new Error("数据库中已有用户，不能写入演示数据");
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const now = ctx.clock.now();
  const iso = now.toISOString();
  const callId = await ctx.db.transaction().execute(async (trx) => {
    for (const a of DEMO_ACCOUNTS) {
      const userId = newId();
      await trx
        .insertInto("users")
        .values({
          id: userId,
          role: a.role,
          username: a.kind === "staff" ? a.login : null,
          uscc: a.kind === "org" ? a.login : null,
          display_name: a.name,
          contact_name: a.kind === "org" ? "王演示" : null,
          phone: "13800000000",
          region_code: a.regionCode,
          password_hash: passwordHash,
          must_change_password: 0,
          disabled_at: null,
          last_login_at: null,
          created_at: iso,
          updated_at: iso,
        })
        .execute();
      if (a.kind === "org") await markDemoVerified(trx, userId, iso);
      if (DEMO_TOTP_LOGINS.includes(a.login))
        await enableTwoFactorWithSecret(ctx, trx, userId, DEMO_TOTP_SECRET);
    }
    const shanghaiToday = new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
    const closes = new Date(now.getTime() + 60 * 86400_000 + 8 * 3600_000).toISOString().slice(0, 10);
    const id = await insertCall(
      { ...ctx, db: trx },
      {
        kind: "科普教育基地项目认定",
        batchNo: 8,
        title: "第八批衢州市科普教育基地创建",
        level: "city",
        regionCode: "330800",
        opensAt: new Date(`${shanghaiToday}T00:00:00+08:00`).toISOString(),
        closesAt: endOfShanghaiDay(closes),
        categoryCodes: CATEGORIES.map((c) => c.code),
        targets: { "330802": 6, "330803": 6, "330825": 6, "330822": 6, "330881": 6, "330824": 6 },
        notice:
          "为深入贯彻党的二十大精神，决定开展第八批衢州市科普教育基地创建工作。申报条件详见《衢州市科普教育基地创建与认定管理办法》（附件1）和《科普教育基地申报表》（附件2）。已被认定为衢州市科普教育基地或已经在平台申报的，无需再填报。各县（市、区）基地新申报创建数不少于6家。（演示数据）",
        createdBy: null,
      },
    );
    // 第十九条: 龙游县科协 runs its own county-level call beside the city's.
    await insertCall(
      { ...ctx, db: trx },
      {
        kind: "县级科普教育基地认定",
        batchNo: 1,
        title: "第一批龙游县科普教育基地认定（演示数据）",
        level: "county",
        regionCode: "330825",
        opensAt: new Date(`${shanghaiToday}T00:00:00+08:00`).toISOString(),
        closesAt: endOfShanghaiDay(closes),
        categoryCodes: CATEGORIES.map((c) => c.code),
        targets: { "330825": 5 },
        notice:
          "根据《衢州市科普教育基地创建与认定管理办法》第十九条，龙游县科协组织开展县级科普教育基地认定，由县科协审核、认定并颁发证书。县级科普教育基地可申报市级科普教育基地。（演示数据）",
        createdBy: null,
        issuers: ["龙游县科学技术协会"],
        documentNo: "",
      },
    );
    await putSetting({ db: trx }, DEMO_FLAG, "1");
    return id;
  });
  await seedDemoApplications(ctx, callId, passwordHash);
  await seedDemoBases(ctx);
  await markDemoCountyBase(ctx);
  await seedDemoNotices(ctx, callId);
  const activityAccounts = await seedDemoActivities(ctx, passwordHash);
  const verification = await seedDemoVerification(ctx, passwordHash);
  await seedDemoVolunteers(ctx);
  const schoolAccounts = await seedDemoSchools(ctx, passwordHash);
  await seedDemoEvaluation(ctx);
  await seedDemoArticles(ctx);
  return [...DEMO_ACCOUNTS, ...activityAccounts, ...verification.accounts, ...schoolAccounts];
}

/** One demo base of 龙游县 named by the county (第十九条), so the directory's 县级 filter shows something. */
async function markDemoCountyBase(ctx: AppContext): Promise<void> {
  const base = await ctx.db
    .selectFrom("bases")
    .select(["id", "recognized_year"])
    .where("region_code", "=", "330825")
    .where("org_id", "is", null)
    .where("status", "=", "active")
    .orderBy("name")
    .executeTakeFirst();
  if (!base) return;
  await ctx.db
    .updateTable("bases")
    .set({
      level: "county",
      batch_no: 1,
      certificate_no: formatCertificateNo(base.recognized_year, 1, 1, "龙游科普"),
    })
    .where("id", "=", base.id)
    .execute();
}

/** The demo claim-code letter, while its code is unused: for the terminal, next to the demo accounts. */
export async function demoClaimCodeLine(ctx: Pick<AppContext, "db" | "clock">): Promise<string | null> {
  const row = await ctx.db
    .selectFrom("base_claim_codes")
    .innerJoin("bases", "bases.id", "base_claim_codes.base_id")
    .select(["bases.name", "base_claim_codes.expires_at"])
    .where("base_claim_codes.code_hash", "=", hashClaimCode(normalizeClaimCode(DEMO_CLAIM_CODE)))
    .where("base_claim_codes.used_at", "is", null)
    .executeTakeFirst();
  if (!row) return null;
  return `演示认领码 ${DEMO_CLAIM_CODE}：“${row.name}”的账号认领函（注册该基地的统一社会信用代码后，在【单位认证】输入）`;
}
