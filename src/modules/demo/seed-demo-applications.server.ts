import { Readable } from "node:stream";
import PDFDocument from "pdfkit";
import sharp from "sharp";
import { usccCheckChar } from "#src/modules/accounts/uscc.rules.ts";
import { APPLICATION_SLOTS } from "#src/modules/applications/application-attachments.server.ts";
import { BASIC_CONDITIONS } from "#src/modules/applications/applications.rules.ts";
import { draftFromForm } from "#src/modules/applications/applications.schema.ts";
import {
  recordSiteInspection,
  reviewApplication,
  saveDraft,
  startApplication,
  submitApplication,
} from "#src/modules/applications/applications.server.ts";
import type { AppContext, SessionUser } from "#src/platform/context.ts";
import type { Role } from "#src/platform/db/schema.ts";
import { newId } from "#src/platform/ids.ts";
import { newStorageKey, openStorage } from "#src/platform/storage/index.ts";
import { markDemoVerified } from "./seed-demo-verification.server.ts";

interface DemoApplicant {
  unit: string;
  regionCode: string;
  category: string;
  /** How far the review has come. */
  stage: "county_review" | "city_review" | "office_confirmation" | "returned" | "proposed";
}

const APPLICANTS: DemoApplicant[] = [
  {
    unit: "柯城区青少年科技活动中心",
    regionCode: "330802",
    category: "science_venue",
    stage: "county_review",
  },
  {
    unit: "江山市仙霞岭省级自然保护区管理中心",
    regionCode: "330881",
    category: "natural_resources",
    stage: "city_review",
  },
  { unit: "常山县地质博物馆", regionCode: "330822", category: "culture_venue", stage: "office_confirmation" },
  { unit: "开化县现代农业示范园", regionCode: "330824", category: "agriculture", stage: "returned" },
  { unit: "衢江区智能制造产业园", regionCode: "330803", category: "enterprise", stage: "proposed" },
  // Left on the 拟认定名单 for a newcomer to publish from 公示管理 (the one above is already under notice).
  {
    unit: "龙游县龙游石窟景区管理处",
    regionCode: "330825",
    category: "natural_resources",
    stage: "proposed",
  },
];

const COLORS = ["#4f8bd6", "#6fb36f", "#d6a24f", "#b35fa8", "#4fb3b3"];

