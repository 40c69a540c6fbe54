import { CompiledQuery, type Kysely } from "kysely";
import { authorize } from "#src/modules/accounts/authorize.server.ts";
import { recordAudit } from "#src/modules/audit/audit.server.ts";
import { loadExtraDays } from "#src/modules/notices/holidays.server.ts";
import { notify, reviewersFor } from "#src/modules/notifications/notifications.server.ts";
import { listCounties, regionSubtree } from "#src/modules/regions/regions.server.ts";
import { bumpGeneration } from "#src/platform/cache/generations.server.ts";
import type { Actor, AppContext, SessionUser } from "#src/platform/context.ts";
import { withBulkReader } from "#src/platform/db/bulk-reader.server.ts";
import type {
  DB,
  EvaluationEntry,
  EvaluationRound,
  EvaluationRubric,
  RoundEvaluator,
  RoundStatus,
} from "#src/platform/db/schema.ts";
import { AppError } from "#src/platform/errors.ts";
import { newId } from "#src/platform/ids.ts";
import { enqueueJob } from "#src/platform/jobs/jobs.server.ts";
import type { EntryViewer } from "./evaluation.policy.ts";
import {
  AUTO_KEYS,
  autoScore,
  DEFAULT_RUBRIC,
  deadlineOf,
  deadlineReminderAt,
  type Figure,
  isRoundEditable,
  nextRoundStatus,
  ROUND_ACTIONS,
  type RoundAction,
  type RubricDimension,
  rubricProblems,
  type Thresholds,
} from "./evaluation.rules.ts";
import type { EvaluatorInput, RoundInput } from "./evaluation.schema.ts";
import { computeFigure } from "./evaluation-figures.server.ts";

export const ROUND_CONFLICT = "该评价刚刚已被他人修改，请刷新页面查看最新状态。";
const ROUND_MISSING = "未找到该评价";
export const SELF_REMINDER_JOB = "evaluation.self_reminder";
export const SCORING_REMINDER_JOB = "evaluation.scoring_reminder";

// ---- the rubric ----

export function rubricOf(row: Pick<EvaluationRubric, "dimensions">): RubricDimension[] {
  return JSON.parse(row.dimensions) as RubricDimension[];
}

/** The newest rubric version; the default rubric (from 附件1) becomes version 1 the first time one is asked for. */
export async function currentRubric(db: Kysely<DB>, now: string): Promise<EvaluationRubric> {
  const row = await db
    .selectFrom("evaluation_rubrics")
    .selectAll()
    .orderBy("version", "desc")
    .executeTakeFirst();
  if (row) return row;
  await db
    .insertInto("evaluation_rubrics")
    .values({
      id: newId(),
      version: 1,
      dimensions: JSON.stringify(DEFAULT_RUBRIC),
      note: "默认指标（依据《管理办法》）",
      created_by: null,
      created_at: now,
    })
    .onConflict((oc) => oc.column("version").doNothing())
    .execute();
  return db.selectFrom("evaluation_rubrics").selectAll().orderBy("version", "desc").executeTakeFirstOrThrow();
}

export async function getCurrentRubric(ctx: AppContext, actor: Actor) {
  await authorize(ctx, actor, "evaluation:read");
  const row = await currentRubric(ctx.db, ctx.clock.now().toISOString());
  return { ...row, rubric: rubricOf(row) };
}

export async function getRubric(ctx: AppContext, id: string): Promise<RubricDimension[]> {
  const row = await ctx.db
    .selectFrom("evaluation_rubrics")
    .select("dimensions")
    .where("id", "=", id)
    .executeTakeFirst();
  if (!row) throw new AppError("NOT_FOUND", "未找到该评价指标");
  return rubricOf(row);
}

/**
 * Saves the office's edit as a new version: rounds keep the version they froze, so an edit never
 * changes a round already under way. `basedOn` is the version the office edited (a stale edit fails).
 */
