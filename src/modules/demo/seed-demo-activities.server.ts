import { Readable } from "node:stream";
import sharp from "sharp";
import { ACTIVITY_TYPES, shanghaiMonth } from "#src/modules/activities/activities.rules.ts";
import { scheduleActivityJobs } from "#src/modules/activities/activities.server.ts";
import { hashPassword } from "#src/platform/auth/password.server.ts";
import { bumpGeneration } from "#src/platform/cache/generations.server.ts";
import type { AppContext } from "#src/platform/context.ts";
import type {
  ActivityDirection,
  ActivityFee,
  ActivityForm,
  CampaignKind,
  ReportStatus,
} from "#src/platform/db/schema.ts";
import { newId } from "#src/platform/ids.ts";
import { newStorageKey, openStorage } from "#src/platform/storage/index.ts";
import type { DemoAccount } from "./seed-demo.server.ts";
import { markDemoVerified } from "./seed-demo-verification.server.ts";

const DAY = 86_400_000;
const NAMES: Record<string, string[]> = {
  lecture: ["天文科普讲座", "气象与防灾减灾讲座", "人工智能入门讲座"],
  training: ["科技辅导员培训", "青少年编程培训"],
  contest: ["青少年科技创新竞赛", "科普知识竞赛"],
  performance: ["科学实验秀", "科普剧展演"],
  game: ["科学闯关游戏", "亲子科学游戏日"],
  award: ["优秀科普作品评选"],
  exhibition: ["科技成果展", "自然标本展"],
  study_tour: ["研学实践：走进实验室", "科学体验营"],
  other: ["科技志愿服务进社区"],
};

/** A plain generated photo (no text, so no fonts): a room, a screen and a row of heads. */
async function activityPhoto(seed: number): Promise<Buffer> {
  const colors = ["#5b8ff9", "#5ad8a6", "#f6bd16", "#e8684a", "#6dc8ec", "#9270ca"];
  const wall = colors[seed % colors.length];
  const heads = Array.from(
    { length: 8 },
    (_, i) => `<circle cx="${60 + i * 95}" cy="${470 + (i % 2) * 20}" r="34" fill="#333" opacity="0.8"/>`,
  ).join("");
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="600">
  <rect width="800" height="600" fill="${wall}"/>
  <rect x="160" y="70" width="480" height="270" fill="#fafafa"/>
  <circle cx="${300 + (seed % 4) * 50}" cy="200" r="70" fill="${colors[(seed + 3) % colors.length]}"/>
  <rect y="520" width="800" height="80" fill="#8a6d4f"/>${heads}
</svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 70 }).toBuffer();
}

/**
 * This year's campaigns, and across the demo bases past activities with reports (accepted, awaiting
 * review, or missing) and upcoming ones, so a fresh start shows a living calendar. Also an org login
 * for the first demo base (衢州市科技馆), which follows the manual's path for its own base.
 */
