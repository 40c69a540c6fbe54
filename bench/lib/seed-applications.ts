/**
 * Bulk data for the applications suite: N applications (default 20,000) for the demo call, each with
 * its own organization account, a review trail of ~2 events and 10 file rows (metadata only: no bytes
 * are stored, so downloads of these files would fail; the bench never downloads them).
 *
 * Runs in the harness process against the database the server uses (same environment), after the
 * server has migrated and seeded the demo data and been stopped. Everything goes in one transaction
 * through bulk-db.ts (prepared statements on SQLite, unnest() arrays on PostgreSQL), so it takes
 * seconds on both engines.
 *
 * Spread: 龙游县 (330825, the demo county reviewer `longyou`) holds a quarter (5,000 of 20,000), the
 * other five counties share the rest evenly. Statuses: mostly county_review / city_review /
 * office_confirmation, some returned / proposed / rejected; no drafts (every generated application
 * was submitted), so a reviewer's scope holds all of its county's rows.
 */
import { createHash } from "node:crypto";
import { usccCheckChar } from "../../src/modules/accounts/uscc.rules.ts";
import { BASIC_CONDITIONS, OPENING_FORMS } from "../../src/modules/applications/applications.rules.ts";
import { hashPassword } from "../../src/platform/auth/password.server.ts";
import { CATEGORIES, REGIONS } from "../../src/platform/db/reference-data.ts";
import type {
  ApplicationEventsTable,
  ApplicationStatus,
  ApplicationsTable,
  FilesTable,
  UsersTable,
} from "../../src/platform/db/schema.ts";
import { newId } from "../../src/platform/ids.ts";
import { openBulkDb, type Row } from "./bulk-db.ts";

/** The county of the demo reviewer `longyou`; it gets LONGYOU_SHARE of the applications. */
export const LONGYOU = "330825";
const LONGYOU_SHARE = 0.25;
const COUNTIES = ["330802", "330803", "330825", "330822", "330881", "330824"];
/** The generated applications' passwords (argon2 of this, computed once). */
const ORG_PASSWORD = "Kepu-demo-2026";

/** Status mix, in percent. */
const STATUS_MIX: Array<[ApplicationStatus | "returned_by_city", number]> = [
  ["county_review", 35],
  ["city_review", 25],
  ["office_confirmation", 20],
  ["returned", 4], // returned by the county
  ["returned_by_city", 4],
  ["proposed", 6],
  ["rejected", 6], // rejected by the city
];

/** 10 files per application, by slot: what a complete submission holds. */
const FILE_PLAN: Array<{ slot: string; kind: "pdf" | "image"; count: number }> = [
  { slot: "stamped_form", kind: "pdf", count: 1 },
  { slot: "overview_photos", kind: "image", count: 3 },
  { slot: "activity_photos", kind: "image", count: 3 },
  { slot: "volunteer_proof", kind: "pdf", count: 1 },
  { slot: "honors", kind: "image", count: 1 },
  { slot: "others", kind: "pdf", count: 1 },
];

/** Applications generated (and inserted) per round, to keep the rows in memory bounded. */
const ROUND = 1000;

export interface SeedResult {
  seconds: number;
  callId: string;
  applications: number;
  users: number;
  events: number;
  files: number;
  perCounty: Record<string, number>;
  perStatus: Record<string, number>;
  /** Non-draft applications of the call in 龙游县, the demo data's included: what `longyou` exports. */
  longyou: number;
  /** Seconds spent in the INSERTs of each table (the rest is generating rows, hashing the password, committing). */
  insertSec: Record<string, number>;
  /** Seconds of the COMMIT. */
  commitSec: number;
  /** PostgreSQL: seconds of the ANALYZE after the inserts. */
  analyzeSec: number;
  /** Seconds to close the connection (SQLite: switching back to WAL). */
  closeSec: number;
}

/** Small deterministic PRNG (mulberry32), so every run generates the same data. */
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

const DAY = 86_400_000;
const UNIT_KINDS = [
  "科技馆",
  "青少年科技活动中心",
  "农业科技示范园",
  "自然博物馆",
  "科普体验馆",
  "智能制造企业",
  "中医药文化馆",
  "气象科普站",
];
const STREETS = ["府山", "荷花", "新桥", "县学", "衢化", "花园", "信安", "礼贤"];