export async function saveRubric(
  ctx: AppContext,
  actor: Actor,
  input: { dimensions: RubricDimension[]; note: string; basedOn: number },
): Promise<number> {
  await authorize(ctx, actor, "evaluation:manage");
  const problems = rubricProblems(input.dimensions);
  if (problems.length) throw new AppError("VALIDATION", problems[0], { dimensions: problems.join("；") });
  const now = ctx.clock.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    const current = await currentRubric(trx, now);
    if (current.version !== input.basedOn)
      throw new AppError("CONFLICT", "评价指标刚刚已被他人修改，请刷新页面后重新编辑。");
    const version = current.version + 1;
    const id = newId();
    await trx
      .insertInto("evaluation_rubrics")
      .values({
        id,
        version,
        dimensions: JSON.stringify(input.dimensions),
        note: input.note,
        created_by: actor.user?.id ?? null,
        created_at: now,
      })
      .execute();
    await recordAudit(ctx, trx, actor, {
      action: "evaluation.rubric_save",
      targetType: "evaluation_rubric",
      targetId: id,
      detail: { before: { version: current.version }, after: { version } },
    });
    return version;
  });
}

// ---- rounds ----

export interface RoundRow extends EvaluationRound {
  rubricVersion: number;
}

export async function listRounds(ctx: AppContext, actor: Actor): Promise<RoundRow[]> {
  await authorize(ctx, actor, "evaluation:read");
  return ctx.db
    .selectFrom("evaluation_rounds as r")
    .innerJoin("evaluation_rubrics as v", "v.id", "r.rubric_id")
    .selectAll("r")
    .select("v.version as rubricVersion")
    .orderBy("r.year", "desc")
    .execute();
}

function thresholdsOf(input: RoundInput): Thresholds {
  return { excellent: input.excellent, good: input.good, pass: input.pass };
}

function subsidiesOf(input: RoundInput) {
  return { excellent: input.subsidyExcellent, good: input.subsidyGood, pass: input.subsidyPass, fail: 0 };
}

/**
 * 【新建评价】: a draft round on the current rubric version, with every active user of the evaluator
 * role as an evaluator for all counties (the office narrows or adds before opening it).
 */
export async function createRound(ctx: AppContext, actor: Actor, input: RoundInput): Promise<string> {
  const me = await authorize(ctx, actor, "evaluation:manage");
  const now = ctx.clock.now().toISOString();
  const taken = await ctx.db
    .selectFrom("evaluation_rounds")
    .select("id")
    .where("year", "=", input.year)
    .executeTakeFirst();
  if (taken) throw new AppError("VALIDATION", "该年度已有评价", { year: `${input.year}年度已有评价` });
  const counties = (await listCounties(ctx)).map((c) => c.code);
  const id = newId();
  await ctx.db.transaction().execute(async (trx) => {
    const rubric = await currentRubric(trx, now);
    await trx
      .insertInto("evaluation_rounds")
      .values({
        id,
        year: input.year,
        title: input.title,
        rubric_id: rubric.id,
        self_deadline: deadlineOf(input.selfDeadline),
        scoring_deadline: deadlineOf(input.scoringDeadline),
        thresholds: JSON.stringify(thresholdsOf(input)),
        spread_limit: input.spreadLimit,
        subsidies: JSON.stringify(subsidiesOf(input)),
        notice_id: null,
        confirmed_at: null,
        created_by: me.id,
        created_at: now,
        updated_at: now,
      })
      .execute();
    const evaluators = await trx
      .selectFrom("users")
      .select("id")
      .where("role", "=", "evaluator")
      .where("disabled_at", "is", null)
      .execute();
    if (evaluators.length)
      await trx
        .insertInto("evaluation_round_evaluators")
        .values(
          evaluators.map((u) => ({
            round_id: id,
            user_id: u.id,
            scope_kind: "county" as const,
            scope_values: JSON.stringify(counties),
            finished_at: null,
            created_at: now,
          })),
        )
        .execute();
    await recordAudit(ctx, trx, actor, {
      action: "evaluation.round_create",
      targetType: "evaluation_round",
      targetId: id,
      detail: { after: { year: input.year, rubricVersion: rubric.version } },
    });
  });
  return id;
}

