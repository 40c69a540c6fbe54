import type { Kysely, SelectQueryBuilder } from "kysely";
import { authorize, deniedAsNotFound } from "#src/modules/accounts/authorize.server.ts";
import { recordAudit } from "#src/modules/audit/audit.server.ts";
import { findOwnBase } from "#src/modules/bases/bases.server.ts";
import { type FileView, listOwnerFiles } from "#src/modules/files/files.server.ts";
import { notify, reviewersFor } from "#src/modules/notifications/notifications.server.ts";
import type { Actor, AppContext } from "#src/platform/context.ts";
import { allColumns, fromJson, jsonHelpers } from "#src/platform/db/json-subqueries.ts";
import type {
  DB,
  EntryStatus,
  EvaluationEntry,
  EvaluationRound,
  EvaluationScore,
  RoundEvaluator,
} from "#src/platform/db/schema.ts";
import { AppError } from "#src/platform/errors.ts";
import { canSeeEntry, canSeeOthersScores, type EntryViewer } from "./evaluation.policy.ts";
import {
  AUTO_KEYS,
  type AutoKey,
  canCountyReview,
  canSelfAssess,
  type Figure,
  isLate,
  manualScoreProblem,
  type RubricDimension,
  rubricIndicators,
} from "./evaluation.rules.ts";
import type { CountyReviewInput, SelfAssessmentInput } from "./evaluation.schema.ts";
import { getRubric, loadRound, rubricOf, viewerFor, viewerWith } from "./evaluation.server.ts";
import { type EvidenceRow, listEvidence } from "./evaluation-figures.server.ts";

export const ENTRY_CONFLICT = "该基地的评价材料刚刚已被修改，请刷新页面查看最新内容。";

export interface SelfItem {
  score: number | null;
  text: string;
}

export const selfScoresOf = (e: Pick<EvaluationEntry, "self_scores">) =>
  JSON.parse(e.self_scores) as Record<string, SelfItem>;
export const figuresOf = (e: Pick<EvaluationEntry, "auto_figures">) =>
  JSON.parse(e.auto_figures) as Record<string, Figure>;

/** The entries an evaluator's assignment covers, in the where clause (never its own organization). */
export function assignedEntries<O>(
  q: SelectQueryBuilder<DB, "evaluation_entries", O>,
  a: { scopeKind: "county" | "category"; scopeValues: readonly string[]; unitUscc: string },
) {
  const values = a.scopeValues.length ? [...a.scopeValues] : [""];
  let out = q.where(
    a.scopeKind === "county" ? "evaluation_entries.region_code" : "evaluation_entries.category_code",
    "in",
    values,
  );
  if (a.unitUscc.trim()) out = out.where("evaluation_entries.uscc", "!=", a.unitUscc.trim().toUpperCase());
  return out;
}

/** The entries a viewer may see, as a where clause on evaluation_entries. */
export function visibleEntries(db: Kysely<DB>, viewer: EntryViewer) {
  const q = db.selectFrom("evaluation_entries");
  switch (viewer.kind) {
    case "staff":
      return q.where("evaluation_entries.region_code", "in", viewer.scope.length ? [...viewer.scope] : [""]);
    case "evaluator":
      return assignedEntries(q, viewer.assignment);
    case "owner":
      return q.where("evaluation_entries.base_id", "in", viewer.baseIds.length ? [...viewer.baseIds] : [""]);
    default:
      return q.where("evaluation_entries.id", "=", "");
  }
}

export interface EntryFilter {
  status?: EntryStatus;
  county?: string;
  flagged?: boolean;
}

/** The round's entries for staff in scope (county staff: their county), by county then name. */
export async function listEntries(ctx: AppContext, actor: Actor, roundId: string, filter: EntryFilter = {}) {
  const me = await authorize(ctx, actor, "evaluation:read");
  const viewer = await viewerFor(ctx, me, roundId);
  let q = visibleEntries(ctx.db, viewer.kind === "staff" ? viewer : { kind: "none" }).where(
    "evaluation_entries.round_id",
    "=",
    roundId,
  );
  if (filter.status) q = q.where("status", "=", filter.status);
  if (filter.county) q = q.where("region_code", "=", filter.county);
  if (filter.flagged) q = q.where("spread_flag", "=", 1);
  return q.selectAll().orderBy("region_code").orderBy("base_name").orderBy("id").execute();
}

