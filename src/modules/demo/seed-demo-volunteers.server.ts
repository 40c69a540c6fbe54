import type { Insertable } from "kysely";
import type { AppContext } from "#src/platform/context.ts";
import type {
  StvsStatus,
  VolunteerServicesTable,
  VolunteersTable,
  VolunteerTeamsTable,
} from "#src/platform/db/schema.ts";
import { newId } from "#src/platform/ids.ts";
import {
  defaultServiceMinutes,
  draftOf,
  SUPERVISOR_TYPE,
  TEAM_SUFFIX,
} from "../volunteers/volunteers.rules.ts";

const SURNAMES =
  "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤";
const GIVEN = [
  "伟",
  "芳",
  "娜",
  "敏",
  "静",
  "丽",
  "强",
  "磊",
  "军",
  "洋",
  "勇",
  "艳",
  "杰",
  "娟",
  "涛",
  "明",
  "超",
  "秀英",
  "华",
  "慧",
  "建国",
  "晓东",
  "海燕",
  "志刚",
  "雪梅",
  "文博",
  "子涵",
  "浩然",
  "思远",
  "欣怡",
];
const SPECIALTIES = [
  "科普讲解",
  "天文观测",
  "青少年科创",
  "农业技术",
  "气象科普",
  "医疗健康",
  "生态环保",
  "信息技术",
  "应急安全",
  "非遗传承",
];
/** The team states shown across the demo bases, in turn; "none": the base has not filled its team in. */
const STATES: (StvsStatus | "none")[] = [
  "registered",
  "registered",
  "pending",
  "unregistered",
  "registered",
  "none",
];
const PER_TEAM = 30;
const TEAMS_WITH_ROSTER = 10;

/**
 * 科技志愿服务队 demo data (issue 18): teams in every state, about 300 volunteers (made-up names and
 * numbers), and hours on the bases' past demo activities, confirmed for registered teams. The base
 * whose org account the demo activities use (衢州市科技馆) is left without a team, so a visitor can
 * fill one in from scratch. Bulk inserts: a few statements in one transaction.
 */
export async function seedDemoVolunteers(ctx: AppContext): Promise<void> {
  const now = ctx.clock.now().toISOString();
  const bases = await ctx.db
    .selectFrom("bases")
    .select(["id", "name", "unit_name", "region_code"])
    .where("status", "!=", "revoked")
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("base_accounts").select("user_id").whereRef("base_accounts.base_id", "=", "bases.id"),
        ),
      ),
    )
    .orderBy("uscc")
    .execute();
  const teams: Insertable<VolunteerTeamsTable>[] = [];
  const volunteers: Insertable<VolunteersTable>[] = [];
  const services: Insertable<VolunteerServicesTable>[] = [];
  let person = 0;
  let rostered = 0;
  for (const [i, b] of bases.entries()) {
    const state = STATES[i % STATES.length];
    if (state === "none") continue;
    teams.push({
      base_id: b.id,
      region_code: b.region_code,
      name: `${b.unit_name}${TEAM_SUFFIX}`,
      stvs_status: state,
      stvs_org_no: state === "unregistered" ? "" : `ZJQZ-${b.region_code}-${String(i + 1).padStart(4, "0")}`,
      registered_on: state === "registered" ? `${2021 + (i % 4)}-0${1 + (i % 9)}-15` : null,
      supervisor_type: SUPERVISOR_TYPE,
      leader_name: `${SURNAMES[i % SURNAMES.length]}队长`,
      leader_phone: `1390570${String(9000 + i).padStart(4, "0")}`,
      created_at: now,
      updated_at: now,
    });
    if (rostered >= TEAMS_WITH_ROSTER) continue;
    rostered++;
    const ids: string[] = [];
    for (let j = 0; j < PER_TEAM; j++, person++) {
      const id = newId();
      ids.push(id);
      volunteers.push({
        id,
        base_id: b.id,
        region_code: b.region_code,
        name: `${SURNAMES[(person * 7) % SURNAMES.length]}${GIVEN[(person * 11) % GIVEN.length]}`,
        phone: `1370570${String(person).padStart(4, "0")}`,
        stvs_no: state === "unregistered" ? "" : `ZJV${b.region_code}${String(person).padStart(5, "0")}`,
        specialty: SPECIALTIES[person % SPECIALTIES.length],
        joined_on: `${2022 + (person % 4)}-${String(1 + (person % 12)).padStart(2, "0")}-01`,
        created_at: now,
        updated_at: now,
      });
    }
    const past = await ctx.db
      .selectFrom("activities")
      .select(["id", "starts_at", "ends_at"])
      .where("base_id", "=", b.id)
      .where("ends_at", "<", now)
      .orderBy("starts_at")
      .execute();
    if (past.length === 0) continue;
    // Each volunteer serves on at most one activity, so the demo never overlaps or passes 24 hours.
    ids.forEach((vid, j) => {
      if (j % 3 === 2) return;
      const a = past[j % past.length];
      const d = draftOf(a.starts_at, defaultServiceMinutes(a.starts_at, a.ends_at));
      services.push({
        id: newId(),
        base_id: b.id,
        region_code: b.region_code,
        volunteer_id: vid,
        activity_id: a.id,
        starts_at: d.startsAt,
        ends_at: d.endsAt,
        service_date: d.serviceDate,
        minutes: d.minutes,
        status: state === "registered" ? "confirmed" : "recorded",
        confirmed_at: state === "registered" ? now : null,
        created_by: "demo",
        created_at: now,
      });
    });
  }
  await ctx.db.transaction().execute(async (trx) => {
    for (let i = 0; i < teams.length; i += 100)
      await trx
        .insertInto("volunteer_teams")
        .values(teams.slice(i, i + 100))
        .execute();
    for (let i = 0; i < volunteers.length; i += 100)
      await trx
        .insertInto("volunteers")
        .values(volunteers.slice(i, i + 100))
        .execute();
    for (let i = 0; i < services.length; i += 100)
      await trx
        .insertInto("volunteer_services")
        .values(services.slice(i, i + 100))
        .execute();
  });
}
