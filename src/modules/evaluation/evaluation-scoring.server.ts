import type { Writable } from "node:stream";
import type { Kysely } from "kysely";
import { authorize } from "#src/modules/accounts/authorize.server.ts";
import { recordAudit } from "#src/modules/audit/audit.server.ts";
import { loadExtraDays } from "#src/modules/notices/holidays.server.ts";
import { START_NOTICE_JOB } from "#src/modules/notices/notices.server.ts";
import { calendarWarning, noticeEndsAt, uncoveredYears } from "#src/modules/notices/working-days.rules.ts";
import { notify } from "#src/modules/notifications/notifications.server.ts";
import { listRegions } from "#src/modules/regions/regions.server.ts";
import { bumpGeneration, GenerationCache } from "#src/platform/cache/generations.server.ts";
import type { Actor, AppContext } from "#src/platform/context.ts";
import { fromJson, jsonHelpers } from "#src/platform/db/json-subqueries.ts";
import type { DB, EvaluationEntry, EvaluationRound, Grade } from "#src/platform/db/schema.ts";
import { AppError } from "#src/platform/errors.ts";
import { newId } from "#src/platform/ids.ts";
import { enqueueJob, type JobHandler } from "#src/platform/jobs/jobs.server.ts";
import { type SheetColumn, streamSheet } from "#src/platform/xlsx/stream-sheet.server.ts";
import { canScore } from "./evaluation.policy.ts";
import {
  autoPoints,
  finalScore,
  GRADE_LABELS,
  GRADES,
  gradeOf,
  isSpreadFlagged,
  manualScoreProblem,
  type RubricDimension,
  round2,
  rubricIndicators,
  SCORING_PAGE_SIZE,
  type Thresholds,
} from "./evaluation.rules.ts";
import type { ScoreInput } from "./evaluation.schema.ts";
import {
  beijingDateOf,
  getRubric,
  loadRound,
  ROUND_CONFLICT,
  SCORING_REMINDER_JOB,
  SELF_REMINDER_JOB,
  sendSelfReminders,
  viewerFor,
} from "./evaluation.server.ts";
import { assignedEntries, ENTRY_CONFLICT, figuresOf } from "./evaluation-entries.server.ts";

export const CLOSE_ROUND_JOB = "evaluation.close_round";

// ---- the evaluator's side ----

export interface AssignedRow {
  id: string;
  base_name: string;
  region_code: string;
  category_code: string;
  status: EvaluationEntry["status"];
  auto_score: number;
  myTotal: number | null;
  mySubmitted: boolean;
}

export interface AssignmentRound {
  round: EvaluationRound;
  /** Bases assigned to the user in the round, and how many it has submitted. */
  total: number;
  done: number;
}

/** An assignment's number of bases, per round and scope, valid while the round's entries are unchanged. */
const assignedTotals = new GenerationCache<number>(1000);

/**
 * 【评分】: the rounds the user evaluates (newest first, with its progress in each) and one page of
 * the bases assigned to it in the round asked for; by default the newest round still in scoring,
 * else the newest. However many bases are assigned: the rounds in one statement, the progress and the
 * page in a second, and each assignment's number of bases only when the rounds' entries have changed.
 */