async function loadEntry(ctx: AppContext, actor: Actor, entryId: string) {
  const user = actor.user;
  if (!user) throw new AppError("UNAUTHENTICATED", "请先登录");
  const entry = await ctx.db
    .selectFrom("evaluation_entries")
    .selectAll()
    .where("id", "=", entryId)
    .executeTakeFirst();
  const viewer = entry ? await viewerFor(ctx, user, entry.round_id) : ({ kind: "none" } as const);
  if (
    !entry ||
    !canSeeEntry(viewer, {
      baseId: entry.base_id,
      regionCode: entry.region_code,
      categoryCode: entry.category_code,
      uscc: entry.uscc,
    })
  )
    return deniedAsNotFound(ctx, actor, { type: "evaluation_entry", id: entryId, exists: !!entry });
  const round = await loadRound(ctx, entry.round_id);
  if (round.status === "draft")
    return deniedAsNotFound(ctx, actor, { type: "evaluation_entry", id: entryId, exists: true });
  return { entry, round, viewer, user };
}

export interface ScoreView extends EvaluationScore {
  evaluatorName: string;
  mine: boolean;
}

export interface EntryView {
  entry: EvaluationEntry;
  round: EvaluationRound;
  rubric: RubricDimension[];
  figures: Record<string, Figure>;
  self: Record<string, SelfItem>;
  viewer: EntryViewer["kind"];
  /** The self-assessment's evidence. */
  files: FileView[];
  /** The scores the viewer may see: its own always; others' once every evaluator submitted (staff: all). */
  scores: ScoreView[];
  evaluatorsTotal: number;
  evaluatorsSubmitted: number;
}

const ROUND_COLUMNS = allColumns<EvaluationRound>()([
  "id",
  "year",
  "title",
  "status",
  "rubric_id",
  "self_deadline",
  "scoring_deadline",
  "thresholds",
  "spread_limit",
  "subsidies",
  "notice_id",
  "confirmed_at",
  "created_by",
  "created_at",
  "updated_at",
  "version",
]);
const EVALUATOR_COLUMNS = allColumns<RoundEvaluator>()([
  "round_id",
  "user_id",
  "scope_kind",
  "scope_values",
  "unit_uscc",
  "unit_name",
  "finished_at",
  "created_at",
]);
const SCORE_COLUMNS = allColumns<EvaluationScore>()([
  "entry_id",
  "evaluator_id",
  "round_id",
  "scores",
  "total",
  "comment",
  "submitted_at",
  "updated_at",
  "version",
]);

/**
 * One base's evaluation as its viewer may see it, with its evidence files. One statement reads the
 * entry, its round and rubric, the round's evaluators and the entry's scores (on PostgreSQL every
 * statement is a round trip), a second the files.
 */
export async function getEntry(ctx: AppContext, actor: Actor, entryId: string): Promise<EntryView> {
  const user = actor.user;
  if (!user) throw new AppError("UNAUTHENTICATED", "请先登录");
  const json = jsonHelpers(ctx.engine);
  const row = await ctx.db
    .selectFrom("evaluation_entries as e")
    .innerJoin("evaluation_rounds as r", "r.id", "e.round_id")
    .selectAll("e")
    .select((eb) => [
      json
        .jsonObjectFrom(
          eb
            .selectFrom("evaluation_rounds")
            .select(ROUND_COLUMNS)
            .whereRef("evaluation_rounds.id", "=", "e.round_id"),
        )
        .$notNull()
        .as("round"),
      eb
        .selectFrom("evaluation_rubrics")
        .select("evaluation_rubrics.dimensions")
        .whereRef("evaluation_rubrics.id", "=", "r.rubric_id")
        .as("dimensions"),
      json
        .jsonArrayFrom(
          eb
            .selectFrom("evaluation_round_evaluators as a")
            .select(EVALUATOR_COLUMNS.map((c) => `a.${c}` as const))
            .whereRef("a.round_id", "=", "e.round_id"),
        )
        .as("evaluators"),
      json
        .jsonArrayFrom(
          eb
            .selectFrom("evaluation_scores as s")
            .innerJoin("users as u", "u.id", "s.evaluator_id")
            .select(SCORE_COLUMNS.map((c) => `s.${c}` as const))
            .select("u.display_name as evaluatorName")
            .whereRef("s.entry_id", "=", "e.id")
            .orderBy("u.display_name"),
        )
        .as("scores"),
    ])
    .where("e.id", "=", entryId)
    .executeTakeFirst();
  if (!row) return deniedAsNotFound(ctx, actor, { type: "evaluation_entry", id: entryId, exists: false });
  const evaluators = fromJson<RoundEvaluator[]>(row.evaluators);
  const viewer = await viewerWith(
    ctx,
    user,
    evaluators.find((a) => a.user_id === user.id),
  );
  const round = fromJson<EvaluationRound>(row.round);
  if (
    !canSeeEntry(viewer, {
      baseId: row.base_id,
      regionCode: row.region_code,
      categoryCode: row.category_code,
      uscc: row.uscc,
    }) ||
    round.status === "draft"
  )
    return deniedAsNotFound(ctx, actor, { type: "evaluation_entry", id: entryId, exists: true });
  if (row.dimensions === null) throw new AppError("NOT_FOUND", "未找到该评价指标");
  const { round: _round, dimensions, evaluators: _evaluators, scores: scoreRows, ...entry } = row;
  const scores = fromJson<(EvaluationScore & { evaluatorName: string })[]>(scoreRows);
  const assigned = evaluatorsCovering(evaluators, entry);
  const submitted = scores.filter((s) => s.submitted_at && assigned.includes(s.evaluator_id)).length;
  const allSubmitted = assigned.length > 0 && submitted === assigned.length;
  const seeOthers = canSeeOthersScores(viewer, allSubmitted);
  return {
    entry,
    round,
    rubric: rubricOf({ dimensions }),
    figures: figuresOf(entry),
    self: selfScoresOf(entry),
    viewer: viewer.kind,
    scores: scores
      .filter((s) => s.evaluator_id === user.id || seeOthers)
      .map((s) => ({ ...s, mine: s.evaluator_id === user.id })),
    evaluatorsTotal: assigned.length,
    evaluatorsSubmitted: submitted,
    files: await listOwnerFiles(ctx, "evaluation_entry", entry.id),
  };
}