/** Deadlines, thresholds, spread and subsidies: while a draft (subsidies and thresholds until 公示). */
export async function updateRound(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: RoundInput,
  version: number,
): Promise<void> {
  await authorize(ctx, actor, "evaluation:manage");
  const round = await loadRound(ctx, id);
  if (round.status === "publicity" || round.status === "closed")
    throw new AppError("CONFLICT", "评价结果已公示，不能再修改评价设置。");
  const draft = isRoundEditable(round.status);
  const now = ctx.clock.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable("evaluation_rounds")
      .set((eb) => ({
        ...(draft
          ? {
              title: input.title,
              self_deadline: deadlineOf(input.selfDeadline),
              scoring_deadline: deadlineOf(input.scoringDeadline),
            }
          : {}),
        thresholds: JSON.stringify(thresholdsOf(input)),
        spread_limit: input.spreadLimit,
        subsidies: JSON.stringify(subsidiesOf(input)),
        updated_at: now,
        version: eb("version", "+", 1),
      }))
      .where("id", "=", id)
      .where("version", "=", version)
      .returning("id")
      .executeTakeFirst();
    if (!row) throw new AppError("CONFLICT", ROUND_CONFLICT);
    await recordAudit(ctx, trx, actor, {
      action: "evaluation.round_update",
      targetType: "evaluation_round",
      targetId: id,
      detail: {
        before: { thresholds: round.thresholds, subsidies: round.subsidies, spread: round.spread_limit },
        after: { thresholds: thresholdsOf(input), subsidies: subsidiesOf(input), spread: input.spreadLimit },
      },
    });
  });
}

export async function loadRound(ctx: Pick<AppContext, "db">, id: string): Promise<EvaluationRound> {
  const round = await ctx.db
    .selectFrom("evaluation_rounds")
    .selectAll()
    .where("id", "=", id)
    .executeTakeFirst();
  if (!round) throw new AppError("NOT_FOUND", ROUND_MISSING);
  return round;
}

export interface EvaluatorRow extends RoundEvaluator {
  displayName: string;
  role: string;
  username: string | null;
}

export async function listRoundEvaluators(db: Kysely<DB>, roundId: string): Promise<EvaluatorRow[]> {
  return db
    .selectFrom("evaluation_round_evaluators as e")
    .innerJoin("users as u", "u.id", "e.user_id")
    .selectAll("e")
    .select(["u.display_name as displayName", "u.role", "u.username"])
    .where("e.round_id", "=", roundId)
    .orderBy("u.display_name")
    .execute();
}

/** The staff users the office may add to a round (evaluators, or anyone staff for this round only). */
export async function listEvaluatorCandidates(ctx: AppContext, actor: Actor) {
  await authorize(ctx, actor, "evaluation:manage");
  return ctx.db
    .selectFrom("users")
    .select(["id", "display_name", "username", "role"])
    .where("role", "!=", "org")
    .where("role", "!=", "admin")
    .where("disabled_at", "is", null)
    .orderBy("role")
    .orderBy("display_name")
    .execute();
}

/**
 * Adds an evaluator to a round, or changes its assignment (by county or by category) and its own unit,
 * until scoring ends. A user of another staff role is an evaluator for this round only.
 */
export async function setRoundEvaluator(
  ctx: AppContext,
  actor: Actor,
  roundId: string,
  input: EvaluatorInput,
): Promise<void> {
  await authorize(ctx, actor, "evaluation:manage");
  const round = await loadRound(ctx, roundId);
  if (round.status === "publicity" || round.status === "closed")
    throw new AppError("CONFLICT", "评分已结束，不能再调整评价人员。");
  const user = await ctx.db
    .selectFrom("users")
    .select(["id", "role"])
    .where("id", "=", input.userId)
    .where("disabled_at", "is", null)
    .executeTakeFirst();
  if (!user || user.role === "org" || user.role === "admin")
    throw new AppError("VALIDATION", "请选择评价人员", { userId: "请选择评价小组成员或工作人员" });
  const now = ctx.clock.now().toISOString();
  const values = {
    scope_kind: input.scopeKind,
    scope_values: JSON.stringify(input.scopeValues),
    unit_uscc: input.unitUscc,
    unit_name: input.unitName,
  };
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto("evaluation_round_evaluators")
      .values({ ...values, round_id: roundId, user_id: user.id, finished_at: null, created_at: now })
      .onConflict((oc) => oc.columns(["round_id", "user_id"]).doUpdateSet(values))
      .execute();
    await recordAudit(ctx, trx, actor, {
      action: "evaluation.evaluator_set",
      targetType: "evaluation_round",
      targetId: roundId,
      detail: { after: { userId: user.id, ...values } },
    });
  });
}