export async function listMyAssignments(
  ctx: AppContext,
  actor: Actor,
  opts: { roundId?: string | null; page?: number } = {},
): Promise<{ rounds: AssignmentRound[]; current: string | null; entries: AssignedRow[]; page: number }> {
  const user = actor.user;
  if (!user || user.mustChangePassword) throw new AppError("UNAUTHENTICATED", "请先登录");
  const rounds = await ctx.db
    .selectFrom("evaluation_round_evaluators as e")
    .innerJoin("evaluation_rounds as r", "r.id", "e.round_id")
    .selectAll("r")
    .select(["e.scope_kind", "e.scope_values", "e.unit_uscc"])
    .select((eb) =>
      eb
        .selectFrom("generations")
        .select("generations.value")
        .where("generations.key", "=", "evaluation_entries")
        .as("entries_generation"),
    )
    .where("e.user_id", "=", user.id)
    .where("r.status", "in", ["scoring", "publicity", "closed"])
    .orderBy("r.year", "desc")
    .limit(5)
    .execute();
  const chosen =
    rounds.find((r) => r.id === opts.roundId) ?? rounds.find((r) => r.status === "scoring") ?? rounds[0];
  if (!chosen) return { rounds: [], current: null, entries: [], page: 1 };
  const json = jsonHelpers(ctx.engine);
  const scopeOf = (r: (typeof rounds)[number]) => ({
    scopeKind: r.scope_kind,
    scopeValues: JSON.parse(r.scope_values) as string[],
    unitUscc: r.unit_uscc,
  });
  // How many bases an assignment covers changes only when a round's bases are entered, which bumps
  // the generation: counting a county's 7,900 on every view was most of the page's database time.
  const totals = await Promise.all(
    rounds.map((r) =>
      assignedTotals.get(
        ctx,
        [r.id, r.scope_kind, r.scope_values, r.unit_uscc].join("|"),
        String(r.entries_generation ?? 0),
        async () => {
          const c = await assignedEntries(ctx.db.selectFrom("evaluation_entries"), scopeOf(r))
            .where("evaluation_entries.round_id", "=", r.id)
            .select((eb) => eb.fn.countAll<number | string>().as("n"))
            .executeTakeFirstOrThrow();
          return Number(c.n);
        },
      ),
    ),
  );
  const total = totals[rounds.indexOf(chosen)];
  const page = Math.min(Math.max(1, opts.page ?? 1), Math.max(1, Math.ceil(total / SCORING_PAGE_SIZE)));
  // One statement (on PostgreSQL every statement is a round trip): the submitted scores of each round,
  // from the evaluator's own, and the page of the chosen round.
  const got = await ctx.db
    .selectNoFrom((eb) => [
      json
        .jsonArrayFrom(
          assignedEntries(eb.selectFrom("evaluation_entries"), scopeOf(chosen))
            .leftJoin("evaluation_scores as s", (j) =>
              j.onRef("s.entry_id", "=", "evaluation_entries.id").on("s.evaluator_id", "=", user.id),
            )
            .where("evaluation_entries.round_id", "=", chosen.id)
            .select([
              "evaluation_entries.id",
              "evaluation_entries.base_name",
              "evaluation_entries.region_code",
              "evaluation_entries.category_code",
              "evaluation_entries.status",
              "evaluation_entries.auto_score",
              "s.total",
              "s.submitted_at",
            ])
            .orderBy("evaluation_entries.region_code")
            .orderBy("evaluation_entries.base_name")
            .orderBy("evaluation_entries.id")
            .limit(SCORING_PAGE_SIZE)
            .offset((page - 1) * SCORING_PAGE_SIZE),
        )
        .as("rows"),
      json
        .jsonArrayFrom(
          rounds
            .map((r) => {
              const done = assignedEntries(eb.selectFrom("evaluation_entries"), scopeOf(r))
                .innerJoin("evaluation_scores as s", (j) =>
                  j
                    .onRef("s.entry_id", "=", "evaluation_entries.id")
                    .on("s.round_id", "=", r.id)
                    .on("s.evaluator_id", "=", user.id),
                )
                .where("evaluation_entries.round_id", "=", r.id)
                .where("s.submitted_at", "is not", null)
                .select((c) => c.fn.countAll<number | string>().as("n"));
              return ctx.db.selectNoFrom((e) => [e.val(r.id).as("id"), done.as("done")]);
            })
            .reduce((all, one) => all.unionAll(one)),
        )
        .as("done"),
    ])
    .executeTakeFirstOrThrow();
  const done = fromJson<{ id: string; done: number | string }[]>(got.done);
  const out: AssignmentRound[] = rounds.map(({ entries_generation: _g, ...round }, i) => ({
    round,
    total: totals[i],
    done: Number(done.find((x) => x.id === round.id)?.done ?? 0),
  }));
  const rows = fromJson<
    (Omit<AssignedRow, "myTotal" | "mySubmitted"> & { total: number | null; submitted_at: string | null })[]
  >(got.rows);
  return {
    rounds: out,
    current: chosen.id,
    page,
    entries: rows.map((e) => ({
      id: e.id,
      base_name: e.base_name,
      region_code: e.region_code,
      category_code: e.category_code,
      status: e.status,
      auto_score: e.auto_score,
      myTotal: e.total,
      mySubmitted: !!e.submitted_at,
    })),
  };
}

