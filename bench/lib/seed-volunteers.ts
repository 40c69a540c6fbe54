/**
 * Bulk data for the volunteers suite (科技志愿服务队, issue 18): over the generated bases (run after
 * seed-bases.ts), 2,000 teams with 200,000 volunteers and about 2,000,000 service records on 40,000
 * past activities of the teams' bases (the last two years). The base with the demo org login
 * (衢州市科技馆) gets a registered team of 2,000 volunteers (its roster is measured signed in as it),
 * 400 activities, and one volunteer who served on all of them (the record page measured). Every other
 * volunteer served on 10 activities of the team; 90% of the services are confirmed.
 * Written like the activities (bulk-db.ts: one transaction, prepared statements on SQLite, unnest() on
 * PostgreSQL, VACUUM ANALYZE on PostgreSQL). Deterministic (fixed PRNG seed) apart from ids.
 */
import { newId } from "../../src/platform/ids.ts";
import { openBulkDb, type Row } from "./bulk-db.ts";
import { rng } from "./seed-activities.ts";

export const VOLUNTEERS = 200_000;
const TEAMS = 2000;
/** The demo base's team: its roster page is measured. */
const DEMO_TEAM_SIZE = 2000;
const DEMO_ACTIVITIES = 400;
const ACTIVITIES_PER_TEAM = 20;
const SERVICES_PER_VOLUNTEER = 10;
/** The county whose hours export is measured (龙游县, the demo county staff `longyou`). */
export const HOURS_EXPORT_COUNTY = "330825";
const ROUND = 5000;

const SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓";
const GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "建国", "海燕"];

export interface VolunteersSeedResult {
  seconds: number;
  teams: number;
  volunteers: number;
  activities: number;
  services: number;
  /** The USCC of the demo base's org account (password: the demo password). */
  baseLogin: string;
  /** The volunteer whose record page is measured. */
  sampleVolunteerId: string;
  demoTeamSize: number;
  sampleServices: number;
  /** The hours export's query and how many rows it must have (confirmed services of the county). */
  exportQuery: string;
  exportRows: number;
  analyzeSec: number;
}

const pad = (n: number) => String(n).padStart(2, "0");

