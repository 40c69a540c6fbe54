/**
 * Bulk data for the activities suite: N activities (default 2,000,000) over the generated bases
 * (run after seed-bases.ts), spread evenly over four calendar years (two before this one, this one and
 * the next), with campaigns each year and about a fifth of the activities tagged. Ended activities
 * mostly carry an accepted report with participants. Written like the bases (bulk-db.ts: one
 * transaction, prepared statements on SQLite, unnest() on PostgreSQL, VACUUM ANALYZE on PostgreSQL;
 * on PostgreSQL the statistics totals are counted after the load instead of by the triggers).
 *
 * Deterministic (fixed PRNG seed) apart from ids. Also picks the export's filter: one county over the
 * leading months until about 200,000 activities.
 */
import {
  ACTIVITY_STATS_BACKFILL,
  ACTIVITY_STATS_TABLES,
} from "../../src/platform/db/migrations/0011-activity-stats-rollups.ts";
import { REGIONS } from "../../src/platform/db/reference-data.ts";
import { newId } from "../../src/platform/ids.ts";
import { openBulkDb, type Row } from "./bulk-db.ts";

const ROUND = 5000;
const TYPES = [
  "lecture",
  "training",
  "contest",
  "performance",
  "game",
  "award",
  "exhibition",
  "study_tour",
  "other",
];
const KINDS = ["tech_week", "workers_day", "science_day", "double_reduction"] as const;
/** The export check's size. */
export const EXPORT_TARGET_ROWS = 200_000;
/** The county the export and the calendar target filter on (柯城区 holds the most bases). */
export const EXPORT_COUNTY = "330802";

export interface ActivitiesSeedResult {
  seconds: number;
  activities: number;
  tags: number;
  campaigns: number;
  /** YYYY-MM in this year, for the calendar target. */
  month: string;
  year: number;
  /** A base in 龙游县 with activities, for the base page target. */
  sampleBaseId: string;
  /** The export's query (county, from, to) and how many rows it must have. */
  exportQuery: string;
  exportRows: number;
  insertSec: number;
  commitSec: number;
  analyzeSec: number;
  /** PostgreSQL: the seconds counting the statistics totals after the load took. */
  totalsSec: number;
}

/** A small seeded PRNG (mulberry32), so generated data is the same every run. */
export function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number) => String(n).padStart(2, "0");