/**
 * An evaluator scores the manual indicators of an assigned base (never its own organization's),
 * while the round is in scoring. A draft may be incomplete; 【提交评分】 needs every score and is final.
 */
export async function saveScore(
  ctx: AppContext,
  actor: Actor,
  entryId: string,
  input: ScoreInput,
): Promise<number> {
  const user = actor.user;
  if (!user || user.mustChangePassword) throw new AppError("UNAUTHENTICATED", "请先登录");
  const entry = await ctx.db
    .selectFrom("evaluation_entries")
    .selectAll()
    .where("id", "=", entryId)
    .executeTakeFirst();
  const viewer = entry ? await viewerFor(ctx, user, entry.round_id) : ({ kind: "none" } as const);
  const facts = entry && {
    baseId: entry.base_id,
    regionCode: entry.region_code,
    categoryCode: entry.category_code,
    uscc: entry.uscc,
  };
  if (!entry || !facts || viewer.kind !== "evaluator" || !canScore(viewer, facts, "scoring", false)) {
    if (entry)
      await recordAudit(ctx, ctx.db, actor, {
        action: "access.denied",
        outcome: "denied",
        targetType: "evaluation_entry",
        targetId: entryId,
        detail: { reason: "not_assigned" },
      });
    throw new AppError("NOT_FOUND", "未找到该基地");
  }
  const round = await loadRound(ctx, entry.round_id);
  if (round.status !== "scoring") throw new AppError("CONFLICT", "当前不在评分阶段。");
  const existing = await ctx.db
    .selectFrom("evaluation_scores")
    .selectAll()
    .where("entry_id", "=", entryId)
    .where("evaluator_id", "=", user.id)
    .executeTakeFirst();
  if (existing?.submitted_at) throw new AppError("CONFLICT", "您已提交该基地的评分，不能再修改。");
  if ((existing?.version ?? 0) !== input.version) throw new AppError("CONFLICT", ENTRY_CONFLICT);
  const rubric = await getRubric(ctx, round.rubric_id);
  const scores: Record<string, number | null> = {};
  const errors: Record<string, string> = {};
  for (const ind of rubricIndicators(rubric).filter((i) => i.source === "manual")) {
    const v = input.scores[ind.key] ?? null;
    scores[ind.key] = v;
    const problem = v === null && !input.submit ? null : manualScoreProblem(ind, v);
    if (problem) errors[ind.key] = problem;
  }
  if (Object.keys(errors).length) throw new AppError("VALIDATION", "请检查评分", errors);
  const total = round2(Object.values(scores).reduce<number>((s, v) => s + (v ?? 0), 0));
  const now = ctx.clock.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    const values = {
      scores: JSON.stringify(scores),
      total,
      comment: input.comment,
      submitted_at: input.submit ? now : null,
      updated_at: now,
    };
    const row = existing
      ? await trx
          .updateTable("evaluation_scores")
          .set((eb) => ({ ...values, version: eb("version", "+", 1) }))
          .where("entry_id", "=", entryId)
          .where("evaluator_id", "=", user.id)
          .where("version", "=", input.version)
          .where("submitted_at", "is", null)
          .returning("version")
          .executeTakeFirst()
      : await trx
          .insertInto("evaluation_scores")
          .values({ ...values, entry_id: entryId, evaluator_id: user.id, round_id: round.id })
          .onConflict((oc) => oc.columns(["entry_id", "evaluator_id"]).doNothing())
          .returning("version")
          .executeTakeFirst();
    if (!row) throw new AppError("CONFLICT", ENTRY_CONFLICT);
    if (input.submit)
      await recordAudit(ctx, trx, actor, {
        action: "evaluation.score_submit",
        targetType: "evaluation_entry",
        targetId: entryId,
        detail: { after: { scores, total } },
      });
    return row.version;
  });
}