export async function seedDemoActivities(ctx: AppContext, passwordHash?: string): Promise<DemoAccount[]> {
  const now = ctx.clock.now();
  const nowIso = now.toISOString();
  const year = Number(new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 4));
  const office = await ctx.db
    .selectFrom("users")
    .select("id")
    .where("username", "=", "office")
    .executeTakeFirst();
  const bases = await ctx.db
    .selectFrom("bases")
    .select(["id", "uscc", "name", "unit_name", "region_code"])
    .where("status", "!=", "revoked")
    .orderBy("uscc")
    .execute();
  if (!office || bases.length === 0) return [];
  const first = bases.find((b) => b.unit_name.startsWith("衢州市科技馆")) ?? bases[0];
  const account: DemoAccount = {
    role: "org",
    kind: "org",
    login: first.uscc,
    name: first.unit_name,
    regionCode: first.region_code,
  };
  const orgId = newId();
  const photos: { activityId: string; regionCode: string; seed: number }[] = [];

  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto("users")
      .values({
        id: orgId,
        role: "org",
        username: null,
        uscc: first.uscc,
        display_name: first.unit_name,
        contact_name: "林演示",
        phone: "13900000000",
        region_code: first.region_code,
        password_hash: passwordHash ?? (await hashPassword("Kepu-demo-2026")),
        must_change_password: 0,
        disabled_at: null,
        last_login_at: null,
        created_at: nowIso,
        updated_at: nowIso,
      })
      .execute();
    await trx
      .insertInto("base_accounts")
      .values({ base_id: first.id, user_id: orgId, via: "demo", created_by: null, created_at: nowIso })
      .execute();
    await markDemoVerified(trx, orgId, nowIso);

    const campaigns: { kind: CampaignKind; title: string; starts: string; ends: string; expect: string }[] = [
      {
        kind: "tech_week",
        title: `${year}年科技活动周`,
        starts: `${year}-05-18`,
        ends: `${year}-05-25`,
        expect: "活动周期间免费开放，每个基地至少开展1场主题活动",
      },
      {
        kind: "workers_day",
        title: `${year}年全国科技工作者日`,
        starts: `${year}-05-30`,
        ends: `${year}-05-30`,
        expect: "开展科技工作者风采展示、科学家精神宣讲",
      },
      {
        kind: "science_day",
        title: `${year}年全国科普日`,
        starts: `${year}-09-15`,
        ends: `${year}-09-30`,
        expect: "科普日期间免费或优惠开放",
      },
      {
        kind: "double_reduction",
        title: `${year}年科普助力双减进校园`,
        starts: `${year}-03-01`,
        ends: `${year}-12-31`,
        expect: "“请进来”“走出去”相结合，为中小学提供科普课程",
      },
    ];
    const campaignIds: Record<string, string> = {};
    for (const c of campaigns) {
      const id = newId();
      campaignIds[c.kind] = id;
      await trx
        .insertInto("campaigns")
        .values({
          id,
          kind: c.kind,
          title: c.title,
          year,
          starts_on: c.starts,
          ends_on: c.ends,
          description: `衢州市科协组织全市科普教育基地参加${c.title}。（演示数据）`,
          expectations: c.expect,
          created_by: office.id,
          created_at: nowIso,
          updated_at: nowIso,
        })
        .execute();
    }

    let n = 0;
    for (const [i, b] of bases.entries()) {
      const createdBy = b.id === first.id ? orgId : office.id;
      const plans: { offsetDays: number; report: ReportStatus; direction: ActivityDirection }[] = [
        { offsetDays: -(12 + (i % 40)), report: "accepted", direction: "in" },
        ...(i % 3 === 0 ? [{ offsetDays: -3, report: "submitted" as const, direction: "in" as const }] : []),
        ...(i % 5 === 1 ? [{ offsetDays: -11, report: "none" as const, direction: "in" as const }] : []),
        { offsetDays: 2 + (i % 25), report: "none", direction: i % 2 ? "out" : "in" },
        ...(i % 4 === 0 ? [{ offsetDays: 30 + i, report: "none" as const, direction: "out" as const }] : []),
      ];
      for (const p of plans) {
        n++;
        const type = ACTIVITY_TYPES[(i + n) % ACTIVITY_TYPES.length];
        const names = NAMES[type];
        const dayStart = new Date(now.getTime() + p.offsetDays * DAY);
        const date = new Date(dayStart.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
        const startsAt = new Date(
          `${date}T${type === "exhibition" ? "09:00" : "14:30"}:00+08:00`,
        ).toISOString();
        const endsAt = new Date(
          new Date(startsAt).getTime() + (type === "exhibition" ? 7 * DAY : 2 * 3600_000),
        ).toISOString();
        const form: ActivityForm = n % 7 === 0 ? "both" : n % 11 === 0 ? "online" : "offline";
        const fee: ActivityFee = n % 9 === 0 ? "discounted" : "free";
        const participants = 30 + ((i * 37 + n * 11) % 170);
        const id = newId(new Date(startsAt).getTime());
        const reported = p.report !== "none";
        await trx
          .insertInto("activities")
          .values({
            id,
            base_id: b.id,
            region_code: b.region_code,
            name: `${names[n % names.length]}（演示）`,
            type,
            form,
            starts_at: startsAt,
            ends_at: endsAt,
            start_month: shanghaiMonth(startsAt),
            place:
              form === "online"
                ? ""
                : p.direction === "out"
                  ? "衢州市实验学校（演示）"
                  : `${b.unit_name}科普报告厅`,
            link: form === "offline" ? "" : "https://live.example.cn/kepu-demo",
            audience: p.direction === "out" ? "中小学生" : "社会公众、亲子家庭",
            expected_participants: 50 + (n % 5) * 30,
            fee,
            direction: p.direction,
            contact_name: "林演示",
            contact_phone: `0570-${3020000 + i * 37}`,
            description: `由${b.name}组织的${type === "study_tour" ? "研学" : "科普"}活动，欢迎报名参加。（演示数据）`,
            report_status: p.report,
            report_links: reported ? JSON.stringify([`https://news.example.cn/kepu/demo-${n}`]) : "[]",
            actual_participants: reported ? participants : null,
            report_summary: reported
              ? `活动共吸引${participants}人参加，现场互动热烈，达到预期效果。（演示数据）`
              : "",
            report_submitted_at: reported ? new Date(new Date(endsAt).getTime() + DAY).toISOString() : null,
            report_reviewed_by: null,
            report_reviewed_at:
              p.report === "accepted" ? new Date(new Date(endsAt).getTime() + 2 * DAY).toISOString() : null,
            report_return_reason: null,
            reminder_sent_at: null,
            created_by: createdBy,
            created_at: nowIso,
            updated_at: nowIso,
          })
          .execute();
        const tags = [
          ...(p.direction === "out" ? [campaignIds.double_reduction] : []),
          ...(date >= `${year}-09-15` && date <= `${year}-09-30` ? [campaignIds.science_day] : []),
          ...(date >= `${year}-05-18` && date <= `${year}-05-25` ? [campaignIds.tech_week] : []),
        ];
        if (tags.length)
          await trx
            .insertInto("activity_campaigns")
            .values(tags.map((campaign_id) => ({ activity_id: id, campaign_id })))
            .execute();
        if (endsAt > nowIso) await scheduleActivityJobs(trx, ctx, id, { startsAt, endsAt });
        if (reported) photos.push({ activityId: id, regionCode: b.region_code, seed: n });
      }
    }
    await bumpGeneration(trx, "activities");
  });

  // The bytes after the rows commit: a photo that fails leaves a report without it, never a dangling row.
  const storage = openStorage(ctx.config);
  for (const p of photos) {
    const bytes = await activityPhoto(p.seed);
    const key = newStorageKey(ctx.clock);
    const stored = await storage.put(key, Readable.from([bytes]));
    const thumbKey = `${key}.thumb`;
    await storage.put(thumbKey, Readable.from([await sharp(bytes).resize(320).jpeg().toBuffer()]));
    await ctx.db
      .insertInto("files")
      .values({
        id: newId(),
        storage_key: key,
        original_name: "活动图片（演示）.jpg",
        mime: "image/jpeg",
        size: stored.size,
        sha256: stored.sha256,
        kind: "image",
        width: 800,
        height: 600,
        thumb_key: thumbKey,
        owner_type: "activity",
        owner_id: p.activityId,
        slot: "activity_photos",
        region_code: p.regionCode,
        created_by: null,
        created_at: nowIso,
      })
      .execute();
  }
  return [account];
}