/** Removes an evaluator who has not scored anything yet. */
export async function removeRoundEvaluator(ctx: AppContext, actor: Actor, roundId: string, userId: string) {
  await authorize(ctx, actor, "evaluation:manage");
  const round = await loadRound(ctx, roundId);
  if (round.status === "publicity" || round.status === "closed")
    throw new AppError("CONFLICT", "评分已结束，不能再调整评价人员。");
  await ctx.db.transaction().execute(async (trx) => {
    const scored = await trx
      .selectFrom("evaluation_scores")
      .select("entry_id")
      .where("round_id", "=", roundId)
      .where("evaluator_id", "=", userId)
      .executeTakeFirst();
    if (scored) throw new AppError("CONFLICT", "该评价人员已开始评分，不能移除。");
    await trx
      .deleteFrom("evaluation_round_evaluators")
      .where("round_id", "=", roundId)
      .where("user_id", "=", userId)
      .execute();
    await recordAudit(ctx, trx, actor, {
      action: "evaluation.evaluator_remove",
      targetType: "evaluation_round",
      targetId: roundId,
      detail: { before: { userId } },
    });
  });
}

// ---- figures ----

/**
 * Computes every automatic figure of the round's year for all its entries (one query per figure
 * over all bases) and stores them with the automatic score of the round's rubric.
 */
export async function refreshRoundFigures(ctx: AppContext, roundId: string): Promise<number> {
  const round = await loadRound(ctx, roundId);
  const rubric = await getRubric(ctx, round.rubric_id);
  const entries = await ctx.db
    .selectFrom("evaluation_entries")
    .select(["id", "base_id"])
    .where("round_id", "=", roundId)
    .execute();
  // One flat array of numbers for all bases and figures, filled one figure at a time: a province's
  // 50,000 bases times ten figures kept as maps of objects grew the process by over 128 MB.
  const slot = new Map<string, number>();
  for (const [i, e] of entries.entries()) slot.set(e.base_id, i);
  const K = AUTO_KEYS.length;
  const values = new Float64Array(entries.length * K);
  // The figures read the year's activities and services (millions of rows): on SQLite through a
  // connection of their own with a small page cache, or the scans would grow the server by its 64 MB.
  await withBulkReader(ctx, async (db) => {
    for (const [k, key] of AUTO_KEYS.entries()) {
      for (const [baseId, f] of await computeFigure(db, ctx.engine, key, round.year)) {
        const i = slot.get(baseId);
        if (i !== undefined) values[i * K + k] = f.value;
      }
    }
  });
  slot.clear();
  const held = AUTO_KEYS.indexOf("activities_held");
  const now = ctx.clock.now().toISOString();
  // One statement, compiled once and run with each entry's values: building and compiling 50,000
  // query trees cost more time (and garbage) than the updates.
  const update = ctx.db
    .updateTable("evaluation_entries")
    .set({ auto_figures: "?f", auto_score: -1, updated_at: now })
    .where("id", "=", "?id")
    .compile();
  if (update.parameters.join("|") !== `?f|-1|${now}|?id`) throw new Error("unexpected update parameters");
  const CHUNK = 2000;
  for (let from = 0; from < entries.length; from += CHUNK) {
    await ctx.db.transaction().execute(async (trx) => {
      for (let i = from; i < Math.min(from + CHUNK, entries.length); i++) {
        const f: Record<string, Figure> = {};
        for (const [k, key] of AUTO_KEYS.entries()) f[key] = { value: values[i * K + k] };
        // A ratio's denominator is all activities held (also those without any report).
        f.reports_on_time.of = values[i * K + held];
        await trx.executeQuery(
          CompiledQuery.raw(update.sql, [JSON.stringify(f), autoScore(rubric, f), now, entries[i].id]),
        );
      }
    });
  }
  return entries.length;
}

// ---- moving a round on ----

const ROUND_AUDIT: Record<RoundAction, string> = {
  open: "evaluation.round_open",
  start_review: "evaluation.round_start_review",
  start_scoring: "evaluation.round_start_scoring",
  publish: "evaluation.round_publish",
  close: "evaluation.round_close",
};

/**
 * The office moves the round on. Opening it enters every named base (not revoked, named in or before
 * the year) and computes its figures, queues the reminder 3 working days before the self-assessment
 * deadline and tells the bases; 评分 recomputes the figures (reports accepted since) and tells the
 * evaluators. 公示 and closing go through `publishResults` and the close job.
 */
