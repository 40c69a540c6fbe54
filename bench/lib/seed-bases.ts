/**
 * Bulk data for the bases suite: N recognized bases (default 50,000) over Quzhou's six counties and
 * the eight categories of 第四条, about 1% revoked and 2% under rectification (warning). Written
 * like the applications (bulk-db.ts: prepared statements on SQLite, unnest() arrays on PostgreSQL,
 * one transaction, ANALYZE on PostgreSQL) into the database the server uses, while it is stopped.
 *
 * Deterministic (fixed PRNG seed) apart from ids and timestamps. The search text is built the way
 * the app builds it: lower-cased name, unit and address.
 */
import { usccCheckChar } from "../../src/modules/accounts/uscc.rules.ts";
import { OPENING_FORMS } from "../../src/modules/applications/applications.rules.ts";
import { REGIONS } from "../../src/platform/db/reference-data.ts";
import { newId } from "../../src/platform/ids.ts";
import { openBulkDb, type Row } from "./bulk-db.ts";

/** County shares, in percent (柯城区 and 江山市 hold the most venues). */
const COUNTY_MIX: Array<[string, number]> = [
  ["330802", 22],
  ["330803", 15],
  ["330825", 16],
  ["330822", 13],
  ["330881", 18],
  ["330824", 16],
];

/** Category shares, in percent (三农 and 文化场馆 are the most common). */
const CATEGORY_MIX: Array<[string, number]> = [
  ["science_venue", 15],
  ["culture_venue", 18],
  ["education_research", 14],
  ["agriculture", 20],
  ["enterprise", 13],
  ["natural_resources", 10],
  ["media", 4],
  ["other", 6],
];

const OPENING_MIX: Array<[string, number]> = [
  [OPENING_FORMS[0], 50],
  [OPENING_FORMS[1], 20],
  [OPENING_FORMS[2], 15],
  [OPENING_FORMS[3], 15],
];

const KINDS: Record<string, readonly string[]> = {
  science_venue: ["科技馆", "青少年科技活动中心", "科普体验馆", "天文馆"],
  culture_venue: ["博物馆", "图书馆", "文化馆", "非遗展示馆"],
  education_research: ["中学科学实验室", "气象观测站", "医院健康科普馆", "水利工程展示中心"],
  agriculture: ["农业科技示范园", "茶叶种植基地", "柑橘研究所示范基地", "中药材种植园"],
  enterprise: ["智能制造展厅", "新能源企业科技馆", "食品工厂开放车间", "数字产业园"],
  natural_resources: ["国家森林公园", "湿地公园", "地质公园", "植物园"],
  media: ["融媒体中心", "广播电视台科普演播室"],
  other: ["城市规划展示馆", "消防安全体验馆", "应急科普馆"],
};
const PLACES = [
  "府山",
  "荷花",
  "新桥",
  "县学",
  "衢化",
  "花园",
  "信安",
  "礼贤",
  "石梁",
  "溪口",
  "华埠",
  "球川",
];

/** The keyword the search targets use: part of one in eight 科技馆-like names, so pages fill. */
export const BENCH_KEYWORD = "科技馆";

const ROUND = 5000;

export interface BasesSeedResult {
  seconds: number;
  bases: number;
  perStatus: Record<string, number>;
  perCounty: Record<string, number>;
  /** An active base in 龙游县, for the detail target. */
  sampleBaseId: string;
  insertSec: number;
  commitSec: number;
  analyzeSec: number;
}

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function weighted<T>(random: () => number, mix: Array<[T, number]>): T {
  const total = mix.reduce((a, [, w]) => a + w, 0);
  let r = random() * total;
  for (const [v, w] of mix) {
    r -= w;
    if (r < 0) return v;
  }
  return mix[0][0];
}

