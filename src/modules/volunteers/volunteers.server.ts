import { type ExpressionBuilder, type Kysely, sql } from "kysely";
import { authorize } from "#src/modules/accounts/authorize.server.ts";
import { recordAudit } from "#src/modules/audit/audit.server.ts";
import { findOwnBase } from "#src/modules/bases/bases.server.ts";
import { countFilesInSlot } from "#src/modules/files/files.server.ts";
import { regionSubtree } from "#src/modules/regions/regions.server.ts";
import { bumpGeneration } from "#src/platform/cache/generations.server.ts";
import type { Actor, AppContext, SessionUser } from "#src/platform/context.ts";
import { allColumns, fromJson, jsonHelpers } from "#src/platform/db/json-subqueries.ts";
import type { Base, DB, Volunteer, VolunteerService, VolunteerTeam } from "#src/platform/db/schema.ts";
import { AppError } from "#src/platform/errors.ts";
import { newId } from "#src/platform/ids.ts";
import {
  ANONYMIZED_NAME,
  beijingDate,
  draftOf,
  type ExistingService,
  lockedTeamChanges,
  MAX_MINUTES_PER_DAY,
  SUPERVISOR_TYPE,
  serviceProblem,
  teamNameProblem,
  yearlyTotals,
} from "./volunteers.rules.ts";
import type { ServiceInput, TeamInput, VolunteerInput } from "./volunteers.schema.ts";

const NO_BASE = "贵单位尚无已认定的科普教育基地";
const TEAM_CONFLICT = "服务队信息刚刚已被修改，请刷新页面查看最新内容后再保存。";
const VOLUNTEER_MISSING = "未找到该志愿者";
const TEAM_LOCKED =
  "服务队已在“科技志愿服务”平台注册，名称和组织编号以平台登记为准，不能在此直接修改。如确需变更，请先在平台办理，再提交【变更申报】（科技志愿服务队变更），经市基地认定办公室同意后更新。";
const ACTIVITY_MISSING = "未找到该活动";

// ---- scoping ----

/** The organization's own base (linked in base_accounts), for its team. */
export async function loadOwnBase(ctx: AppContext, actor: Actor): Promise<Base> {
  const me = await authorize(ctx, actor, "bases:own");
  const base = await findOwnBase(ctx, me);
  if (!base) throw new AppError("NOT_FOUND", NO_BASE);
  return base;
}

async function writableOwnBase(ctx: AppContext, actor: Actor): Promise<Base> {
  const base = await loadOwnBase(ctx, actor);
  if (base.status === "revoked")
    throw new AppError("CONFLICT", "该基地已被撤销命名，不能再修改科技志愿服务队。");
  return base;
}

/** The regions a staff user's volunteer views cover: its own region and below. */
export async function volunteerScope(ctx: AppContext, user: SessionUser): Promise<string[]> {
  const scope = await regionSubtree(ctx, user.regionCode);
  return scope.length ? scope : [""];
}

async function deny(
  ctx: AppContext,
  actor: Actor,
  type: string,
  id: string,
  exists: boolean,
  message: string,
): Promise<never> {
  if (exists) {
    await recordAudit(ctx, ctx.db, actor, {
      action: "access.denied",
      outcome: "denied",
      targetType: type,
      targetId: id,
      detail: { reason: "out_of_scope" },
    });
  }
  throw new AppError("NOT_FOUND", message);
}

/** One volunteer of the actor's own base; any other is a 404 (audited when it exists). */
export async function loadOwnVolunteer(
  ctx: AppContext,
  actor: Actor,
  id: string,
): Promise<{ base: Base; volunteer: Volunteer }> {
  const base = await loadOwnBase(ctx, actor);
  const volunteer = await ctx.db
    .selectFrom("volunteers")
    .selectAll()
    .where("id", "=", id)
    .where("base_id", "=", base.id)
    .executeTakeFirst();
  if (!volunteer) {
    const exists = await ctx.db.selectFrom("volunteers").select("id").where("id", "=", id).executeTakeFirst();
    return deny(ctx, actor, "volunteer", id, !!exists, VOLUNTEER_MISSING);
  }
  return { base, volunteer };
}

