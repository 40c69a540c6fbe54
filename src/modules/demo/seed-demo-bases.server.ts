import { Readable } from "node:stream";
import sharp from "sharp";
import { usccCheckChar } from "#src/modules/accounts/uscc.rules.ts";
import { formatCertificateNo } from "#src/modules/bases/bases.rules.ts";
import { insertBase } from "#src/modules/bases/bases-import.server.ts";
import { bumpGeneration } from "#src/platform/cache/generations.server.ts";
import type { AppContext } from "#src/platform/context.ts";
import { newId } from "#src/platform/ids.ts";
import { newStorageKey, openStorage } from "#src/platform/storage/index.ts";

interface DemoBase {
  unit: string;
  regionCode: string;
  category: string;
  batch: number;
  opening: string;
  /** Shown on the staff list as recommended or on warning, so every state has an example. */
  state?: "province" | "warning";
}

/** Batches 1–7, recognized 2016–2022 (batch N in year 2015 + N). */
const BASES: DemoBase[] = [
  {
    unit: "衢州市科技馆",
    regionCode: "330802",
    category: "science_venue",
    batch: 1,
    opening: "免费",
    state: "province",
  },
  { unit: "衢州市图书馆", regionCode: "330802", category: "culture_venue", batch: 1, opening: "免费" },
  {
    unit: "衢州市气象局气象科普馆",
    regionCode: "330802",
    category: "education_research",
    batch: 2,
    opening: "免费",
  },
  { unit: "衢州市博物馆", regionCode: "330802", category: "culture_venue", batch: 3, opening: "免费" },
  {
    unit: "柯城区九华乡农业科技示范园",
    regionCode: "330802",
    category: "agriculture",
    batch: 5,
    opening: "节假日优惠",
  },
  {
    unit: "衢州学院新能源实验中心",
    regionCode: "330802",
    category: "education_research",
    batch: 6,
    opening: "免费",
  },
  {
    unit: "衢江区廿里镇柑橘产业园",
    regionCode: "330803",
    category: "agriculture",
    batch: 2,
    opening: "节假日优惠",
  },
  {
    unit: "衢江区消防救援大队消防安全教育馆",
    regionCode: "330803",
    category: "other",
    batch: 4,
    opening: "免费",
  },
  {
    unit: "衢州元立金属制品有限公司展厅",
    regionCode: "330803",
    category: "enterprise",
    batch: 5,
    opening: "免费",
  },
  {
    unit: "衢江区乌溪江湿地公园",
    regionCode: "330803",
    category: "natural_resources",
    batch: 7,
    opening: "免费",
  },
  { unit: "衢江区融媒体中心", regionCode: "330803", category: "media", batch: 7, opening: "免费" },
  {
    unit: "龙游石窟景区",
    regionCode: "330825",
    category: "culture_venue",
    batch: 1,
    opening: "收费",
    state: "province",
  },
  { unit: "龙游县博物馆", regionCode: "330825", category: "culture_venue", batch: 2, opening: "免费" },
  {
    unit: "龙游县红木小镇",
    regionCode: "330825",
    category: "enterprise",
    batch: 4,
    opening: "16周岁以下的青少年免费开放",
  },
  {
    unit: "龙游县六春湖生态园",
    regionCode: "330825",
    category: "natural_resources",
    batch: 6,
    opening: "收费",
    state: "warning",
  },
  { unit: "龙游县青少年宫", regionCode: "330825", category: "science_venue", batch: 7, opening: "免费" },
  {
    unit: "常山国家地质公园",
    regionCode: "330822",
    category: "natural_resources",
    batch: 1,
    opening: "16周岁以下的青少年免费开放",
  },
  {
    unit: "常山县胡柚种植示范基地",
    regionCode: "330822",
    category: "agriculture",
    batch: 3,
    opening: "节假日优惠",
  },
  {
    unit: "常山县中医院中医药文化馆",
    regionCode: "330822",
    category: "education_research",
    batch: 4,
    opening: "免费",
  },
  { unit: "常山县赏石小镇观赏石博览园", regionCode: "330822", category: "other", batch: 6, opening: "收费" },
  { unit: "江山市博物馆", regionCode: "330881", category: "culture_venue", batch: 2, opening: "免费" },
  {
    unit: "江山市仙霞关景区",
    regionCode: "330881",
    category: "natural_resources",
    batch: 3,
    opening: "收费",
  },
  {
    unit: "江山市蜂业科技园",
    regionCode: "330881",
    category: "agriculture",
    batch: 4,
    opening: "节假日优惠",
  },
  {
    unit: "江山市青少年素质教育实践学校",
    regionCode: "330881",
    category: "science_venue",
    batch: 5,
    opening: "免费",
    state: "province",
  },
  { unit: "江山市广播电视台", regionCode: "330881", category: "media", batch: 7, opening: "免费" },
  {
    unit: "开化县钱江源国家公园科普馆",
    regionCode: "330824",
    category: "natural_resources",
    batch: 1,
    opening: "免费",
  },
  {
    unit: "开化县根缘小镇根雕艺术馆",
    regionCode: "330824",
    category: "culture_venue",
    batch: 3,
    opening: "收费",
  },
  {
    unit: "开化县龙顶茶科技示范园",
    regionCode: "330824",
    category: "agriculture",
    batch: 5,
    opening: "节假日优惠",
  },
  { unit: "开化县水电站科普展厅", regionCode: "330824", category: "enterprise", batch: 6, opening: "免费" },
  {
    unit: "开化县气象科普园",
    regionCode: "330824",
    category: "education_research",
    batch: 7,
    opening: "免费",
  },
];