/** Of a round's evaluators, those whose assignment covers the base (never its own organization's). */
function evaluatorsCovering(
  rows: readonly RoundEvaluator[],
  entry: Pick<EvaluationEntry, "region_code" | "category_code" | "uscc">,
): string[] {
  return rows
    .filter((a) => {
      const values = JSON.parse(a.scope_values) as string[];
      const v = a.scope_kind === "county" ? entry.region_code : entry.category_code;
      const own = a.unit_uscc !== "" && a.unit_uscc.toUpperCase() === entry.uscc.toUpperCase();
      return values.includes(v) && !own;
    })
    .map((a) => a.user_id);
}

/** "12 场" opens the 12: the records a figure of the entry counts. */
export async function listEntryEvidence(
  ctx: AppContext,
  actor: Actor,
  entryId: string,
  key: string,
): Promise<{ entry: EvaluationEntry; round: EvaluationRound; key: AutoKey; rows: EvidenceRow[] }> {
  const { entry, round } = await loadEntry(ctx, actor, entryId);
  if (!(AUTO_KEYS as readonly string[]).includes(key)) throw new AppError("NOT_FOUND", "未找到该指标");
  const rows = await listEvidence(ctx.db, ctx.engine, key as AutoKey, round.year, entry.base_id);
  return { entry, round, key: key as AutoKey, rows };
}

// ---- the base's side ----

export interface OwnEvaluation {
  baseName: string;
  /** Rounds under way for the base (the newest is shown unless a year is asked for). */
  openYears: number[];
  current: EntryView | null;
  history: {
    entryId: string;
    year: number;
    title: string;
    finalScore: number | null;
    grade: string | null;
    status: string;
  }[];
}

/** 【我的基地】→【年度评价】: the round under way (not a draft) and the base's grades of closed rounds. */
export async function getOwnEvaluation(ctx: AppContext, actor: Actor, year?: number): Promise<OwnEvaluation> {
  const me = await authorize(ctx, actor, "bases:own");
  const base = await findOwnBase(ctx, me);
  if (!base) throw new AppError("NOT_FOUND", "贵单位尚无已认定的科普教育基地");
  const rows = await ctx.db
    .selectFrom("evaluation_entries as e")
    .innerJoin("evaluation_rounds as r", "r.id", "e.round_id")
    .select(["e.id", "r.year", "r.title", "r.status", "e.final_score", "e.grade"])
    .where("e.base_id", "=", base.id)
    .where("r.status", "!=", "draft")
    .orderBy("r.year", "desc")
    .execute();
  const under = rows.filter((r) => r.status !== "closed");
  const open = under.find((r) => r.year === year) ?? under[0];
  return {
    baseName: base.name,
    openYears: under.map((r) => r.year),
    current: open ? await getEntry(ctx, actor, open.id) : null,
    history: rows
      .filter((r) => r.status === "closed" || r.status === "publicity")
      .map((r) => ({
        entryId: r.id,
        year: r.year,
        title: r.title,
        finalScore: r.final_score,
        grade: r.grade,
        status: r.status,
      })),
  };
}