async function demoImage(i: number): Promise<Buffer> {
  return sharp({ create: { width: 800, height: 600, channels: 3, background: COLORS[i % COLORS.length] } })
    .jpeg({ quality: 70 })
    .toBuffer();
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

async function storeDemoFile(
  ctx: AppContext,
  appId: string,
  regionCode: string,
  slot: string,
  index: number,
  pdf: boolean,
) {
  const storage = openStorage(ctx.config);
  const key = newStorageKey(ctx.clock);
  const bytes = pdf ? await demoPdf(slot) : await demoImage(index);
  const stored = await storage.put(key, Readable.from([bytes]));
  let thumbKey: string | null = null;
  if (!pdf) {
    thumbKey = `${key}.thumb`;
    await storage.put(thumbKey, Readable.from([await sharp(bytes).resize(320).jpeg().toBuffer()]));
  }
  await ctx.db
    .insertInto("files")
    .values({
      id: newId(),
      storage_key: key,
      original_name: pdf ? `${slot}-演示.pdf` : `演示照片${index + 1}.jpg`,
      mime: pdf ? "application/pdf" : "image/jpeg",
      size: stored.size,
      sha256: stored.sha256,
      kind: pdf ? "pdf" : "image",
      width: pdf ? null : 800,
      height: pdf ? null : 600,
      thumb_key: thumbKey,
      owner_type: "application",
      owner_id: appId,
      slot,
      region_code: regionCode,
      created_by: null,
      created_at: ctx.clock.now().toISOString(),
    })
    .execute();
}

const asActor = (user: SessionUser) => ({ user, ip: null });

async function sessionUserOf(
  ctx: AppContext,
  where: { role: Role; regionCode?: string },
): Promise<SessionUser> {
  let q = ctx.db.selectFrom("users").selectAll().where("role", "=", where.role);
  if (where.regionCode) q = q.where("region_code", "=", where.regionCode);
  const u = await q.executeTakeFirstOrThrow();
  return {
    id: u.id,
    role: u.role,
    displayName: u.display_name,
    login: (u.username ?? u.uscc)!,
    regionCode: u.region_code,
    mustChangePassword: false,
  };
}

/**
 * Demo applications at every review stage, made through the real use cases so their trails,
 * notifications and audit entries look like real ones. County staff are created for each county.
 */
export async function seedDemoApplications(
  ctx: AppContext,
  callId: string,
  passwordHash: string,
): Promise<void> {
  const now = ctx.clock.now().toISOString();
  const city = await sessionUserOf(ctx, { role: "city" });
  const office = await sessionUserOf(ctx, { role: "office" });
  for (const [i, a] of APPLICANTS.entries()) {
    const body = `12${a.regionCode}MB${String(i + 2).padStart(7, "0")}`;
    const orgId = newId();
    await ctx.db
      .insertInto("users")
      .values({
        id: orgId,
        role: "org",
        username: null,
        uscc: body + usccCheckChar(body),
        display_name: `${a.unit}（演示）`,
        contact_name: "陈演示",
        phone: "13800000000",
        region_code: a.regionCode,
        password_hash: passwordHash,
        must_change_password: 0,
        disabled_at: null,
        last_login_at: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await markDemoVerified(ctx.db, orgId, now);
    const org: SessionUser = {
      id: orgId,
      role: "org",
      displayName: a.unit,
      login: body,
      regionCode: a.regionCode,
      mustChangePassword: false,
    };
    const appId = await startApplication(ctx, asActor(org), callId);
    const form: Record<string, string> = {
      regionCode: a.regionCode,
      baseName: `${a.unit}科普教育基地`,
      unitName: a.unit,
      address: `浙江省衢州市${a.unit}（演示地址）`,
      leaderName: "陈演示",
      leaderPhone: "13800000001",
      contactName: "林演示",
      contactPhone: "13800000002",
      bookingPhone: "0570-3000000",
      volunteerTeamName: `${a.unit}科技志愿服务队`,
      volunteerCount: String(10 + i * 7),
      volunteerLeader: "周演示",
      volunteerLeaderPhone: "13800000003",
      openingForm: i % 2 === 0 ? "免费" : "16周岁以下的青少年免费开放",
      categoryCode: a.category,
      areaSqm: String(800 + i * 450),
      openDays: String(250 + i * 20),
      intro: `${a.unit}是面向社会公众开放的科普场所，常年开展科普讲座、科学体验和研学活动，每年接待青少年和市民数万人次。（演示数据）`,
      honors: "2022年，被评为衢州市全国科普日活动优秀组织单位。（演示数据）",
      ...Object.fromEntries(BASIC_CONDITIONS.map((_, k) => [`cond_${k}`, "on"])),
    };
    let { version } = await saveDraft(ctx, asActor(org), appId, draftFromForm(form), 1);
    for (const slot of APPLICATION_SLOTS) {
      for (let k = 0; k < slot.min; k++) {
        await storeDemoFile(ctx, appId, a.regionCode, slot.id, k, slot.kinds[0] === "pdf");
      }
    }
    await submitApplication(ctx, asActor(org), appId, version);
    version += 1;
    if (a.stage === "county_review") continue;
    const county = await sessionUserOf(ctx, { role: "county", regionCode: a.regionCode });
    const review = (user: SessionUser, action: string, extra: Record<string, string> = {}) =>
      reviewApplication(ctx, asActor(user), appId, {
        action: action as never,
        opinion: "",
        internalNote: "",
        opinionDate: "",
        returnDeadline: "",
        score: "",
        version: version++,
        ...extra,
      });
    await review(county, "recommend", { opinion: "材料齐全，同意推荐。", opinionDate: now.slice(0, 10) });
    if (a.stage === "city_review") continue;
    if (a.stage === "returned") {
      const deadline = new Date(ctx.clock.now().getTime() + 14 * 86400_000 + 8 * 3600_000)
        .toISOString()
        .slice(0, 10);
      await review(city, "return", {
        opinion: "活动照片不够清晰，请补充近一年的科普活动照片。",
        returnDeadline: deadline,
      });
      continue;
    }
    await recordSiteInspection(ctx, asActor(city), appId, {
      inspectedOn: now.slice(0, 10),
      inspectors: "市科协综合业务部（演示）",
      findings: "场地、设施与申报材料相符。",
      version: version++,
    });
    await review(city, "pass", { opinion: "评审通过。", score: String(85 + i) });
    if (a.stage === "office_confirmation") continue;
    await review(office, "confirm", { opinion: "同意列入拟认定名单。" });
  }
}
