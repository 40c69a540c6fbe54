/**
 * Bulk data for the schools suite (科普助力双减, issue 17): over the generated bases (run after
 * seed-bases.ts), 250,000 catalogue items (mostly approved, each serving its base's county and one
 * more), 5,000 verified schools and 1,000,000 orders in every state. The base with the demo org login
 * (衢州市科技馆) gets items and a share of the orders, so its 点单 list is measured signed in as it;
 * the first generated school is measured as the school (about 200 orders). Written like the
 * activities (bulk-db.ts: one transaction, prepared statements on SQLite, unnest() on PostgreSQL).
 * Deterministic (fixed PRNG seed) apart from ids.
 */
import { usccCheckChar } from "../../src/modules/accounts/uscc.rules.ts";
import { REGIONS } from "../../src/platform/db/reference-data.ts";
import { newId } from "../../src/platform/ids.ts";
import { openBulkDb, type Row } from "./bulk-db.ts";
import { rng } from "./seed-activities.ts";

const ROUND = 5000;
export const SCHOOL_ITEMS = 250_000;
export const SCHOOL_ORDERS = 1_000_000;
const SCHOOLS = 5000;
const STATUSES = [
  "ordered",
  "proposed",
  "accepted",
  "declined",
  "dispatch",
  "closed",
  "cancelled",
  "delivered",
  "delivered",
  "delivered",
  "not_held",
];
const KINDS = ["outreach", "visit", "online"];