export async function seedActivities(env: NodeJS.ProcessEnv, count: number): Promise<ActivitiesSeedResult> {
  const started = performance.now();
  const db = await openBulkDb(env);
  let closed = false;
  try {
    const bases = await db.select<{ id: string; region_code: string; name: string }>(
      "select id, region_code, name from bases where status <> 'revoked' order by id",
    );
    if (bases.length === 0) throw new Error("no bases: the activities suite needs the generated bases");
    const creator = await db.select<{ id: string }>("select id from users where username = 'office'");
    if (!creator[0]) throw new Error("no demo office account");
    const countyName = new Map<string, string>(REGIONS.map((r) => [r.code, r.name]));
    const random = rng(20260512);
    const now = new Date();
    const nowIso = now.toISOString();
    const year = Number(new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 4));
    const years = [year - 2, year - 1, year, year + 1];
    const month = `${year}-${pad(Number(new Date(now.getTime() + 8 * 3600_000).toISOString().slice(5, 7)))}`;
    let insertSec = 0;
    let totalsSec = 0;
    let tags = 0;
    let sampleBaseId = "";
    const perCountyMonth = new Map<string, number>();

    const campaigns: Row[] = [];
    const campaignIdsByYear = new Map<number, string[]>();
    for (const y of years) {
      const ids: string[] = [];
      for (const kind of KINDS) {
        const id = newId();
        ids.push(id);
        campaigns.push({
          id,
          kind,
          title: `${y}年${kind}`,
          year: y,
          starts_on: `${y}-05-01`,
          ends_on: `${y}-10-31`,
          description: "基准测试数据",
          expectations: "",
          created_by: creator[0].id,
          created_at: nowIso,
          updated_at: nowIso,
          version: 1,
        });
      }
      campaignIdsByYear.set(y, ids);
    }

    const commitSec = await db.transaction(
      async () => {
        await db.insert("campaigns", campaigns);
        for (let start = 0; start < count; start += ROUND) {
          const rows: Row[] = [];
          const links: Row[] = [];
          for (let i = start; i < Math.min(count, start + ROUND); i++) {
            const base = bases[Math.floor(random() * bases.length)];
            const y = years[Math.floor((i / count) * years.length)];
            const m = 1 + Math.floor(random() * 12);
            const d = 1 + Math.floor(random() * 28);
            const h = 8 + Math.floor(random() * 10);
            const startsAt = new Date(`${y}-${pad(m)}-${pad(d)}T${pad(h)}:00:00+08:00`);
            const endsAt = new Date(startsAt.getTime() + (1 + Math.floor(random() * 4)) * 3600_000);
            const ended = endsAt < now;
            const reported = ended && random() < 0.7;
            const type = TYPES[Math.floor(random() * TYPES.length)];
            const id = newId();
            if (!sampleBaseId && base.region_code === "330825") sampleBaseId = base.id;
            const key = `${base.region_code}:${y}-${pad(m)}`;
            perCountyMonth.set(key, (perCountyMonth.get(key) ?? 0) + 1);
            const participants = reported ? 20 + Math.floor(random() * 300) : null;
            rows.push({
              id,
              base_id: base.id,
              region_code: base.region_code,
              name: `${countyName.get(base.region_code) ?? ""}科普活动${i + 1}`,
              type,
              form: random() < 0.8 ? "offline" : "both",
              starts_at: startsAt.toISOString(),
              ends_at: endsAt.toISOString(),
              start_month: `${y}-${pad(m)}`,
              place: `${base.name}报告厅`,
              link: "",
              audience: "中小学生",
              expected_participants: 50 + Math.floor(random() * 200),
              fee: random() < 0.8 ? "free" : "discounted",
              direction: random() < 0.7 ? "in" : "out",
              contact_name: "李联系",
              contact_phone: "0570-3021234",
              description: "基准测试生成的活动。",
              report_status: reported ? (random() < 0.9 ? "accepted" : "submitted") : "none",
              report_links: reported ? '["https://news.example.cn/a"]' : "[]",
              actual_participants: participants,
              report_summary: reported ? "活动顺利举行。" : "",
              report_submitted_at: reported ? endsAt.toISOString() : null,
              report_reviewed_by: null,
              report_reviewed_at: null,
              report_return_reason: null,
              reminder_sent_at: null,
              created_by: creator[0].id,
              created_at: nowIso,
              updated_at: nowIso,
              version: 1,
            });
            if (random() < 0.2) {
              const ids = campaignIdsByYear.get(y)!;
              links.push({ activity_id: id, campaign_id: ids[Math.floor(random() * ids.length)] });
            }
          }
          const t = performance.now();
          await db.insert("activities", rows);
          if (links.length) await db.insert("activity_campaigns", links);
          tags += links.length;
          insertSec += (performance.now() - t) / 1000;
        }
        // PostgreSQL loads without the statistics triggers (see below), so count the totals afresh,
        // still with triggers off, the way migration 0011 counts an existing installation.
        if (db.engine === "postgres") {
          const t = performance.now();
          for (const table of ACTIVITY_STATS_TABLES) await db.select(`delete from ${table}`);
          for (const text of ACTIVITY_STATS_BACKFILL) await db.select(text);
          totalsSec = (performance.now() - t) / 1000;
        }
        // The triggers' statement upserts cost about 60 µs an activity on PostgreSQL: 2 of its
        // 12 minutes for 2,000,000 activities, and the dead row versions a one-transaction load leaves.
      },
      { triggers: db.engine !== "postgres" },
    );
    const analyzeStarted = performance.now();
    await db.analyze();
    const analyzeSec = (performance.now() - analyzeStarted) / 1000;

    // The export: the county's months in order until about EXPORT_TARGET_ROWS.
    const months = years.flatMap((y) => Array.from({ length: 12 }, (_, i) => `${y}-${pad(i + 1)}`));
    let generated = 0;
    let last = months[0];
    for (const mo of months) {
      if (generated >= EXPORT_TARGET_ROWS) break;
      generated += perCountyMonth.get(`${EXPORT_COUNTY}:${mo}`) ?? 0;
      last = mo;
    }
    const [ly, lm] = last.split("-").map(Number);
    const lastDay = new Date(Date.UTC(ly, lm, 0)).getUTCDate();
    // The demo data's own activities in that county and range count too.
    const from = new Date(`${months[0]}-01T00:00:00+08:00`).toISOString();
    const to = new Date(
      new Date(`${last}-${pad(lastDay)}T00:00:00+08:00`).getTime() + 86_400_000,
    ).toISOString();
    const [{ n }] = await db.select<{ n: number | string }>(
      `select count(*) as n from activities where region_code = '${EXPORT_COUNTY}' and starts_at >= '${from}' and starts_at < '${to}'`,
    );
    const exportRows = Number(n);
    closed = true;
    await db.close();
    const r2 = (n: number) => Math.round(n * 100) / 100;
    return {
      seconds: r2((performance.now() - started) / 1000),
      activities: count,
      tags,
      campaigns: campaigns.length,
      month,
      year,
      sampleBaseId,
      exportQuery: `county=${EXPORT_COUNTY}&from=${months[0]}-01&to=${last}-${pad(lastDay)}`,
      exportRows,
      insertSec: r2(insertSec),
      totalsSec: r2(totalsSec),
      commitSec: r2(commitSec),
      analyzeSec: r2(analyzeSec),
    };
  } finally {
    if (!closed) await db.close();
  }
}