const PALETTE = ["#4f8bd6", "#6fb36f", "#d6a24f", "#b35fa8", "#4fb3b3", "#d66f4f"];

/** A plain generated picture: coloured sky, ground and a building outline; no text, so no fonts needed. */
async function demoPhoto(seed: number): Promise<Buffer> {
  const sky = PALETTE[seed % PALETTE.length];
  const ground = PALETTE[(seed + 2) % PALETTE.length];
  const w = 120 + (seed % 5) * 40;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="600">
  <rect width="800" height="600" fill="${sky}"/>
  <circle cx="${650 - (seed % 4) * 60}" cy="120" r="60" fill="#fff6c8" opacity="0.9"/>
  <rect y="430" width="800" height="170" fill="${ground}"/>
  <rect x="${200 + (seed % 3) * 40}" y="250" width="${w * 2}" height="180" fill="#f2f2f2"/>
  <polygon points="${180 + (seed % 3) * 40},250 ${200 + (seed % 3) * 40 + w},170 ${220 + (seed % 3) * 40 + w * 2},250" fill="#8a5a44"/>
  <rect x="${200 + (seed % 3) * 40 + w - 30}" y="350" width="60" height="80" fill="#5a6b7a"/>
</svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 70 }).toBuffer();
}

async function storePhoto(ctx: AppContext, baseId: string, regionCode: string, seed: number, index: number) {
  const storage = openStorage(ctx.config);
  const key = newStorageKey(ctx.clock);
  const bytes = await demoPhoto(seed);
  const stored = await storage.put(key, Readable.from([bytes]));
  const thumbKey = `${key}.thumb`;
  await storage.put(thumbKey, Readable.from([await sharp(bytes).resize(320).jpeg().toBuffer()]));
  await ctx.db
    .insertInto("files")
    .values({
      id: newId(),
      storage_key: key,
      original_name: `基地照片${index + 1}（演示）.jpg`,
      mime: "image/jpeg",
      size: stored.size,
      sha256: stored.sha256,
      kind: "image",
      width: 800,
      height: 600,
      thumb_key: thumbKey,
      owner_type: "base",
      owner_id: baseId,
      slot: "base_photos",
      region_code: regionCode,
      created_by: null,
      created_at: ctx.clock.now().toISOString(),
    })
    .execute();
}

/**
 * About thirty recognized bases from batches 1–7 across the six counties, with photos. None is linked to
 * the demo organization account, which is an applicant of the 8th batch.
 */
export async function seedDemoBases(ctx: AppContext): Promise<number> {
  const now = ctx.clock.now().toISOString();
  const seqInBatch = new Map<number, number>();
  const made: { id: string; regionCode: string; seed: number }[] = [];
  await ctx.db.transaction().execute(async (trx) => {
    for (const [i, b] of BASES.entries()) {
      const body = `12${b.regionCode}MA${String(i + 1).padStart(7, "0")}`;
      const year = 2015 + b.batch;
      const seq = (seqInBatch.get(b.batch) ?? 0) + 1;
      seqInBatch.set(b.batch, seq);
      const id = await insertBase(
        trx,
        {
          uscc: body + usccCheckChar(body),
          org_id: null,
          name: `${b.unit}科普教育基地`,
          unit_name: `${b.unit}（演示）`,
          region_code: b.regionCode,
          category_code: b.category,
          address: `浙江省衢州市${b.unit}（演示地址）`,
          intro: `${b.unit}是面向社会公众开放的科普场所，常年开展科普讲座、科学体验和研学活动，在全国科普日、科技活动周期间免费或优惠开放。（演示数据）`,
          opening_form: b.opening,
          opening_hours: "周二至周日 9:00—17:00（周一闭馆，法定节假日照常开放）",
          open_days: 300 - (i % 5) * 10,
          area_sqm: 1000 + i * 150,
          booking_phone: `0570-${3020000 + i * 37}`,
          leader_name: "陈演示",
          leader_phone: `1380570${String(1000 + i).padStart(4, "0")}`,
          contact_name: "林演示",
          contact_phone: `1390570${String(1000 + i).padStart(4, "0")}`,
          volunteer_team_name: `${b.unit}科技志愿服务队`,
          volunteer_count: 10 + (i % 6) * 5,
          batch_no: b.batch,
          recognized_year: year,
          recognized_at: new Date(`${year}-12-20T10:00:00+08:00`).toISOString(),
          certificate_no: formatCertificateNo(year, b.batch, seq),
          status: b.state === "warning" ? "warning" : "active",
          warning_note: b.state === "warning" ? "年度绩效评价不合格，限期整改。（演示数据）" : null,
          recommended_level: b.state === "province" ? "province" : null,
          recommended_note: b.state === "province" ? "推荐申报浙江省科普教育基地。（演示数据）" : null,
          recommended_at: b.state === "province" ? now : null,
        },
        now,
      );
      made.push({ id, regionCode: b.regionCode, seed: i });
    }
    await bumpGeneration(trx, "bases");
  });
  // The bytes go to storage after the rows commit; a photo that fails leaves a base without it, never a dangling row.
  for (const m of made) {
    for (let p = 0; p < 2; p++) await storePhoto(ctx, m.id, m.regionCode, m.seed + p, p);
  }
  return made.length;
}