// ---- the team ----

export interface TeamView {
  base: Base;
  team: VolunteerTeam | null;
  counts: { active: number; left: number };
}

/** 【我的基地】→ 科技志愿服务队: the team (null before it is first saved) and roster counts. */
export async function getOwnTeam(ctx: AppContext, actor: Actor): Promise<TeamView> {
  const base = await loadOwnBase(ctx, actor);
  const team =
    (await ctx.db
      .selectFrom("volunteer_teams")
      .selectAll()
      .where("base_id", "=", base.id)
      .executeTakeFirst()) ?? null;
  return { base, team, counts: await rosterCounts(ctx.db, base.id) };
}

async function rosterCounts(db: Kysely<DB>, baseId: string) {
  const rows = await db
    .selectFrom("volunteers")
    .select((eb) => ["status", eb.fn.countAll<number>().as("n")])
    .where("base_id", "=", baseId)
    .groupBy("status")
    .execute();
  const n = (s: string) => Number(rows.find((r) => r.status === s)?.n ?? 0);
  return { active: n("active"), left: n("left") };
}

/**
 * Saves the team. Its name must be 单位名称+科技志愿服务队; once 已注册, its name and stvs number
 * are locked here (the national record holds them).
 */
export async function saveTeam(ctx: AppContext, actor: Actor, input: TeamInput): Promise<VolunteerTeam> {
  const base = await writableOwnBase(ctx, actor);
  const current = await ctx.db
    .selectFrom("volunteer_teams")
    .selectAll()
    .where("base_id", "=", base.id)
    .executeTakeFirst();
  if ((current?.version ?? 0) !== input.version) throw new AppError("CONFLICT", TEAM_CONFLICT);
  const locked = lockedTeamChanges(
    current ? { status: current.stvs_status, name: current.name, stvsOrgNo: current.stvs_org_no } : null,
    { status: input.stvsStatus, name: input.name, stvsOrgNo: input.stvsOrgNo },
  );
  if (locked.length) {
    const msg = TEAM_LOCKED;
    throw new AppError("VALIDATION", msg, Object.fromEntries(locked.map((f) => [f, msg])));
  }
  // A registered team's name is the national record's and changes only by a change report, which
  // checks the rule itself: the leader can still be updated here meanwhile.
  if (current?.stvs_status !== "registered") {
    const nameProblem = teamNameProblem(input.name, { unitName: base.unit_name, baseName: base.name });
    if (nameProblem) throw new AppError("VALIDATION", nameProblem, { name: nameProblem });
  }
  if (current?.stvs_status === "registered" && input.stvsStatus !== "registered") {
    const msg = "已注册的服务队不能改回未注册或审核中";
    throw new AppError("VALIDATION", msg, { stvsStatus: msg });
  }
  const values = {
    name: input.name,
    stvs_status: input.stvsStatus,
    stvs_org_no: input.stvsStatus === "unregistered" ? "" : input.stvsOrgNo,
    registered_on: input.stvsStatus === "registered" ? input.registeredOn : null,
    supervisor_type: SUPERVISOR_TYPE,
    leader_name: input.leaderName,
    leader_phone: input.leaderPhone,
    contact_name: input.contactName,
    contact_phone: input.contactPhone,
  };
  const now = ctx.clock.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    let row: VolunteerTeam | undefined;
    if (!current) {
      row = await trx
        .insertInto("volunteer_teams")
        .values({
          ...values,
          base_id: base.id,
          region_code: base.region_code,
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirst();
    } else {
      row = await trx
        .updateTable("volunteer_teams")
        .set((eb) => ({ ...values, updated_at: now, version: eb("version", "+", 1) }))
        .where("base_id", "=", base.id)
        .where("version", "=", input.version)
        .returningAll()
        .executeTakeFirst();
    }
    if (!row) throw new AppError("CONFLICT", TEAM_CONFLICT);
    // The base's public page shows the team's name, status and size.
    await bumpGeneration(trx, "bases", [base.id]);
    const before = current
      ? {
          name: current.name,
          status: current.stvs_status,
          stvsOrgNo: current.stvs_org_no,
          version: current.version,
        }
      : null;
    await recordAudit(ctx, trx, actor, {
      action: "volunteer_team.save",
      targetType: "base",
      targetId: base.id,
      detail: {
        before,
        after: { name: row.name, status: row.stvs_status, stvsOrgNo: row.stvs_org_no, version: row.version },
      },
    });
    return row;
  });
}