// ---- results ----

export const thresholdsOf = (r: Pick<EvaluationRound, "thresholds">) =>
  JSON.parse(r.thresholds) as Thresholds;
export const subsidiesOf = (r: Pick<EvaluationRound, "subsidies">) =>
  JSON.parse(r.subsidies) as Partial<Record<Grade, number>>;

/**
 * Final scores, grades and spread flags of every entry from the submitted scores (one read of all the
 * round's scores, then one update per entry), in the caller's transaction.
 */
async function computeResults(trx: Kysely<DB>, round: EvaluationRound, now: string): Promise<number> {
  const scores = await trx
    .selectFrom("evaluation_scores")
    .select(["entry_id", "total"])
    .where("round_id", "=", round.id)
    .where("submitted_at", "is not", null)
    .execute();
  const byEntry = new Map<string, number[]>();
  for (const s of scores) byEntry.set(s.entry_id, [...(byEntry.get(s.entry_id) ?? []), Number(s.total ?? 0)]);
  const entries = await trx
    .selectFrom("evaluation_entries")
    .select(["id", "auto_score"])
    .where("round_id", "=", round.id)
    .execute();
  const t = thresholdsOf(round);
  for (const e of entries) {
    const totals = byEntry.get(e.id) ?? [];
    const { manual, final } = finalScore(Number(e.auto_score), totals);
    await trx
      .updateTable("evaluation_entries")
      .set({
        manual_score: totals.length ? manual : null,
        final_score: final,
        grade: gradeOf(final, t),
        spread_flag: isSpreadFlagged(totals, Number(round.spread_limit)) ? 1 : 0,
        updated_at: now,
      })
      .where("id", "=", e.id)
      .execute();
  }
  return entries.length;
}

/** 【计算结果】 during scoring: the office sees grades and the bases where evaluators differ too much. */
export async function calculateResults(ctx: AppContext, actor: Actor, roundId: string): Promise<number> {
  await authorize(ctx, actor, "evaluation:manage");
  const round = await loadRound(ctx, roundId);
  if (round.status !== "scoring") throw new AppError("CONFLICT", "只有评分阶段可以计算结果。");
  return ctx.db.transaction().execute((trx) => computeResults(trx, round, ctx.clock.now().toISOString()));
}

export interface PublishInput {
  startDate: string;
  workingDays: number;
  contact: string;
  calendarConfirmed?: boolean;
  version: number;
}

/**
 * 【确认结果并公示】: the office confirms the results and publishes them in 【公示栏】 as a notice of the
 * notices module (its working-day period and objections); the round closes, and the results become
 * final, when the period ends (CLOSE_ROUND_JOB).
 */