/**
 * Generates `count` applications (with users, events and files) for the first call, in the database
 * configured by `env` (DATABASE_URL / KEPU_DATA_DIR, as for the server).
 */
export async function seedApplications(env: NodeJS.ProcessEnv, count: number): Promise<SeedResult> {
  const started = performance.now();
  const db = await openBulkDb(env);
  let closed = false;
  try {
    const [call] = await db.select<{ id: string }>("select id from calls order by created_at, id limit 1");
    if (!call) throw new Error("no call in the database: the server should have seeded the demo data");
    const staff = await db.select<{ id: string; role: string; region_code: string; display_name: string }>(
      "select id, role, region_code, display_name from users where role in ('county', 'city', 'office')",
    );
    const city = staff.find((s) => s.role === "city");
    const office = staff.find((s) => s.role === "office");
    const countyStaff = new Map(staff.filter((s) => s.role === "county").map((s) => [s.region_code, s]));
    if (!city || !office || COUNTIES.some((c) => !countyStaff.has(c)))
      throw new Error("demo staff (city, office, one county account per county) not found");
    const countyName = new Map<string, string>(REGIONS.map((r) => [r.code, r.name]));
    const passwordHash = await hashPassword(ORG_PASSWORD);

    // How many per county: LONGYOU_SHARE for 龙游县, the rest shared evenly (remainder to the first ones).
    const longyou = Math.round(count * LONGYOU_SHARE);
    const others = COUNTIES.filter((c) => c !== LONGYOU);
    const plan = new Map<string, number>([[LONGYOU, longyou]]);
    const rest = count - longyou;
    for (const [i, c] of others.entries())
      plan.set(c, Math.floor(rest / others.length) + (i < rest % others.length ? 1 : 0));
    const regionOf: string[] = [];
    // Interleave counties, as real submissions would arrive.
    const left = new Map(plan);
    while (regionOf.length < count) {
      for (const c of COUNTIES) {
        const n = left.get(c)!;
        if (n > 0) {
          regionOf.push(c);
          left.set(c, n - 1);
        }
      }
    }

    const random = rng(20260101);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
    const mixTotal = STATUS_MIX.reduce((a, [, w]) => a + w, 0);
    const pickStatus = () => {
      let r = random() * mixTotal;
      for (const [s, w] of STATUS_MIX) {
        r -= w;
        if (r < 0) return s;
      }
      return STATUS_MIX[0][0];
    };
    const now = Date.now();
    const iso = (ms: number) => new Date(ms).toISOString();
    const perStatus: Record<string, number> = {};
    const totals = { users: 0, events: 0, files: 0 };
    const insertSec: Record<string, number> = {};

    const commitSec = await db.transaction(async () => {
      for (let start = 0; start < count; start += ROUND) {
        const users: UsersTable[] = [];
        const apps: Array<ApplicationsTable & { version: number }> = [];
        const events: ApplicationEventsTable[] = [];
        const files: FilesTable[] = [];
        for (let i = start; i < Math.min(count, start + ROUND); i++) {
          const region = regionOf[i];
          const cname = countyName.get(region) ?? region;
          // USCC: "91" + county + "BN" + 7 digits + check character; the demo's start with "12".
          const body = `91${region}BN${String(i + 1).padStart(7, "0")}`;
          const orgId = newId();
          const unit = `${cname}${pick(STREETS)}${pick(UNIT_KINDS)}（第${i + 1}号）`;
          const created = now - (20 + random() * 70) * DAY;
          users.push({
            id: orgId,
            role: "org",
            username: null,
            uscc: body + usccCheckChar(body),
            display_name: unit,
            contact_name: "王测试",
            phone: `139${String(i).padStart(8, "0")}`,
            region_code: region,
            password_hash: passwordHash,
            must_change_password: 0,
            disabled_at: null,
            last_login_at: null,
            created_at: iso(created - DAY),
            updated_at: iso(created - DAY),
          } as UsersTable);

          const status = pickStatus();
          perStatus[status] = (perStatus[status] ?? 0) + 1;
          const appId = newId();
          const county = countyStaff.get(region)!;
          // The trail: submit, then the transitions that led to the status, each a few days later.
          type Step = Omit<ApplicationEventsTable, "id" | "application_id" | "at" | "version">;
          const by = (u: { id: string; role: string; display_name: string }) => ({
            actor_id: u.id,
            actor_role: u.role,
            actor_label: u.display_name,
          });
          const step = (
            u: { id: string; role: string; display_name: string },
            action: string,
            from: ApplicationStatus,
            to: ApplicationStatus,
            extra: Partial<Step> = {},
          ): Step => ({
            ...by(u),
            action,
            from_status: from,
            to_status: to,
            opinion: null,
            internal_note: null,
            opinion_date: null,
            score: null,
            detail: null,
            ...extra,
          });
          const org = { id: orgId, role: "org", display_name: unit };
          const steps: Step[] = [step(org, "submit", "draft", "county_review")];
          const recommend = () =>
            steps.push(
              step(county, "recommend", "county_review", "city_review", { opinion: "材料齐全，同意推荐。" }),
            );
          const score = 70 + Math.round(random() * 25);
          const deadline = iso(now + 14 * DAY);
          let finalStatus: ApplicationStatus;
          let returnedFrom: ApplicationStatus | null = null;
          switch (status) {
            case "county_review":
              finalStatus = "county_review";
              break;
            case "city_review":
              recommend();
              finalStatus = "city_review";
              break;
            case "office_confirmation":
              recommend();
              steps.push(
                step(city, "pass", "city_review", "office_confirmation", { opinion: "评审通过。", score }),
              );
              finalStatus = "office_confirmation";
              break;
            case "returned":
              steps.push(
                step(county, "return", "county_review", "returned", {
                  opinion: "请补充近一年的科普活动照片。",
                  detail: JSON.stringify({ returnDeadline: deadline }),
                }),
              );
              finalStatus = "returned";
              returnedFrom = "county_review";
              break;
            case "returned_by_city":
              recommend();
              steps.push(
                step(city, "return", "city_review", "returned", {
                  opinion: "场地面积与材料不符，请核实后重新提交。",
                  detail: JSON.stringify({ returnDeadline: deadline }),
                }),
              );
              finalStatus = "returned";
              returnedFrom = "city_review";
              break;
            case "proposed":
              recommend();
              steps.push(
                step(city, "pass", "city_review", "office_confirmation", { opinion: "评审通过。", score }),
              );
              steps.push(
                step(office, "confirm", "office_confirmation", "proposed", {
                  opinion: "同意列入拟认定名单。",
                }),
              );
              finalStatus = "proposed";
              break;
            default:
              recommend();
              steps.push(
                step(city, "reject", "city_review", "rejected", { opinion: "科普活动开展不足，不予通过。" }),
              );
              finalStatus = "rejected";
              break;
          }
          const submitted = created + (1 + random() * 4) * DAY;
          let at = submitted;
          steps.forEach((s, k) => {
            if (k > 0) at += (1 + random() * 5) * DAY;
            events.push({
              id: newId(),
              application_id: appId,
              at: iso(at),
              ...s,
              opinion_date: s.opinion ? iso(at).slice(0, 10) : null,
              version: k + 2,
            });
          });
          totals.events += steps.length;
          const category = pick(CATEGORIES).code;
          const hasScore = finalStatus === "office_confirmation" || finalStatus === "proposed";
          apps.push({
            id: appId,
            call_id: call.id,
            org_id: orgId,
            region_code: region,
            category_code: category,
            status: finalStatus,
            returned_from: returnedFrom,
            // The stages that decided it, as the app's transitions record them.
            decided_county: steps.some((s) => s.from_status === "county_review" && s.action !== "withdraw")
              ? 1
              : 0,
            decided_city: steps.some((s) => s.from_status === "city_review") ? 1 : 0,
            decided_office: steps.some((s) => s.from_status === "office_confirmation") ? 1 : 0,
            return_deadline: returnedFrom ? deadline : null,
            base_name: `${unit}科普教育基地`,
            unit_name: unit,
            address: `浙江省衢州市${cname}${pick(STREETS)}路${1 + (i % 300)}号`,
            leader_name: "陈测试",
            leader_phone: `137${String(i).padStart(8, "0")}`,
            contact_name: "林测试",
            contact_phone: `136${String(i).padStart(8, "0")}`,
            booking_phone: `0570-${String(3000000 + (i % 999999)).padStart(7, "0")}`,
            volunteer_team_name: `${unit}科技志愿服务队`,
            volunteer_count: 5 + (i % 60),
            volunteer_leader: "周测试",
            volunteer_leader_phone: `135${String(i).padStart(8, "0")}`,
            opening_form: pick(OPENING_FORMS),
            area_sqm: 300 + (i % 50) * 40,
            open_days: 200 + (i % 150),
            intro: `${unit}是面向社会公众开放的科普场所，常年开展科普讲座、科学实验体验、研学实践和主题展览等活动，配有专兼职科普讲解员和科技志愿者，每年接待青少年和市民数万人次，在全国科普日、科技活动周期间免费开放。（基准测试数据）`,
            honors: "2023年，被评为衢州市全国科普日活动优秀组织单位；2024年，获评县级科普示范基地。",
            conditions: JSON.stringify(BASIC_CONDITIONS.map(() => ({ confirmed: true, note: "" }))),
            city_score: hasScore ? score : null,
            submitted_at: iso(submitted),
            created_at: iso(created),
            updated_at: iso(at),
            version: steps.length + 1,
          } as unknown as ApplicationsTable & { version: number });

          for (const f of FILE_PLAN) {
            for (let k = 0; k < f.count; k++) {
              const key = `bench/${appId}/${f.slot}-${k}`;
              files.push({
                id: newId(),
                storage_key: key,
                original_name: f.kind === "pdf" ? `${f.slot}.pdf` : `${f.slot}-${k + 1}.jpg`,
                mime: f.kind === "pdf" ? "application/pdf" : "image/jpeg",
                size: f.kind === "pdf" ? 180_000 + (i % 1000) * 100 : 900_000 + (i % 1000) * 300,
                sha256: createHash("sha256").update(key).digest("hex"),
                kind: f.kind,
                width: f.kind === "image" ? 2048 : null,
                height: f.kind === "image" ? 1536 : null,
                thumb_key: f.kind === "image" ? `${key}.thumb` : null,
                owner_type: "application",
                owner_id: appId,
                slot: f.slot,
                region_code: region,
                created_by: orgId,
                created_at: iso(created + DAY / 2),
              });
            }
          }
        }
        const timed = async (table: string, rows: Row[]) => {
          const t = performance.now();
          await db.insert(table, rows);
          insertSec[table] = (insertSec[table] ?? 0) + (performance.now() - t) / 1000;
        };
        await timed("users", users as unknown as Row[]);
        await timed("applications", apps as unknown as Row[]);
        await timed("application_events", events as unknown as Row[]);
        await timed("files", files as unknown as Row[]);
        totals.users += users.length;
        totals.files += files.length;
      }
    });
    // PostgreSQL's autovacuum would analyze the new rows within a minute or so, in the middle of the
    // load runs; do it now so every run plans with the same statistics. (The app never runs ANALYZE
    // on SQLite, so neither does the bench.)
    // What `longyou` exports: the generated ones and any the demo data put in the same call.
    const [exported] = await db.select<{ n: number | string }>(
      `select count(*) as n from applications where call_id = '${call.id}' and region_code = '${LONGYOU}' and status <> 'draft'`,
    );
    const analyzeStarted = performance.now();
    await db.analyze();
    const analyzeSec = (performance.now() - analyzeStarted) / 1000;
    const closeStarted = performance.now();
    closed = true;
    await db.close();
    const closeSec = (performance.now() - closeStarted) / 1000;
    const r2 = (n: number) => Math.round(n * 100) / 100;

    return {
      seconds: (performance.now() - started) / 1000,
      callId: call.id,
      applications: count,
      users: totals.users,
      events: totals.events,
      files: totals.files,
      perCounty: Object.fromEntries(plan),
      perStatus,
      longyou: Number(exported.n),
      insertSec: Object.fromEntries(Object.entries(insertSec).map(([k, v]) => [k, r2(v)])),
      commitSec: r2(commitSec),
      analyzeSec: r2(analyzeSec),
      closeSec: r2(closeSec),
    };
  } finally {
    if (!closed) await db.close();
  }
}