/** The base's grade history for staff in scope (a base's page). */
export async function listBaseGrades(ctx: AppContext, actor: Actor, baseId: string) {
  const me = await authorize(ctx, actor, "evaluation:read");
  const viewer = await viewerFor(ctx, me, "");
  return visibleEntries(ctx.db, viewer)
    .innerJoin("evaluation_rounds as r", "r.id", "evaluation_entries.round_id")
    .select([
      "evaluation_entries.id",
      "r.year",
      "r.title",
      "r.status",
      "evaluation_entries.final_score",
      "evaluation_entries.grade",
    ])
    .where("evaluation_entries.base_id", "=", baseId)
    .where("r.status", "in", ["publicity", "closed"])
    .orderBy("r.year", "desc")
    .execute();
}

/**
 * Saves the base's self-assessment of the manual indicators (score and text each); `submit` hands it
 * to the county. A draft may be incomplete; a submission needs every score. After the deadline it is
 * accepted but marked late.
 */
export async function saveSelfAssessment(
  ctx: AppContext,
  actor: Actor,
  entryId: string,
  input: SelfAssessmentInput,
  submit: boolean,
): Promise<EvaluationEntry> {
  await authorize(ctx, actor, "bases:own");
  const { entry, round } = await loadEntry(ctx, actor, entryId);
  if (!canSelfAssess(round.status, entry.status))
    throw new AppError("CONFLICT", "当前不在自评阶段，或自评已提交，不能修改。");
  const rubric = await getRubric(ctx, round.rubric_id);
  const items: Record<string, SelfItem> = {};
  const fieldErrors: Record<string, string> = {};
  for (const ind of rubricIndicators(rubric).filter((i) => i.source === "manual")) {
    const given = input.items[ind.key] ?? { score: null, text: "" };
    items[ind.key] = { score: given.score, text: given.text };
    const problem = given.score === null && !submit ? null : manualScoreProblem(ind, given.score);
    if (problem) fieldErrors[`${ind.key}.score`] = problem;
    if (submit && !given.text.trim()) fieldErrors[`${ind.key}.text`] = "请填写自评说明";
  }
  if (Object.keys(fieldErrors).length) throw new AppError("VALIDATION", "请检查自评内容", fieldErrors);
  const now = ctx.clock.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    const late = submit && isLate(now, round.self_deadline);
    const row = await trx
      .updateTable("evaluation_entries")
      .set((eb) => ({
        self_scores: JSON.stringify(items),
        ...(submit ? { status: "submitted" as const, submitted_at: now, late: late ? 1 : 0 } : {}),
        updated_at: now,
        version: eb("version", "+", 1),
      }))
      .where("id", "=", entry.id)
      .where("version", "=", input.version)
      .where("status", "=", entry.status)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new AppError("CONFLICT", ENTRY_CONFLICT);
    if (submit) {
      await notify(ctx, trx, {
        userIds: await reviewersFor(trx, "county", [entry.region_code]),
        kind: "evaluation.submitted",
        title: "基地自评已提交",
        body: `“${entry.base_name}”已提交${round.title}自评${late ? "（逾期）" : ""}，请提出初审意见。`,
        link: `/admin/evaluation/entries/${entry.id}`,
      });
      await recordAudit(ctx, trx, actor, {
        action: "evaluation.self_submit",
        targetType: "evaluation_entry",
        targetId: entry.id,
        detail: { before: { status: entry.status }, after: { status: "submitted", late } },
      });
    }
    return row;
  });
}

/** 初审: county staff of the base's county pass the self-assessment on, or return it for more evidence. */
export async function reviewEntry(
  ctx: AppContext,
  actor: Actor,
  entryId: string,
  input: CountyReviewInput,
): Promise<EvaluationEntry> {
  const me = await authorize(ctx, actor, "evaluation:review");
  const { entry, round } = await loadEntry(ctx, actor, entryId);
  if (!canCountyReview(round.status, entry.status))
    throw new AppError("CONFLICT", "该基地的自评当前不能初审（未提交或已处理）。");
  const to = input.decision === "pass" ? ("passed" as const) : ("returned" as const);
  const now = ctx.clock.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable("evaluation_entries")
      .set((eb) => ({
        status: to,
        county_opinion: input.opinion,
        county_by: me.id,
        county_at: now,
        updated_at: now,
        version: eb("version", "+", 1),
      }))
      .where("id", "=", entry.id)
      .where("version", "=", input.version)
      .where("status", "=", "submitted")
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new AppError("CONFLICT", ENTRY_CONFLICT);
    const owners = await trx
      .selectFrom("base_accounts")
      .select("user_id")
      .where("base_id", "=", entry.base_id)
      .execute();
    await notify(ctx, trx, {
      userIds: owners.map((o) => o.user_id),
      kind: to === "returned" ? "evaluation.returned" : "evaluation.passed",
      title: to === "returned" ? "年度评价自评被退回补充" : "年度评价自评已通过初审",
      body: `${round.title}：${input.opinion}`,
      link: "/my-base/evaluation",
    });
    await recordAudit(ctx, trx, actor, {
      action: to === "returned" ? "evaluation.county_return" : "evaluation.county_pass",
      targetType: "evaluation_entry",
      targetId: entry.id,
      detail: { before: { status: entry.status }, after: { status: to }, opinion: input.opinion },
    });
    return row;
  });
}