export async function advanceRound(
  ctx: AppContext,
  actor: Actor,
  id: string,
  action: Exclude<RoundAction, "publish" | "close">,
  version: number,
): Promise<RoundStatus> {
  await authorize(ctx, actor, "evaluation:manage");
  const round = await loadRound(ctx, id);
  const to = nextRoundStatus(round.status, action);
  if (!to) throw new AppError("CONFLICT", `当前状态不能执行“${ROUND_ACTIONS[action].label}”`);
  const now = ctx.clock.now().toISOString();
  if (action === "open") {
    const evaluators = await ctx.db
      .selectFrom("evaluation_round_evaluators")
      .select("user_id")
      .where("round_id", "=", id)
      .executeTakeFirst();
    if (!evaluators) throw new AppError("VALIDATION", "请先添加评价人员");
  }
  await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable("evaluation_rounds")
      .set((eb) => ({ status: to, updated_at: now, version: eb("version", "+", 1) }))
      .where("id", "=", id)
      .where("version", "=", version)
      .where("status", "=", round.status)
      .returning("id")
      .executeTakeFirst();
    if (!row) throw new AppError("CONFLICT", ROUND_CONFLICT);
    if (action === "open") {
      await enterBases(trx, round, now);
      const deadlineDate = beijingDateOf(round.self_deadline);
      await queueDeadlineReminder(ctx, trx, SELF_REMINDER_JOB, id, deadlineDate, now);
      await notify(ctx, trx, {
        userIds: await ownerAccounts(trx, id),
        kind: "evaluation.open",
        title: `${round.title}开始自评`,
        body: `请于${deadlineDate}前在【我的基地】→【年度评价】完成自评并提交。`,
        link: "/my-base/evaluation",
      });
    }
    if (action === "start_review") {
      const counties = await trx
        .selectFrom("evaluation_entries")
        .select("region_code")
        .distinct()
        .where("round_id", "=", id)
        .execute();
      await notify(ctx, trx, {
        userIds: await reviewersFor(
          trx,
          "county",
          counties.map((c) => c.region_code),
        ),
        kind: "evaluation.review",
        title: `${round.title}进入县级初审`,
        body: "请对本县（市、区）基地的自评材料提出初审意见。",
        link: `/admin/evaluation/${id}`,
      });
    }
    if (action === "start_scoring") {
      const deadlineDate = beijingDateOf(round.scoring_deadline);
      await queueDeadlineReminder(ctx, trx, SCORING_REMINDER_JOB, id, deadlineDate, now);
      const users = await trx
        .selectFrom("evaluation_round_evaluators")
        .select("user_id")
        .where("round_id", "=", id)
        .execute();
      await notify(ctx, trx, {
        userIds: users.map((u) => u.user_id),
        kind: "evaluation.scoring",
        title: `${round.title}开始评分`,
        body: `请于${beijingDateOf(round.scoring_deadline)}前完成分配给您的基地评分。`,
        link: "/scoring",
      });
    }
    await recordAudit(ctx, trx, actor, {
      action: ROUND_AUDIT[action],
      targetType: "evaluation_round",
      targetId: id,
      detail: { before: { status: round.status }, after: { status: to } },
    });
  });
  if (action === "open" || action === "start_scoring") await refreshRoundFigures(ctx, id);
  return to;
}

/** A reminder 3 working days before a deadline of the round, once per round and kind (unique key). */
async function queueDeadlineReminder(
  ctx: AppContext,
  trx: Kysely<DB>,
  kind: string,
  roundId: string,
  deadlineDate: string,
  now: string,
): Promise<void> {
  const runAt = deadlineReminderAt(deadlineDate, await loadExtraDays(trx));
  if (runAt > now)
    await enqueueJob(trx, ctx, { kind, runAt, uniqueKey: `${kind}:${roundId}`, payload: { roundId } });
}

/** The Beijing date of an instant stored as a deadline (the end of that day). */
export function beijingDateOf(deadline: string): string {
  return new Date(new Date(deadline).getTime() - 1 + 8 * 3600_000).toISOString().slice(0, 10);
}