export async function publishResults(
  ctx: AppContext,
  actor: Actor,
  roundId: string,
  input: PublishInput,
): Promise<string> {
  const me = await authorize(ctx, actor, "evaluation:manage");
  const round = await loadRound(ctx, roundId);
  if (round.status !== "scoring") throw new AppError("CONFLICT", "只有评分阶段的结果可以确认并公示。");
  const today = new Date(ctx.clock.now().getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  if (input.startDate < today)
    throw new AppError("VALIDATION", "请检查公示信息", { startDate: "公示开始日期不能早于今天" });
  const extra = await loadExtraDays(ctx.db);
  const { endsAt, lastDay } = noticeEndsAt(input.startDate, input.workingDays, extra);
  const warning = calendarWarning(uncoveredYears(input.startDate, lastDay, extra));
  if (warning && !input.calendarConfirmed)
    throw new AppError("VALIDATION", warning, { calendarConfirmed: warning });
  const startsAt = new Date(`${input.startDate}T00:00:00+08:00`).toISOString();
  const now = ctx.clock.now().toISOString();
  const noticeId = newId();
  await ctx.db.transaction().execute(async (trx) => {
    const moved = await trx
      .updateTable("evaluation_rounds")
      .set((eb) => ({
        status: "publicity",
        notice_id: noticeId,
        confirmed_at: now,
        updated_at: now,
        version: eb("version", "+", 1),
      }))
      .where("id", "=", roundId)
      .where("version", "=", input.version)
      .where("status", "=", "scoring")
      .returning("id")
      .executeTakeFirst();
    if (!moved) throw new AppError("CONFLICT", ROUND_CONFLICT);
    await computeResults(trx, round, now);
    const entries = await trx
      .selectFrom("evaluation_entries as e")
      .innerJoin("bases as b", "b.id", "e.base_id")
      .select([
        "e.base_id",
        "e.base_name",
        "b.unit_name",
        "e.region_code",
        "e.category_code",
        "e.grade",
        "e.final_score",
      ])
      .where("e.round_id", "=", roundId)
      .orderBy("e.final_score", "desc")
      .orderBy("e.base_name")
      .execute();
    const names = new Map((await listRegions(ctx)).map((r) => [r.code, r.name]));
    const byGrade = GRADES.map((g) => {
      const list = entries
        .filter((e) => e.grade === g)
        .map((e) => `${e.base_name}（${names.get(e.region_code) ?? ""}）`);
      return `${GRADE_LABELS[g]}（${list.length}个）：${list.join("、") || "无"}`;
    });
    await trx
      .insertInto("public_notices")
      .values({
        id: noticeId,
        kind: "evaluation",
        call_id: null,
        title: `${round.title}结果公示`,
        body: `经基地自评、县级初审和评价小组评分，${round.year}年度衢州市科普教育基地绩效评价结果如下：\n${byGrade.join("\n")}\n公示期内如有异议，请通过本页【提出异议】反映。`,
        contact: input.contact,
        starts_at: startsAt,
        working_days: input.workingDays,
        ends_at: endsAt,
        status: "open",
        published_by: me.id,
        created_at: now,
        updated_at: now,
      })
      .execute();
    if (entries.length)
      for (let i = 0; i < entries.length; i += 500)
        await trx
          .insertInto("notice_entries")
          .values(
            entries.slice(i, i + 500).map((e, j) => ({
              notice_id: noticeId,
              application_id: null,
              base_id: e.base_id,
              seq: i + j + 1,
              base_name: e.base_name,
              unit_name: e.unit_name,
              region_code: e.region_code,
              category_code: e.category_code,
            })),
          )
          .execute();
    if (startsAt > now)
      await enqueueJob(trx, ctx, {
        kind: START_NOTICE_JOB,
        runAt: startsAt,
        uniqueKey: `${START_NOTICE_JOB}:${noticeId}`,
        payload: { noticeId },
      });
    await enqueueJob(trx, ctx, {
      kind: CLOSE_ROUND_JOB,
      runAt: endsAt,
      uniqueKey: `${CLOSE_ROUND_JOB}:${roundId}`,
      payload: { roundId },
    });
    await bumpGeneration(trx, "notices");
    await recordAudit(ctx, trx, actor, {
      action: "evaluation.round_publish",
      targetType: "evaluation_round",
      targetId: roundId,
      detail: { before: { status: "scoring" }, after: { status: "publicity", noticeId, startsAt, endsAt } },
    });
  });
  return noticeId;
}

/**
 * The end of the 公示: the notice closes, the round's results are final, and a 不合格 base gets a
 * proposed 警示 for the office to confirm (第十七条 dynamic management). Idempotent.
 */
export async function closeRoundIfDue(ctx: AppContext, roundId: string): Promise<boolean> {
  const now = ctx.clock.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    const round = await trx
      .selectFrom("evaluation_rounds")
      .selectAll()
      .where("id", "=", roundId)
      .where("status", "=", "publicity")
      .executeTakeFirst();
    if (!round?.notice_id) return false;
    const notice = await trx
      .selectFrom("public_notices")
      .select(["ends_at"])
      .where("id", "=", round.notice_id)
      .executeTakeFirst();
    if (!notice || notice.ends_at > now) return false;
    await trx
      .updateTable("public_notices")
      .set((eb) => ({ status: "closed", updated_at: now, version: eb("version", "+", 1) }))
      .where("id", "=", round.notice_id)
      .where("status", "=", "open")
      .execute();
    await trx
      .updateTable("evaluation_rounds")
      .set((eb) => ({ status: "closed", updated_at: now, version: eb("version", "+", 1) }))
      .where("id", "=", roundId)
      .execute();
    const failed = await trx
      .selectFrom("evaluation_entries")
      .select(["base_id", "region_code", "final_score"])
      .where("round_id", "=", roundId)
      .where("grade", "=", "fail")
      .execute();
    const proposals = failed.map((f) => ({
      id: newId(),
      base_id: f.base_id,
      region_code: f.region_code,
      source: "grade" as const,
      round_id: roundId,
      status: "proposed" as const,
      reason: `${round.title}结果为不合格（${f.final_score ?? 0}分）`,
      created_by: null,
      created_at: now,
      updated_at: now,
    }));
    if (proposals.length) {
      await trx.insertInto("base_warnings").values(proposals).execute();
      // The first step on each base's 动态管理 timeline.
      await trx
        .insertInto("base_warning_events")
        .values(
          proposals.map((w) => ({
            id: newId(),
            warning_id: w.id,
            base_id: w.base_id,
            action: "propose",
            status: "proposed",
            actor_id: null,
            actor_role: null,
            note: w.reason,
            at: now,
          })),
        )
        .execute();
    }
    await bumpGeneration(trx, "notices");
    const office = await trx
      .selectFrom("users")
      .select("id")
      .where("role", "=", "office")
      .where("disabled_at", "is", null)
      .execute();
    await notify(ctx, trx, {
      userIds: office.map((u) => u.id),
      kind: "evaluation.closed",
      title: `${round.title}公示期满`,
      body: `评价结果已生效${failed.length ? `；${failed.length}个不合格基地已列为拟警示，请确认` : ""}。`,
      link: `/admin/evaluation/${roundId}`,
    });
    await recordAudit(
      ctx,
      trx,
      { user: null, ip: null },
      {
        action: "evaluation.round_close",
        targetType: "evaluation_round",
        targetId: roundId,
        actorLabel: "系统",
        detail: {
          before: { status: "publicity" },
          after: { status: "closed" },
          proposedWarnings: failed.length,
        },
      },
    );
    return true;
  });
}