export async function seedVolunteers(
  env: NodeJS.ProcessEnv,
  volunteerCount: number = VOLUNTEERS,
): Promise<VolunteersSeedResult> {
  const started = performance.now();
  const db = await openBulkDb(env);
  let closed = false;
  try {
    const demo = await db.select<{ base_id: string; region_code: string; uscc: string; unit_name: string }>(
      `select a.base_id, b.region_code, u.uscc, b.unit_name from base_accounts a
       join bases b on b.id = a.base_id join users u on u.id = a.user_id
       where u.role = 'org' and b.status = 'active' order by u.uscc`,
    );
    if (!demo[0]) throw new Error("no demo base with an org account");
    const demoBase = demo[0];
    // Bases that have no team yet (the demo data gives some one).
    const free = await db.select<{ id: string; region_code: string; unit_name: string }>(
      `select b.id, b.region_code, b.unit_name from bases b left join volunteer_teams t on t.base_id = b.id
       where b.status = 'active' and t.base_id is null and b.id <> '${demoBase.base_id}' order by b.id`,
    );
    if (free.length < TEAMS) throw new Error(`only ${free.length} bases without a team: need ${TEAMS}`);
    const [creator] = await db.select<{ id: string }>("select id from users where username = 'office'");
    if (!creator) throw new Error("no demo office account");
    const [demoTeam] = await db.select<{ base_id: string }>(
      `select base_id from volunteer_teams where base_id = '${demoBase.base_id}'`,
    );
    if (demoTeam) throw new Error("the demo base already has a team");

    const random = rng(20261207);
    const now = Date.now();
    const nowIso = new Date(now).toISOString();
    const year = Number(new Date(now + 8 * 3600_000).toISOString().slice(0, 4));

    // The teams' bases: the demo base first, then every (free.length / TEAMS)-th free base.
    const step = free.length / (TEAMS - 1);
    const teamBases = [
      { id: demoBase.base_id, region_code: demoBase.region_code, unit_name: demoBase.unit_name },
      ...Array.from({ length: TEAMS - 1 }, (_, i) => free[Math.floor(i * step)]),
    ];
    const others = volunteerCount - DEMO_TEAM_SIZE;
    const sizeOf = (t: number) =>
      t === 0
        ? DEMO_TEAM_SIZE
        : Math.floor((others * t) / (TEAMS - 1)) - Math.floor((others * (t - 1)) / (TEAMS - 1));

    let activityCount = 0;
    let serviceCount = 0;
    let volunteerTotal = 0;
    let sampleVolunteerId = "";
    let sampleServices = 0;

    await db.transaction(async () => {
      await db.insert(
        "volunteer_teams",
        teamBases.map((b, t) => ({
          base_id: b.id,
          region_code: b.region_code,
          name: `${b.unit_name}科技志愿服务队`,
          stvs_status: t === 0 || t % 3 !== 2 ? "registered" : t % 2 ? "pending" : "unregistered",
          stvs_org_no: t === 0 || t % 3 !== 2 ? `ZJ-BENCH-${String(t + 1).padStart(5, "0")}` : "",
          registered_on: t === 0 || t % 3 !== 2 ? `${year - 1}-03-01` : null,
          supervisor_type: "地方科协",
          leader_name: "王队长",
          leader_phone: "13800000000",
          contact_name: "",
          contact_phone: "",
          created_at: nowIso,
          updated_at: nowIso,
          version: 1,
        })),
      );

      let volunteers: Row[] = [];
      let services: Row[] = [];
      const flush = async (force = false) => {
        if (volunteers.length >= ROUND || (force && volunteers.length)) {
          await db.insert("volunteers", volunteers);
          volunteers = [];
        }
        if (services.length >= ROUND || (force && services.length)) {
          await db.insert("volunteer_services", services);
          services = [];
        }
      };

      for (let t = 0; t < teamBases.length; t++) {
        const base = teamBases[t];
        // The team's past activities: one a day at most, over the last two years, so none overlap.
        const na = t === 0 ? DEMO_ACTIVITIES : ACTIVITIES_PER_TEAM;
        const acts: { id: string; startsAt: string; endsAt: string; minutes: number }[] = [];
        const activityRows: Row[] = [];
        const firstDay = now - 720 * 86_400_000;
        for (let i = 0; i < na; i++) {
          const dayMs = firstDay + Math.floor(((i + random()) * 700) / na) * 86_400_000;
          const d = new Date(dayMs + 8 * 3600_000).toISOString().slice(0, 10);
          const startsAt = new Date(`${d}T${pad(9 + Math.floor(random() * 6))}:00:00+08:00`);
          const minutes = 60 * (1 + Math.floor(random() * 3));
          const endsAt = new Date(startsAt.getTime() + minutes * 60_000);
          const id = newId();
          acts.push({ id, startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString(), minutes });
          activityRows.push({
            id,
            base_id: base.id,
            region_code: base.region_code,
            name: `志愿服务科普活动${activityCount + i + 1}`,
            type: "lecture",
            form: "offline",
            starts_at: startsAt.toISOString(),
            ends_at: endsAt.toISOString(),
            start_month: d.slice(0, 7),
            place: "报告厅",
            link: "",
            audience: "中小学生",
            expected_participants: 50,
            fee: "free",
            direction: "in",
            contact_name: "李联系",
            contact_phone: "0570-3021234",
            description: "基准测试生成的活动。",
            report_status: "none",
            report_links: "[]",
            actual_participants: null,
            report_summary: "",
            report_submitted_at: null,
            report_reviewed_by: null,
            report_reviewed_at: null,
            report_return_reason: null,
            reminder_sent_at: null,
            created_by: creator.id,
            created_at: nowIso,
            updated_at: nowIso,
            version: 1,
          });
        }
        await db.insert("activities", activityRows);
        activityCount += na;

        const size = sizeOf(t);
        for (let v = 0; v < size; v++) {
          const id = newId();
          const n = volunteerTotal + v + 1;
          volunteers.push({
            id,
            base_id: base.id,
            region_code: base.region_code,
            name: `${SURNAMES[n % SURNAMES.length]}${GIVEN[Math.floor(random() * GIVEN.length)]}${n % 97}`,
            phone: `139${String(n).padStart(8, "0")}`,
            stvs_no: `V${String(n).padStart(9, "0")}`,
            specialty: "科普讲解",
            joined_on: `${year - 2}-01-15`,
            status: "active",
            left_at: null,
            created_at: nowIso,
            updated_at: nowIso,
            version: 1,
          });
          const sample = t === 0 && v === 0;
          if (sample) sampleVolunteerId = id;
          const k = sample ? na : SERVICES_PER_VOLUNTEER;
          const from = sample ? 0 : Math.floor(random() * na);
          for (let j = 0; j < k; j++) {
            const a = acts[(from + j) % na];
            const confirmed = random() < 0.9;
            services.push({
              id: newId(),
              base_id: base.id,
              region_code: base.region_code,
              volunteer_id: id,
              activity_id: a.id,
              starts_at: a.startsAt,
              ends_at: a.endsAt,
              service_date: new Date(new Date(a.startsAt).getTime() + 8 * 3600_000)
                .toISOString()
                .slice(0, 10),
              minutes: a.minutes,
              status: confirmed ? "confirmed" : "recorded",
              confirmed_by: confirmed ? creator.id : null,
              confirmed_at: confirmed ? nowIso : null,
              created_by: creator.id,
              created_at: nowIso,
            });
          }
          if (sample) sampleServices = k;
          serviceCount += k;
          // Volunteers first: the services reference them.
          if (services.length >= ROUND) {
            await flush(true);
          }
        }
        volunteerTotal += size;
        await flush();
      }
      await flush(true);
    });
    const analyzeStarted = performance.now();
    await db.analyze();
    const analyzeSec = (performance.now() - analyzeStarted) / 1000;
    // The demo data's own confirmed hours in the county count too.
    const [{ n }] = await db.select<{ n: number | string }>(
      `select count(*) as n from volunteer_services where region_code = '${HOURS_EXPORT_COUNTY}' and status = 'confirmed'`,
    );
    closed = true;
    await db.close();
    const r2 = (x: number) => Math.round(x * 100) / 100;
    return {
      seconds: r2((performance.now() - started) / 1000),
      teams: teamBases.length,
      volunteers: volunteerTotal,
      activities: activityCount,
      services: serviceCount,
      baseLogin: demoBase.uscc,
      sampleVolunteerId,
      demoTeamSize: DEMO_TEAM_SIZE,
      sampleServices,
      exportQuery: `county=${HOURS_EXPORT_COUNTY}`,
      exportRows: Number(n),
      analyzeSec: r2(analyzeSec),
    };
  } finally {
    if (!closed) await db.close();
  }
}