/** The round's bases, once, when it opens; whoever else adds or removes entries bumps the same generation. */
async function enterBases(trx: Kysely<DB>, round: EvaluationRound, now: string): Promise<void> {
  await bumpGeneration(trx, "evaluation_entries");
  const bases = await trx
    .selectFrom("bases")
    .select(["id", "region_code", "category_code", "name", "uscc"])
    .where("status", "in", ["active", "warning"])
    .where("recognized_year", "<=", round.year)
    .orderBy("id")
    .execute();
  const CHUNK = 500;
  for (let i = 0; i < bases.length; i += CHUNK)
    await trx
      .insertInto("evaluation_entries")
      .values(
        bases.slice(i, i + CHUNK).map((b) => ({
          id: newId(),
          round_id: round.id,
          base_id: b.id,
          region_code: b.region_code,
          category_code: b.category_code,
          base_name: b.name,
          uscc: b.uscc,
          created_at: now,
          updated_at: now,
        })),
      )
      .execute();
}

/** The org accounts acting for the round's bases (for notices to the bases). */
async function ownerAccounts(db: Kysely<DB>, roundId: string, statuses?: string[]): Promise<string[]> {
  let q = db
    .selectFrom("evaluation_entries as e")
    .innerJoin("base_accounts as ba", "ba.base_id", "e.base_id")
    .innerJoin("users as u", "u.id", "ba.user_id")
    .select("ba.user_id")
    .where("e.round_id", "=", roundId)
    .where("u.disabled_at", "is", null);
  if (statuses) q = q.where("e.status", "in", statuses as EvaluationEntry["status"][]);
  return (await q.execute()).map((r) => r.user_id);
}

/** The reminder 3 working days before the self-assessment deadline, to bases that have not submitted. */
export async function sendSelfReminders(ctx: AppContext, roundId: string): Promise<number> {
  const round = await loadRound(ctx, roundId);
  if (round.status !== "self_assessment") return 0;
  return ctx.db.transaction().execute(async (trx) => {
    const users = await ownerAccounts(trx, roundId, ["pending", "returned"]);
    await notify(ctx, trx, {
      userIds: users,
      kind: "evaluation.self_reminder",
      title: `${round.title}自评即将截止`,
      body: `自评将于${beijingDateOf(round.self_deadline)}截止，请尽快完成并提交；逾期提交将被标记。`,
      link: "/my-base/evaluation",
    });
    return new Set(users).size;
  });
}

// ---- who sees what ----

/** How the actor sees the entries of a round (see evaluation.policy.ts). */
export async function viewerFor(
  ctx: AppContext,
  user: SessionUser | null,
  roundId: string,
): Promise<EntryViewer> {
  if (!user || user.mustChangePassword) return { kind: "none" };
  const a = await ctx.db
    .selectFrom("evaluation_round_evaluators")
    .selectAll()
    .where("round_id", "=", roundId)
    .where("user_id", "=", user.id)
    .executeTakeFirst();
  return viewerWith(ctx, user, a);
}

/** viewerFor, given the user's own row of the round's evaluators (undefined: not one of them). */
export async function viewerWith(
  ctx: AppContext,
  user: SessionUser | null,
  a: Pick<RoundEvaluator, "scope_kind" | "scope_values" | "unit_uscc"> | undefined,
): Promise<EntryViewer> {
  if (!user || user.mustChangePassword) return { kind: "none" };
  if (a && user.role !== "org")
    return {
      kind: "evaluator",
      assignment: { scopeKind: a.scope_kind, scopeValues: JSON.parse(a.scope_values), unitUscc: a.unit_uscc },
    };
  if (user.role === "org") {
    const rows = await ctx.db
      .selectFrom("base_accounts")
      .select("base_id")
      .where("user_id", "=", user.id)
      .execute();
    return { kind: "owner", baseIds: rows.map((r) => r.base_id) };
  }
  if (user.role === "county" || user.role === "city" || user.role === "office" || user.role === "admin") {
    const scope = await regionSubtree(ctx, user.regionCode);
    return { kind: "staff", scope };
  }
  return { kind: "none" };
}

/** A round for staff who may read evaluations, with its rubric and evaluators. */
export async function getRound(ctx: AppContext, actor: Actor, id: string) {
  await authorize(ctx, actor, "evaluation:read");
  const round = await loadRound(ctx, id);
  const rubric = await getRubric(ctx, round.rubric_id);
  return { round, rubric, evaluators: await listRoundEvaluators(ctx.db, id) };
}