/**
 * The reminder 3 working days before the scoring deadline: each evaluator of the round (not disabled)
 * with assigned bases it has not submitted a score for gets one notice (inbox and outbox).
 */
export async function sendScoringReminders(ctx: AppContext, roundId: string): Promise<number> {
  const round = await loadRound(ctx, roundId);
  if (round.status !== "scoring") return 0;
  const evaluators = await ctx.db
    .selectFrom("evaluation_round_evaluators as a")
    .innerJoin("users as u", "u.id", "a.user_id")
    .selectAll("a")
    .where("a.round_id", "=", roundId)
    .where("u.disabled_at", "is", null)
    .orderBy("a.user_id")
    .execute();
  return ctx.db.transaction().execute(async (trx) => {
    let reminded = 0;
    for (const a of evaluators) {
      const left = await assignedEntries(trx.selectFrom("evaluation_entries"), {
        scopeKind: a.scope_kind,
        scopeValues: JSON.parse(a.scope_values),
        unitUscc: a.unit_uscc,
      })
        .leftJoin("evaluation_scores as s", (j) =>
          j.onRef("s.entry_id", "=", "evaluation_entries.id").on("s.evaluator_id", "=", a.user_id),
        )
        .where("evaluation_entries.round_id", "=", roundId)
        .where("s.submitted_at", "is", null)
        .select((eb) => eb.fn.countAll().as("n"))
        .executeTakeFirst();
      const n = Number(left?.n ?? 0);
      if (!n) continue;
      await notify(ctx, trx, {
        userIds: [a.user_id],
        kind: "evaluation.scoring_reminder",
        title: `${round.title}评分即将截止`,
        body: `评分将于${beijingDateOf(round.scoring_deadline)}截止，分配给您的基地还有${n}个未提交评分，请尽快完成。`,
        link: "/scoring",
      });
      reminded++;
    }
    return reminded;
  });
}