// ---- the roster ----

export interface RosterFilter {
  status?: "active" | "left";
  q?: string;
  offset?: number;
  limit?: number;
}

/** The roster of the actor's own base, by name, paged. */
export async function listOwnVolunteers(
  ctx: AppContext,
  actor: Actor,
  filter: RosterFilter = {},
): Promise<{ rows: Volunteer[]; total: number }> {
  const base = await loadOwnBase(ctx, actor);
  return listRoster(ctx.db, base.id, filter);
}

const TEAM_COLUMNS = allColumns<VolunteerTeam>()([
  "base_id",
  "region_code",
  "name",
  "stvs_status",
  "stvs_org_no",
  "registered_on",
  "supervisor_type",
  "leader_name",
  "leader_phone",
  "contact_name",
  "contact_phone",
  "created_at",
  "updated_at",
  "version",
]);

/** One row of the roster page: what the page shows of a volunteer. */
export interface RosterPageRow {
  id: string;
  name: string;
  phone: string;
  stvs_no: string;
  specialty: string;
  joined_on: string | null;
}

/**
 * The roster page's data in one statement (on PostgreSQL every statement is a round trip): the
 * actor's own base, its team, the roster's counts by status, the team's proof screenshots, one page
 * of the roster (by name) and the base's latest started activities with their service counts.
 */
export async function getRosterPage(ctx: AppContext, actor: Actor, filter: RosterFilter, activities = 20) {
  const me = await authorize(ctx, actor, "bases:own");
  const json = jsonHelpers(ctx.engine);
  const status = filter.status ?? "active";
  const kw = filter.q?.trim();
  const now = ctx.clock.now().toISOString();
  const row = await ctx.db
    .selectFrom("bases")
    .innerJoin("base_accounts", "base_accounts.base_id", "bases.id")
    .selectAll("bases")
    .select((eb) => {
      const roster = () =>
        eb
          .selectFrom("volunteers")
          .whereRef("volunteers.base_id", "=", "bases.id")
          .where((e) => rosterMatch(e, filter));
      const count = (st: "active" | "left") =>
        eb
          .selectFrom("volunteers")
          .select((e) => e.fn.countAll<number | string>().as("n"))
          .whereRef("volunteers.base_id", "=", "bases.id")
          .where("volunteers.status", "=", st);
      return [
        json
          .jsonObjectFrom(
            eb
              .selectFrom("volunteer_teams")
              .select(TEAM_COLUMNS)
              .whereRef("volunteer_teams.base_id", "=", "bases.id"),
          )
          .as("team"),
        count("active").as("active_count"),
        count("left").as("left_count"),
        (kw
          ? roster().select((e) => e.fn.countAll<number | string>().as("n"))
          : eb.val<number | string | null>(null)
        ).as("matching"),
        countFilesInSlot(eb, "volunteer_team", eb.ref("bases.id"), "volunteer_proof").as("proofs"),
        json
          .jsonArrayFrom(
            roster()
              .select([
                "volunteers.id",
                "volunteers.name",
                "volunteers.phone",
                "volunteers.stvs_no",
                "volunteers.specialty",
                "volunteers.joined_on",
              ])
              .orderBy("volunteers.name")
              .orderBy("volunteers.id")
              .offset(Math.max(0, filter.offset ?? 0))
              .limit(Math.min(Math.max(1, filter.limit ?? 20), 100)),
          )
          .as("rows"),
        json
          .jsonArrayFrom(
            eb
              .selectFrom("activities")
              .select(["activities.id", "activities.name", "activities.starts_at", "activities.ends_at"])
              .select((e) =>
                e
                  .selectFrom("volunteer_services")
                  .select((c) => c.fn.countAll<number>().as("n"))
                  .whereRef("volunteer_services.activity_id", "=", "activities.id")
                  .as("services"),
              )
              .whereRef("activities.base_id", "=", "bases.id")
              .where("activities.starts_at", "<=", now)
              .orderBy("activities.starts_at", "desc")
              .limit(activities),
          )
          .as("activities"),
      ];
    })
    .where("base_accounts.user_id", "=", me.id)
    .orderBy("base_accounts.created_at")
    .limit(1)
    .executeTakeFirst();
  if (!row) throw new AppError("NOT_FOUND", NO_BASE);
  const { team, active_count, left_count, matching, proofs, rows, activities: acts, ...base } = row;
  const counts = { active: Number(active_count), left: Number(left_count) };
  return {
    base: base as Base,
    team: fromJson<VolunteerTeam | null>(team),
    counts,
    proofs: Number(proofs),
    roster: { rows: fromJson<RosterPageRow[]>(rows) ?? [], total: kw ? Number(matching) : counts[status] },
    activities:
      fromJson<Array<{ id: string; name: string; starts_at: string; ends_at: string; services: number }>>(
        acts,
      ) ?? [],
  };
}