export interface SchoolsSeedResult {
  seconds: number;
  items: number;
  schools: number;
  orders: number;
  /** The USCC of the school measured (password: the demo password). */
  schoolLogin: string;
  /** The USCC of the base's org account measured (the demo one). */
  baseLogin: string;
  schoolOrders: number;
  baseOrders: number;
  analyzeSec: number;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export async function seedSchools(
  env: NodeJS.ProcessEnv,
  counts: { items: number; orders: number } = { items: SCHOOL_ITEMS, orders: SCHOOL_ORDERS },
): Promise<SchoolsSeedResult> {
  const started = performance.now();
  const db = await openBulkDb(env);
  let closed = false;
  try {
    const bases = await db.select<{ id: string; region_code: string }>(
      "select id, region_code from bases where status = 'active' order by id",
    );
    if (bases.length === 0) throw new Error("no bases: the schools suite needs the generated bases");
    const demo = await db.select<{ base_id: string; region_code: string; uscc: string; user_id: string }>(
      `select a.base_id, b.region_code, u.uscc, u.id as user_id from base_accounts a
       join bases b on b.id = a.base_id join users u on u.id = a.user_id
       where u.role = 'org' and b.status = 'active' order by u.uscc`,
    );
    if (!demo[0]) throw new Error("no demo base with an org account");
    const demoBase = demo[0];
    const [hash] = await db.select<{ password_hash: string }>(
      "select password_hash from users where username = 'office'",
    );
    if (!hash) throw new Error("no demo office account");
    const counties = REGIONS.filter((r) => r.parent_code === "330800").map((r) => r.code);
    const random = rng(20261206);
    const now = Date.now();
    const nowIso = new Date(now).toISOString();

    const schools: { id: string; region: string; uscc: string }[] = [];
    for (let i = 0; i < SCHOOLS; i++) {
      const region = counties[i % counties.length];
      const body = `12${region}BX${String(i + 1).padStart(7, "0")}`;
      schools.push({ id: newId(), region, uscc: body + usccCheckChar(body) });
    }
    const items: { id: string; base_id: string; region_code: string }[] = [];
    let schoolOrders = 0;
    let baseOrders = 0;

    await db.transaction(async () => {
      await db.insert(
        "users",
        schools.map((s, i) => ({
          id: s.id,
          role: "school",
          username: null,
          uscc: s.uscc,
          display_name: `基准测试学校${i + 1}`,
          contact_name: "周老师",
          phone: "13800000000",
          region_code: s.region,
          password_hash: hash.password_hash,
          must_change_password: 0,
          disabled_at: null,
          last_login_at: null,
          created_at: nowIso,
          updated_at: nowIso,
        })),
      );
      await db.insert(
        "school_profiles",
        schools.map((s) => ({
          user_id: s.id,
          stages: '["小学"]',
          address: "基准测试路1号",
          created_at: nowIso,
          updated_at: nowIso,
        })),
      );
      await db.insert(
        "org_verifications",
        schools.map((s) => ({
          user_id: s.id,
          status: "verified",
          via: "staff",
          created_at: nowIso,
          updated_at: nowIso,
          decided_at: nowIso,
        })),
      );

      for (let start = 0; start < counts.items; start += ROUND) {
        const rows: Row[] = [];
        const served: Row[] = [];
        for (let i = start; i < Math.min(counts.items, start + ROUND); i++) {
          // Every 50th item is the demo base's: its 点单 list is measured.
          const base =
            i % 50 === 0
              ? { id: demoBase.base_id, region_code: demoBase.region_code }
              : bases[Math.floor(random() * bases.length)];
          const approved = random() < 0.9;
          const published = approved
            ? new Date(now - Math.floor(random() * 365) * 86_400_000).toISOString()
            : null;
          const id = newId();
          items.push({ id, base_id: base.id, region_code: base.region_code });
          rows.push({
            id,
            base_id: base.id,
            region_code: base.region_code,
            title: `基准测试科普课程${i + 1}`,
            kind: KINDS[i % 3],
            subject_mask: 1 << Math.floor(random() * 14),
            grade_mask: 1 + Math.floor(random() * 31),
            weekday_mask: 31,
            duration_minutes: 90,
            students_per_session: 60,
            sessions_per_week: 5,
            available_from: day(now - 180 * 86_400_000),
            available_to: day(now + 180 * 86_400_000),
            fee: random() < 0.8 ? "free" : "discount",
            fee_note: "",
            description: "基准测试生成的项目。",
            prepare: "",
            safety_notes: "",
            status: approved ? "approved" : "pending",
            review_reason: null,
            reviewed_by: null,
            reviewed_at: published,
            rating_count: 0,
            rating_sum: 0,
            published_at: published,
            created_by: demoBase.user_id,
            created_at: nowIso,
            updated_at: nowIso,
            version: 1,
          });
          const other = counties[Math.floor(random() * counties.length)];
          for (const c of other === base.region_code ? [base.region_code] : [base.region_code, other])
            served.push({ item_id: id, county_code: c, public: approved ? 1 : 0, published_at: published });
        }
        await db.insert("school_items", rows);
        await db.insert("school_item_counties", served);
      }

      for (let start = 0; start < counts.orders; start += ROUND) {
        const rows: Row[] = [];
        for (let i = start; i < Math.min(counts.orders, start + ROUND); i++) {
          const item = items[Math.floor(random() * items.length)];
          const school = schools[Math.floor(random() * schools.length)];
          if (school === schools[0]) schoolOrders++;
          if (item.base_id === demoBase.base_id) baseOrders++;
          const status = STATUSES[Math.floor(random() * STATUSES.length)];
          const created = now - Math.floor(random() * 700) * 86_400_000 - Math.floor(random() * 86_400_000);
          const date = day(created + 14 * 86_400_000);
          const answered = !["ordered", "dispatch", "closed"].includes(status);
          const rated = status === "delivered" && random() < 0.6;
          rows.push({
            id: newId(),
            item_id: item.id,
            base_id: item.base_id,
            base_region_code: item.region_code,
            school_id: school.id,
            school_region_code: school.region,
            preferred_dates: JSON.stringify([date]),
            classes: 1,
            students: 45,
            sessions: 1,
            contact_name: "周老师",
            contact_phone: "13800000000",
            notes: "",
            status,
            held_week: null,
            scheduled_date: ["accepted", "delivered", "not_held", "cancelled"].includes(status) ? date : null,
            proposed_date: status === "proposed" ? date : null,
            reason: ["declined", "closed", "cancelled"].includes(status) ? "基准测试" : null,
            answer_due_at: new Date(created + 3 * 86_400_000).toISOString(),
            answered_at: answered ? new Date(created + 3_600_000).toISOString() : null,
            answer_minutes: answered ? 60 : null,
            activity_id: null,
            cancelled_by: status === "cancelled" ? "school" : null,
            late_cancel: 0,
            delivered_students: status === "delivered" ? 44 : null,
            rating_content: rated ? 5 : null,
            rating_organization: rated ? 4 : null,
            rating_safety: rated ? 5 : null,
            rating_comment: rated ? "很好" : null,
            rated_at: rated ? new Date(created + 20 * 86_400_000).toISOString() : null,
            reply: null,
            replied_at: null,
            reassigned_from: null,
            created_at: new Date(created).toISOString(),
            updated_at: new Date(created).toISOString(),
            version: 1,
          });
        }
        await db.insert("school_orders", rows);
      }
    });
    const analyzeStarted = performance.now();
    await db.analyze();
    const analyzeSec = (performance.now() - analyzeStarted) / 1000;
    closed = true;
    await db.close();
    const r2 = (n: number) => Math.round(n * 100) / 100;
    return {
      seconds: r2((performance.now() - started) / 1000),
      items: counts.items,
      schools: SCHOOLS,
      orders: counts.orders,
      schoolLogin: schools[0].uscc,
      baseLogin: demoBase.uscc,
      schoolOrders,
      baseOrders,
      analyzeSec: r2(analyzeSec),
    };
  } finally {
    if (!closed) await db.close();
  }
}