export const EVALUATION_JOB_HANDLERS: Record<string, JobHandler> = {
  [SELF_REMINDER_JOB]: async (ctx, _job, payload) => {
    await sendSelfReminders(ctx, String(payload.roundId));
  },
  [SCORING_REMINDER_JOB]: async (ctx, _job, payload) => {
    await sendScoringReminders(ctx, String(payload.roundId));
  },
  [CLOSE_ROUND_JOB]: async (ctx, _job, payload) => {
    await closeRoundIfDue(ctx, String(payload.roundId));
  },
};

// ---- exports ----

interface ScoreSheetRow {
  entry: EvaluationEntry;
  county: string;
  manual: Record<string, number | null>;
}

/** Columns of the score sheet: the base, then every indicator of the rubric, then the result. */
function scoreColumns(rubric: RubricDimension[]): SheetColumn<ScoreSheetRow>[] {
  const inds = rubricIndicators(rubric);
  return [
    { header: "基地名称", width: 30, value: (r) => r.entry.base_name },
    { header: "所在区域", width: 10, value: (r) => r.county },
    { header: "统一社会信用代码", width: 20, value: (r) => r.entry.uscc },
    ...inds.map(
      (i): SheetColumn<ScoreSheetRow> => ({
        header: `${i.name}（${i.max}分）`,
        width: 14,
        value: (r) =>
          i.source === "auto"
            ? autoPoints(i, i.autoKey ? figuresOf(r.entry)[i.autoKey] : undefined)
            : (r.manual[i.key] ?? null),
      }),
    ),
    { header: "自动得分", width: 10, value: (r) => r.entry.auto_score },
    { header: "评分均分", width: 10, value: (r) => r.entry.manual_score },
    { header: "总分", width: 10, value: (r) => r.entry.final_score },
    { header: "等次", width: 8, value: (r) => (r.entry.grade ? GRADE_LABELS[r.entry.grade] : "") },
    { header: "评分差异较大", width: 12, value: (r) => (r.entry.spread_flag ? "是" : "") },
    { header: "自评逾期", width: 10, value: (r) => (r.entry.late ? "是" : "") },
  ];
}

/** Means of the submitted manual scores per indicator, per entry. */
export async function manualMeans(db: Kysely<DB>, roundId: string, entryIds: string[]) {
  const out = new Map<string, Record<string, number | null>>();
  if (!entryIds.length) return out;
  const rows = await db
    .selectFrom("evaluation_scores")
    .select(["entry_id", "scores"])
    .where("round_id", "=", roundId)
    .where("entry_id", "in", entryIds)
    .where("submitted_at", "is not", null)
    .execute();
  const sums = new Map<string, Map<string, number[]>>();
  for (const r of rows) {
    const m = sums.get(r.entry_id) ?? new Map<string, number[]>();
    for (const [k, v] of Object.entries(JSON.parse(r.scores) as Record<string, number | null>))
      if (v !== null) m.set(k, [...(m.get(k) ?? []), v]);
    sums.set(r.entry_id, m);
  }
  for (const [id, m] of sums)
    out.set(
      id,
      Object.fromEntries([...m].map(([k, vs]) => [k, round2(vs.reduce((s, v) => s + v, 0) / vs.length)])),
    );
  return out;
}