async function listRoster(db: Kysely<DB>, baseId: string, filter: RosterFilter) {
  const q = db
    .selectFrom("volunteers")
    .where("base_id", "=", baseId)
    .where((eb) => rosterMatch(eb, filter));
  const rows = await q
    .selectAll()
    .orderBy("name")
    .orderBy("id")
    .offset(Math.max(0, filter.offset ?? 0))
    .limit(Math.min(Math.max(1, filter.limit ?? 20), 100))
    .execute();
  const [c] = await q.select((eb) => eb.fn.countAll<number>().as("n")).execute();
  return { rows, total: Number(c.n) };
}

/** The roster's filter: one status, and a keyword in the name, the stvs number or the phone. */
function rosterMatch(eb: ExpressionBuilder<DB, "volunteers">, filter: RosterFilter) {
  const status = eb("volunteers.status", "=", filter.status ?? "active");
  const kw = filter.q?.trim();
  if (!kw) return status;
  const like = `%${kw.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return eb.and([
    status,
    eb.or([
      eb("volunteers.name", "like", like),
      eb("volunteers.stvs_no", "like", like.toUpperCase()),
      eb("volunteers.phone", "like", like),
    ]),
  ]);
}

/** The stvs number is unique within the team (the import checks the same). */
async function stvsTaken(db: Kysely<DB>, baseId: string, stvsNo: string, except?: string): Promise<boolean> {
  if (!stvsNo) return false;
  let q = db
    .selectFrom("volunteers")
    .select("id")
    .where("base_id", "=", baseId)
    .where("stvs_no", "=", stvsNo);
  if (except) q = q.where("id", "<>", except);
  return !!(await q.executeTakeFirst());
}

export function volunteerValues(base: Pick<Base, "id" | "region_code">, v: VolunteerInput, now: string) {
  return {
    id: newId(),
    base_id: base.id,
    region_code: base.region_code,
    name: v.name,
    phone: v.phone,
    stvs_no: v.stvsNo,
    specialty: v.specialty,
    joined_on: v.joinedOn,
    created_at: now,
    updated_at: now,
  };
}

/** Adds one volunteer to the team. */
export async function addVolunteer(ctx: AppContext, actor: Actor, input: VolunteerInput): Promise<Volunteer> {
  const base = await writableOwnBase(ctx, actor);
  if (await stvsTaken(ctx.db, base.id, input.stvsNo)) {
    const msg = "该志愿者编号已在本队名册中";
    throw new AppError("VALIDATION", msg, { stvsNo: msg });
  }
  const now = ctx.clock.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("volunteers")
      .values(volunteerValues(base, input, now))
      .returningAll()
      .executeTakeFirstOrThrow();
    await bumpGeneration(trx, "bases", [base.id]);
    await recordAudit(ctx, trx, actor, {
      action: "volunteer.add",
      targetType: "volunteer",
      targetId: row.id,
      detail: { baseId: base.id },
    });
    return row;
  });
}

/**
 * A volunteer leaves: name, phone, stvs number and specialty are removed (PIPL: nothing kept that
 * is no longer needed); the services stay, so the team's and the year's totals do not change.
 */
export async function removeVolunteer(
  ctx: AppContext,
  actor: Actor,
  id: string,
  version: number,
): Promise<void> {
  const { base, volunteer } = await loadOwnVolunteer(ctx, actor, id);
  if (base.status === "revoked") throw new AppError("CONFLICT", "该基地已被撤销命名，不能再修改名册。");
  if (volunteer.status === "left") throw new AppError("CONFLICT", "该志愿者已退出");
  const now = ctx.clock.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    const done = await trx
      .updateTable("volunteers")
      .set((eb) => ({
        name: ANONYMIZED_NAME,
        phone: "",
        stvs_no: "",
        specialty: "",
        status: "left" as const,
        left_at: now,
        updated_at: now,
        version: eb("version", "+", 1),
      }))
      .where("id", "=", id)
      .where("version", "=", version)
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1)
      throw new AppError("CONFLICT", "该志愿者刚刚已被修改，请刷新页面。");
    await bumpGeneration(trx, "bases", [base.id]);
    // The audit record names no one either: the id is enough to follow the history.
    await recordAudit(ctx, trx, actor, {
      action: "volunteer.leave",
      targetType: "volunteer",
      targetId: id,
      detail: { baseId: base.id, anonymized: true },
    });
  });
}

// ---- service records ----

/** An activity of the actor's own base that has started (service is recorded after the fact). */
export async function loadOwnActivity(ctx: AppContext, actor: Actor, activityId: string) {
  const base = await loadOwnBase(ctx, actor);
  const activity = await ctx.db
    .selectFrom("activities")
    .select(["id", "name", "starts_at", "ends_at", "base_id"])
    .where("id", "=", activityId)
    .where("base_id", "=", base.id)
    .executeTakeFirst();
  if (!activity) {
    const exists = await ctx.db
      .selectFrom("activities")
      .select("id")
      .where("id", "=", activityId)
      .executeTakeFirst();
    return deny(ctx, actor, "activity", activityId, !!exists, ACTIVITY_MISSING);
  }
  return { base, activity };
}

export interface ServiceRow extends VolunteerService {
  volunteer_name: string;
  stvs_no: string;
  activity_name: string;
}

/** The services recorded on one of the base's activities. */
export async function listActivityServices(ctx: AppContext, actor: Actor, activityId: string) {
  const { base, activity } = await loadOwnActivity(ctx, actor, activityId);
  const rows: ServiceRow[] = await ctx.db
    .selectFrom("volunteer_services as s")
    .innerJoin("volunteers as v", "v.id", "s.volunteer_id")
    .selectAll("s")
    .select(["v.name as volunteer_name", "v.stvs_no", (eb) => eb.val(activity.name).as("activity_name")])
    .where("s.activity_id", "=", activity.id)
    .where("s.base_id", "=", base.id)
    .orderBy("s.starts_at")
    .orderBy("v.name")
    .execute();
  return { base, activity, rows };
}

export class ServiceRefused extends AppError {}

/**
 * 登记服务时长: the same start and length for each chosen volunteer on one activity of the base.
 * All or nothing: a volunteer whose other services overlap, or whose day would pass 24 hours,
 * refuses the whole entry, with the reason next to the field.
 */
export async function recordServices(
  ctx: AppContext,
  actor: Actor,
  activityId: string,
  input: ServiceInput,
): Promise<number> {
  const { base, activity } = await loadOwnActivity(ctx, actor, activityId);
  if (base.status === "revoked") throw new AppError("CONFLICT", "该基地已被撤销命名，不能再登记服务时长。");
  const now = ctx.clock.now();
  if (activity.starts_at > now.toISOString()) {
    throw new AppError("VALIDATION", "活动开始后才能登记服务时长", {
      startsAt: "活动开始后才能登记服务时长",
    });
  }
  if (input.startsAt > now.toISOString()) {
    throw new AppError("VALIDATION", "服务开始时间不能晚于现在", { startsAt: "服务开始时间不能晚于现在" });
  }
  const draft = draftOf(input.startsAt, input.minutes);
  const me = actor.user!;
  return ctx.db.transaction().execute(async (trx) => {
    const vols = await trx
      .selectFrom("volunteers")
      .select(["id", "name", "status"])
      .where("base_id", "=", base.id)
      .where("id", "in", input.volunteerIds)
      .execute();
    if (vols.length !== input.volunteerIds.length || vols.some((v) => v.status !== "active")) {
      throw new AppError("VALIDATION", "请选择本队在队的志愿者", { volunteerIds: "请选择本队在队的志愿者" });
    }
    // Other services of these volunteers near this one: anything overlapping must start before it ends
    // and end after it starts; the daily total needs the same date. A day's window is wide enough.
    const from = new Date(
      new Date(draft.startsAt).getTime() - MAX_MINUTES_PER_DAY * 60_000 * 2,
    ).toISOString();
    const to = new Date(new Date(draft.endsAt).getTime() + MAX_MINUTES_PER_DAY * 60_000).toISOString();
    const near = await trx
      .selectFrom("volunteer_services as s")
      .innerJoin("activities as a", "a.id", "s.activity_id")
      .select(["s.volunteer_id", "s.starts_at", "s.ends_at", "s.minutes", "s.service_date", "a.name"])
      .where("s.volunteer_id", "in", input.volunteerIds)
      .where("s.starts_at", ">=", from)
      .where("s.starts_at", "<", to)
      .execute();
    const problems: string[] = [];
    for (const v of vols) {
      const others: ExistingService[] = near
        .filter((n) => n.volunteer_id === v.id)
        .map((n) => ({
          startsAt: n.starts_at,
          endsAt: n.ends_at,
          minutes: n.minutes,
          serviceDate: n.service_date,
          activityName: n.name,
        }));
      const p = serviceProblem(draft, others);
      if (p) problems.push(`${v.name}：${p}`);
    }
    if (problems.length) {
      const msg = problems.slice(0, 10).join("；") + (problems.length > 10 ? `；等${problems.length}人` : "");
      const field = problems.some((p) => p.includes("重叠")) ? "startsAt" : "hours";
      throw new AppError("VALIDATION", msg, { [field]: msg });
    }
    const created = now.toISOString();
    await trx
      .insertInto("volunteer_services")
      .values(
        vols.map((v) => ({
          id: newId(),
          base_id: base.id,
          region_code: base.region_code,
          volunteer_id: v.id,
          activity_id: activity.id,
          starts_at: draft.startsAt,
          ends_at: draft.endsAt,
          service_date: draft.serviceDate,
          minutes: draft.minutes,
          created_by: me.id,
          created_at: created,
        })),
      )
      .execute();
    await recordAudit(ctx, trx, actor, {
      action: "volunteer_service.record",
      targetType: "activity",
      targetId: activity.id,
      detail: { volunteers: vols.length, startsAt: draft.startsAt, minutes: draft.minutes },
    });
    return vols.length;
  });
}

/** Removes a service not yet confirmed. */
export async function deleteService(ctx: AppContext, actor: Actor, activityId: string, serviceId: string) {
  const { base, activity } = await loadOwnActivity(ctx, actor, activityId);
  await ctx.db.transaction().execute(async (trx) => {
    const done = await trx
      .deleteFrom("volunteer_services")
      .where("id", "=", serviceId)
      .where("activity_id", "=", activity.id)
      .where("base_id", "=", base.id)
      .where("status", "=", "recorded")
      .executeTakeFirst();
    if (Number(done.numDeletedRows) !== 1) throw new AppError("CONFLICT", "该记录已确认或已删除，不能删除。");
    await recordAudit(ctx, trx, actor, {
      action: "volunteer_service.delete",
      targetType: "activity",
      targetId: activity.id,
      detail: { serviceId },
    });
  });
}

/** 队长确认: the base account confirms every recorded service of the activity; confirmed ones are fixed. */
export async function confirmServices(ctx: AppContext, actor: Actor, activityId: string): Promise<number> {
  const { base, activity } = await loadOwnActivity(ctx, actor, activityId);
  const now = ctx.clock.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    const done = await trx
      .updateTable("volunteer_services")
      .set({ status: "confirmed", confirmed_by: actor.user!.id, confirmed_at: now })
      .where("activity_id", "=", activity.id)
      .where("base_id", "=", base.id)
      .where("status", "=", "recorded")
      .executeTakeFirst();
    const n = Number(done.numUpdatedRows);
    if (n === 0) throw new AppError("CONFLICT", "没有待确认的服务记录");
    await recordAudit(ctx, trx, actor, {
      action: "volunteer_service.confirm",
      targetType: "activity",
      targetId: activity.id,
      detail: { confirmed: n },
    });
    return n;
  });
}

// ---- a volunteer's record ----

/**
 * A volunteer's services, newest first, one page at a time (a long-serving volunteer has hundreds),
 * with yearly totals of confirmed hours and the number of all records, both from one grouped query.
 */
export async function getVolunteerRecord(
  ctx: AppContext,
  actor: Actor,
  id: string,
  page: { offset?: number; limit?: number } = {},
) {
  const { base, volunteer } = await loadOwnVolunteer(ctx, actor, id);
  const services = await ctx.db
    .selectFrom("volunteer_services as s")
    .innerJoin("activities as a", "a.id", "s.activity_id")
    .select([
      "s.id",
      "s.activity_id",
      "a.name as activity_name",
      "s.starts_at",
      "s.service_date",
      "s.minutes",
      "s.status",
    ])
    .where("s.volunteer_id", "=", volunteer.id)
    .orderBy("s.starts_at", "desc")
    .orderBy("s.id", "desc")
    .offset(Math.max(0, page.offset ?? 0))
    .limit(Math.min(Math.max(1, page.limit ?? 20), 200))
    .execute();
  const groups = await ctx.db
    .selectFrom("volunteer_services")
    .select((eb) => [
      sql<string>`substr(service_date, 1, 4)`.as("year"),
      "status",
      eb.fn.sum<number>("minutes").as("minutes"),
      eb.fn.countAll<number>().as("count"),
    ])
    .where("volunteer_id", "=", volunteer.id)
    .groupBy([sql`substr(service_date, 1, 4)`, "status"])
    .execute();
  return {
    base,
    volunteer,
    services,
    total: groups.reduce((n, g) => n + Number(g.count), 0),
    totals: groups
      .filter((g) => g.status === "confirmed")
      .map((t) => ({ year: Number(t.year), minutes: Number(t.minutes), count: Number(t.count) }))
      .sort((a, b) => b.year - a.year),
  };
}

/** One year's confirmed services of a volunteer, for the certificate. */
export async function certificateData(ctx: AppContext, actor: Actor, id: string, year: number) {
  const { base, volunteer } = await loadOwnVolunteer(ctx, actor, id);
  const team = await ctx.db
    .selectFrom("volunteer_teams")
    .selectAll()
    .where("base_id", "=", base.id)
    .executeTakeFirst();
  const services = await ctx.db
    .selectFrom("volunteer_services as s")
    .innerJoin("activities as a", "a.id", "s.activity_id")
    .select(["a.name as activity_name", "s.service_date", "s.minutes"])
    .where("s.volunteer_id", "=", volunteer.id)
    .where("s.status", "=", "confirmed")
    .where("s.service_date", ">=", `${year}-01-01`)
    .where("s.service_date", "<=", `${year}-12-31`)
    .orderBy("s.starts_at")
    .execute();
  const total = yearlyTotals(services.map((s) => ({ serviceDate: s.service_date, minutes: s.minutes })))[0];
  await recordAudit(ctx, ctx.db, actor, {
    action: "volunteer.certificate",
    targetType: "volunteer",
    targetId: volunteer.id,
    detail: { year },
  });
  return { base, team: team ?? null, volunteer, services, minutes: total?.minutes ?? 0, year };
}

// ---- public and staff views ----

/** The base page: the team's name, whether it is registered, and its size. No personal data. */
export async function publicTeamSummary(ctx: AppContext, baseId: string) {
  const team = await ctx.db
    .selectFrom("volunteer_teams")
    .select(["name", "stvs_status"])
    .where("base_id", "=", baseId)
    .executeTakeFirst();
  if (!team) return null;
  const [c] = await ctx.db
    .selectFrom("volunteers")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("base_id", "=", baseId)
    .where("status", "=", "active")
    .execute();
  return { name: team.name, registered: team.stvs_status === "registered", volunteers: Number(c.n) };
}

export interface TeamStatRow {
  baseId: string;
  baseName: string;
  regionCode: string;
  teamName: string | null;
  status: "unregistered" | "pending" | "registered" | "none";
  volunteers: number;
  minutes: number;
}

/**
 * Staff view: every base in scope (not revoked) with its team's status, active volunteers and
 * confirmed minutes of the year. A base without a team counts as unregistered.
 */
export async function teamStats(ctx: AppContext, actor: Actor, year: number): Promise<TeamStatRow[]> {
  const me = await authorize(ctx, actor, "volunteers:read");
  const scope = await volunteerScope(ctx, me);
  const rows = await ctx.db
    .selectFrom("bases as b")
    .leftJoin("volunteer_teams as t", "t.base_id", "b.id")
    .select([
      "b.id",
      "b.name",
      "b.region_code",
      "t.name as team_name",
      "t.stvs_status",
      (eb) =>
        eb
          .selectFrom("volunteers as v")
          .select((e) => e.fn.countAll<number>().as("n"))
          .whereRef("v.base_id", "=", "b.id")
          .where("v.status", "=", "active")
          .as("volunteers"),
      (eb) =>
        eb
          .selectFrom("volunteer_services as s")
          .select((e) => e.fn.sum<number>("s.minutes").as("m"))
          .whereRef("s.base_id", "=", "b.id")
          .where("s.status", "=", "confirmed")
          .where("s.service_date", ">=", `${year}-01-01`)
          .where("s.service_date", "<=", `${year}-12-31`)
          .as("minutes"),
    ])
    .where("b.region_code", "in", scope)
    .where("b.status", "<>", "revoked")
    .orderBy("b.region_code")
    .orderBy("b.name")
    .execute();
  return rows.map((r) => ({
    baseId: r.id,
    baseName: r.name,
    regionCode: r.region_code,
    teamName: r.team_name,
    status: r.stvs_status ?? "none",
    volunteers: Number(r.volunteers ?? 0),
    minutes: Number(r.minutes ?? 0),
  }));
}

export { beijingDate };

/**
 * What a new application's 科技志愿 fields start from: the team of a base the organization already
 * holds (a county-level base applying to a city call), with its active volunteers counted. Null when it has none.
 */
export async function teamForApplication(
  db: Kysely<DB>,
  orgId: string,
): Promise<{ name: string; count: number; leader: string; leaderPhone: string } | null> {
  const team = await db
    .selectFrom("volunteer_teams")
    .innerJoin("base_accounts", "base_accounts.base_id", "volunteer_teams.base_id")
    .select([
      "volunteer_teams.base_id",
      "volunteer_teams.name",
      "volunteer_teams.leader_name",
      "volunteer_teams.leader_phone",
    ])
    .where("base_accounts.user_id", "=", orgId)
    .orderBy("base_accounts.created_at")
    .executeTakeFirst();
  if (!team) return null;
  const counted = await db
    .selectFrom("volunteers")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("base_id", "=", team.base_id)
    .where("status", "=", "active")
    .executeTakeFirstOrThrow();
  return {
    name: team.name,
    count: Number(counted.n),
    leader: team.leader_name,
    leaderPhone: team.leader_phone,
  };
}