/** The entry and its round, when the actor may see the entry (for the files module's hooks). */
async function visibleEntry(ctx: AppContext, actor: Actor, entryId: string) {
  const user = actor.user;
  if (!user || user.mustChangePassword) return null;
  const entry = await ctx.db
    .selectFrom("evaluation_entries")
    .selectAll()
    .where("id", "=", entryId)
    .executeTakeFirst();
  if (!entry) return null;
  const viewer = await viewerFor(ctx, user, entry.round_id);
  const facts = {
    baseId: entry.base_id,
    regionCode: entry.region_code,
    categoryCode: entry.category_code,
    uscc: entry.uscc,
  };
  return canSeeEntry(viewer, facts) ? entry : null;
}

/** For the files module: the entry's region if the actor may see it (owner, staff in scope, assigned evaluator). */
export async function entryRegionFor(ctx: AppContext, actor: Actor, entryId: string): Promise<string | null> {
  return (await visibleEntry(ctx, actor, entryId))?.region_code ?? null;
}

/** For the files module: the entry's region while its base may still change the self-assessment. */
export async function entryWritableRegion(
  ctx: AppContext,
  actor: Actor,
  entryId: string,
): Promise<string | null> {
  if (actor.user?.role !== "org") return null;
  const entry = await visibleEntry(ctx, actor, entryId);
  if (!entry) return null;
  const round = await loadRound(ctx, entry.round_id);
  return canSelfAssess(round.status, entry.status) ? entry.region_code : null;
}

export interface CountyDashboardRow {
  regionCode: string;
  grades: Record<string, number>;
  entries: number;
  openWarnings: number;
  overdueRectifications: number;
}

/**
 * The per-county dashboard of a round (in the actor's scope): the grade distribution, and the bases
 * under an open warning and with a 整改 past its deadline today.
 */
export async function evaluationDashboard(
  ctx: AppContext,
  actor: Actor,
  roundId: string,
): Promise<CountyDashboardRow[]> {
  const me = await authorize(ctx, actor, "evaluation:read");
  const viewer = await viewerFor(ctx, me, roundId);
  const scope = viewer.kind === "staff" ? [...viewer.scope] : [];
  const inScope = scope.length ? scope : [""];
  const grades = await ctx.db
    .selectFrom("evaluation_entries")
    .select(["region_code", "grade", (eb) => eb.fn.countAll().as("n")])
    .where("round_id", "=", roundId)
    .where("region_code", "in", inScope)
    .groupBy(["region_code", "grade"])
    .execute();
  const now = ctx.clock.now().toISOString();
  const warnings = await ctx.db
    .selectFrom("base_warnings")
    .select([
      "region_code",
      (eb) => eb.fn.countAll().as("open"),
      (eb) =>
        eb.fn
          .sum(
            eb
              .case()
              .when(eb.and([eb("status", "=", "rectifying"), eb("deadline", "<", now)]))
              .then(1)
              .else(0)
              .end(),
          )
          .as("overdue"),
    ])
    .where("status", "in", ["open", "rectifying", "report_filed"])
    .where("region_code", "in", inScope)
    .groupBy("region_code")
    .execute();
  const out = new Map<string, CountyDashboardRow>();
  const row = (code: string) => {
    let r = out.get(code);
    if (!r) {
      r = { regionCode: code, grades: {}, entries: 0, openWarnings: 0, overdueRectifications: 0 };
      out.set(code, r);
    }
    return r;
  };
  for (const g of grades) {
    const r = row(g.region_code);
    r.grades[g.grade ?? "none"] = Number(g.n);
    r.entries += Number(g.n);
  }
  for (const w of warnings) {
    const r = row(w.region_code);
    r.openWarnings = Number(w.open);
    r.overdueRectifications = Number(w.overdue ?? 0);
  }
  return [...out.values()].sort((a, b) => a.regionCode.localeCompare(b.regionCode));
}