/** 【导出全部评分】: every entry in scope, indicator by indicator (streamed in pages). */
export async function prepareScoresXlsx(ctx: AppContext, actor: Actor, roundId: string) {
  const me = await authorize(ctx, actor, "evaluation:read");
  const round = await loadRound(ctx, roundId);
  const rubric = await getRubric(ctx, round.rubric_id);
  const viewer = await viewerFor(ctx, me, roundId);
  const scope = viewer.kind === "staff" ? [...viewer.scope] : [];
  const names = new Map((await listRegions(ctx)).map((r) => [r.code, r.name]));
  await recordAudit(ctx, ctx.db, actor, {
    action: "evaluation.scores_export",
    targetType: "evaluation_round",
    targetId: roundId,
  });
  return {
    round,
    write: (out: Writable) =>
      streamSheet<ScoreSheetRow>(out, {
        sheetName: `${round.year}年度评分`,
        columns: scoreColumns(rubric),
        batchSize: 500,
        async nextBatch(last) {
          let q = ctx.db
            .selectFrom("evaluation_entries")
            .selectAll()
            .where("round_id", "=", roundId)
            .where("region_code", "in", scope.length ? scope : [""]);
          if (last) q = q.where("id", ">", last.entry.id);
          const entries = await q.orderBy("id").limit(500).execute();
          const means = await manualMeans(
            ctx.db,
            roundId,
            entries.map((e) => e.id),
          );
          return entries.map((entry) => ({
            entry,
            county: names.get(entry.region_code) ?? entry.region_code,
            manual: means.get(entry.id) ?? {},
          }));
        },
      }),
  };
}

interface SubsidyRow {
  entry: EvaluationEntry;
  county: string;
  unit: string;
  amount: number;
}

/** 【补助导出】 for finance: bases with a grade that carries a subsidy, once the results are confirmed. */
export async function prepareSubsidyXlsx(ctx: AppContext, actor: Actor, roundId: string) {
  await authorize(ctx, actor, "evaluation:manage");
  const round = await loadRound(ctx, roundId);
  if (round.status !== "publicity" && round.status !== "closed")
    throw new AppError("CONFLICT", "评价结果确认后才能导出补助名单。");
  const amounts = subsidiesOf(round);
  const paid = GRADES.filter((g) => Number(amounts[g] ?? 0) > 0);
  const names = new Map((await listRegions(ctx)).map((r) => [r.code, r.name]));
  await recordAudit(ctx, ctx.db, actor, {
    action: "evaluation.subsidy_export",
    targetType: "evaluation_round",
    targetId: roundId,
  });
  const columns: SheetColumn<SubsidyRow>[] = [
    { header: "基地名称", width: 30, value: (r) => r.entry.base_name },
    { header: "依托单位", width: 30, value: (r) => r.unit },
    { header: "统一社会信用代码", width: 20, value: (r) => r.entry.uscc },
    { header: "所在区域", width: 10, value: (r) => r.county },
    { header: "总分", width: 8, value: (r) => r.entry.final_score },
    { header: "等次", width: 8, value: (r) => (r.entry.grade ? GRADE_LABELS[r.entry.grade] : "") },
    { header: "补助金额（元）", width: 14, value: (r) => r.amount },
    { header: "结果状态", width: 10, value: () => (round.status === "closed" ? "已生效" : "公示中") },
  ];
  return {
    round,
    write: (out: Writable) =>
      streamSheet<SubsidyRow>(out, {
        sheetName: `${round.year}年度补助`,
        columns,
        batchSize: 500,
        async nextBatch(last) {
          let q = ctx.db
            .selectFrom("evaluation_entries as e")
            .innerJoin("bases as b", "b.id", "e.base_id")
            .selectAll("e")
            .select("b.unit_name")
            .where("e.round_id", "=", roundId)
            .where("e.grade", "in", paid.length ? paid : ["none" as Grade]);
          if (last) q = q.where("e.id", ">", last.entry.id);
          const rows = await q.orderBy("e.id").limit(500).execute();
          return rows.map(({ unit_name, ...entry }) => ({
            entry: entry as EvaluationEntry,
            unit: unit_name,
            county: names.get(entry.region_code) ?? entry.region_code,
            amount: entry.grade ? Number(amounts[entry.grade] ?? 0) : 0,
          }));
        },
      }),
  };
}