export async function seedBases(env: NodeJS.ProcessEnv, count: number): Promise<BasesSeedResult> {
  const started = performance.now();
  const db = await openBulkDb(env);
  let closed = false;
  try {
    const countyName = new Map<string, string>(REGIONS.map((r) => [r.code, r.name]));
    const random = rng(20260505);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
    const perStatus: Record<string, number> = {};
    const perCounty: Record<string, number> = {};
    let sampleBaseId = "";
    let insertSec = 0;
    const now = new Date().toISOString();

    const commitSec = await db.transaction(async () => {
      for (let start = 0; start < count; start += ROUND) {
        const rows: Row[] = [];
        for (let i = start; i < Math.min(count, start + ROUND); i++) {
          const region = weighted(random, COUNTY_MIX);
          const category = weighted(random, CATEGORY_MIX);
          const cname = countyName.get(region) ?? region;
          const place = pick(PLACES);
          const kind = pick(KINDS[category]);
          const seq = String(i + 1).padStart(5, "0");
          const name = `${cname}${place}${kind}科普教育基地（${seq}）`;
          const unit = `${cname}${place}${kind}管理有限公司`;
          const address = `浙江省衢州市${cname}${place}街道${1 + Math.floor(random() * 300)}号`;
          const r = random();
          const status = r < 0.01 ? "revoked" : r < 0.03 ? "warning" : "active";
          perStatus[status] = (perStatus[status] ?? 0) + 1;
          perCounty[region] = (perCounty[region] ?? 0) + 1;
          const batch = 1 + Math.floor(random() * 8);
          const year = 2015 + batch;
          const recognizedAt = new Date(
            Date.UTC(year, Math.floor(random() * 12), 1 + Math.floor(random() * 28), 2),
          );
          const body = `91${region}BS${String(i + 1).padStart(7, "0")}`;
          const id = newId();
          if (!sampleBaseId && status === "active" && region === "330825") sampleBaseId = id;
          const mobile = (k: number) => `13${k}${String((i * 7919 + k) % 100_000_000).padStart(8, "0")}`;
          rows.push({
            id,
            uscc: body + usccCheckChar(body),
            org_id: null,
            application_id: null,
            name,
            unit_name: unit,
            region_code: region,
            category_code: category,
            address,
            intro: `${name}面向公众特别是青少年开放，开展科普讲座、展览和研学活动，年接待参观者约${1 + Math.floor(random() * 20)}万人次。`,
            opening_form: weighted(random, OPENING_MIX),
            opening_hours: "周二至周日 9:00-17:00（法定节假日照常开放）",
            open_days: 200 + Math.floor(random() * 160),
            area_sqm: 300 + Math.floor(random() * 20_000),
            booking_phone: `0570-${String(3_000_000 + ((i * 37) % 6_000_000))}`,
            leader_name: "王负责",
            leader_phone: mobile(8),
            contact_name: "李联系",
            contact_phone: mobile(9),
            volunteer_team_name: `${unit}科技志愿服务队`,
            volunteer_count: 5 + Math.floor(random() * 60),
            batch_no: batch,
            recognized_year: year,
            recognized_at: recognizedAt.toISOString(),
            certificate_no: `QZKP-${year}-${seq}`,
            naming_notice_id: null,
            status,
            warning_note: status === "warning" ? "年度评价不合格，限期整改" : null,
            revoked_at: status === "revoked" ? now : null,
            revocation_reason: status === "revoked" ? 5 : null,
            revocation_note: status === "revoked" ? "不再符合认定条件" : null,
            recommended_level: null,
            recommended_note: null,
            recommended_at: null,
            search_text: `${name} ${unit} ${address}`.toLowerCase(),
            created_at: now,
            updated_at: now,
            version: 1,
          });
        }
        const t = performance.now();
        await db.insert("bases", rows);
        insertSec += (performance.now() - t) / 1000;
      }
    });
    const analyzeStarted = performance.now();
    await db.analyze();
    const analyzeSec = (performance.now() - analyzeStarted) / 1000;
    closed = true;
    await db.close();
    if (!sampleBaseId) throw new Error("no active base in 龙游县 was generated");
    const r2 = (n: number) => Math.round(n * 100) / 100;
    return {
      seconds: r2((performance.now() - started) / 1000),
      bases: count,
      perStatus,
      perCounty,
      sampleBaseId,
      insertSec: r2(insertSec),
      commitSec: r2(commitSec),
      analyzeSec: r2(analyzeSec),
    };
  } finally {
    if (!closed) await db.close();
  }
}
