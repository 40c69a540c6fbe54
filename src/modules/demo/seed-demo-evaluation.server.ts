import type { Actor, AppContext } from "#src/platform/context.ts";
import { newId } from "#src/platform/ids.ts";
import { DEFAULT_RUBRIC, finalScore, gradeOf, rubricIndicators } from "../evaluation/evaluation.rules.ts";
import { roundSchema } from "../evaluation/evaluation.schema.ts";
import { advanceRound, createRound } from "../evaluation/evaluation.server.ts";

/**
 * 绩效评价 demo data (clearly marked): last year's round closed with grades, this year's round in
 * self-assessment, one base under 整改 and one warning that was lifted. Figures come from the demo
 * activities through the real use cases; the closed round's scores are written as the demo evaluator.
 */
export async function seedDemoEvaluation(ctx: AppContext): Promise<void> {
  const office = await ctx.db
    .selectFrom("users")
    .select(["id", "role", "display_name", "username", "region_code"])
    .where("username", "=", "office")
    .executeTakeFirst();
  const evaluator = await ctx.db
    .selectFrom("users")
    .select("id")
    .where("username", "=", "evaluator")
    .executeTakeFirst();
  if (!office || !evaluator) return;
  const actor: Actor = {
    user: {
      id: office.id,
      role: office.role,
      displayName: office.display_name,
      login: office.username ?? "",
      regionCode: office.region_code,
      mustChangePassword: false,
    },
    ip: null,
  };
  const now = ctx.clock.now();
  const iso = now.toISOString();
  const year = new Date(now.getTime() + 8 * 3600_000).getUTCFullYear();
  const day = (days: number) =>
    new Date(now.getTime() + days * 86400_000 + 8 * 3600_000).toISOString().slice(0, 10);
  const input = (y: number, self: string, scoring: string) =>
    roundSchema.parse({
      year: String(y),
      title: `${y}年度衢州市科普教育基地绩效评价（演示）`,
      selfDeadline: self,
      scoringDeadline: scoring,
      subsidyExcellent: "50000",
      subsidyGood: "30000",
      subsidyPass: "10000",
    });

  // Last year's round: opened (entries and figures from the demo data), then closed with grades.
  const lastId = await createRound(ctx, actor, input(year - 1, day(1), day(2)));
  await advanceRound(ctx, actor, lastId, "open", 1);
  const entries = await ctx.db
    .selectFrom("evaluation_entries")
    .select(["id", "base_id", "auto_score", "region_code"])
    .where("round_id", "=", lastId)
    .orderBy("base_name")
    .execute();
  const manual = rubricIndicators(DEFAULT_RUBRIC).filter((i) => i.source === "manual");
  await ctx.db.transaction().execute(async (trx) => {
    for (const [n, e] of entries.entries()) {
      // A spread of manual scores, so every grade appears.
      const share = [0.95, 0.8, 0.6, 0.3][n % 4];
      const scores = Object.fromEntries(manual.map((i) => [i.key, Math.round(i.max * share * 2) / 2]));
      const total = Object.values(scores).reduce((s, v) => s + v, 0);
      const auto = Math.min(75, Number(e.auto_score) + [60, 45, 30, 10][n % 4]);
      const { manual: m, final } = finalScore(auto, [total]);
      await trx
        .insertInto("evaluation_scores")
        .values({
          entry_id: e.id,
          evaluator_id: evaluator.id,
          round_id: lastId,
          scores: JSON.stringify(scores),
          total,
          comment: "（演示数据）",
          submitted_at: iso,
          updated_at: iso,
        })
        .execute();
      await trx
        .updateTable("evaluation_entries")
        .set({
          status: "passed",
          self_scores: JSON.stringify(
            Object.fromEntries(manual.map((i) => [i.key, { score: scores[i.key], text: "（演示数据）" }])),
          ),
          submitted_at: iso,
          county_opinion: "材料齐全，同意报送。（演示数据）",
          auto_score: auto,
          manual_score: m,
          final_score: final,
          grade: gradeOf(final),
        })
        .where("id", "=", e.id)
        .execute();
    }
    await trx
      .updateTable("evaluation_rounds")
      .set({ status: "closed", confirmed_at: iso, updated_at: iso })
      .where("id", "=", lastId)
      .execute();
  });

  // This year's round, in self-assessment.
  const thisId = await createRound(ctx, actor, input(year, day(20), day(40)));
  await advanceRound(ctx, actor, thisId, "open", 1);

  // One base under 整改 (the demo's warning base), one warning lifted.
  const warned = await ctx.db
    .selectFrom("bases")
    .select(["id", "region_code"])
    .where("status", "=", "warning")
    .executeTakeFirst();
  const other = await ctx.db
    .selectFrom("bases")
    .select(["id", "region_code"])
    .where("status", "=", "active")
    .orderBy("name")
    .executeTakeFirst();
  const warning = (b: { id: string; region_code: string }, lifted: boolean) => ({
    id: newId(),
    base_id: b.id,
    region_code: b.region_code,
    source: "grade" as const,
    round_id: lastId,
    status: lifted ? ("lifted" as const) : ("rectifying" as const),
    reason: `${year - 1}年度绩效评价不合格。（演示数据）`,
    measures: "完善开放服务制度，每季度至少开展1场科普活动并按时上传活动小结。（演示数据）",
    deadline: new Date(`${day(lifted ? -30 : 30)}T16:00:00.000Z`).toISOString(),
    report_text: lifted ? "已完成整改，制度已修订，活动按时开展。（演示数据）" : "",
    report_at: lifted ? iso : null,
    recheck_note: lifted ? "复查通过，解除警示。（演示数据）" : "",
    created_by: office.id,
    created_at: iso,
    updated_at: iso,
  });
  const rows = [warned && warning(warned, false), other && warning(other, true)].filter((w) => !!w);
  if (rows.length) await ctx.db.insertInto("base_warnings").values(rows).execute();
  // Their steps, as the base's staff timeline shows them (动态管理).
  const step = (w: (typeof rows)[number], action: string, status: string, note: string) => ({
    id: newId(),
    warning_id: w.id,
    base_id: w.base_id,
    action,
    status,
    actor_id: action === "report" ? null : office.id,
    actor_role: action === "report" ? "org" : "office",
    note,
    at: iso,
  });
  const events = rows.flatMap((w) =>
    w.status === "lifted"
      ? [
          step(w, "rectify", "rectifying", w.measures),
          step(w, "report", "report_filed", ""),
          step(w, "recheck_pass", "lifted", w.recheck_note),
        ]
      : [step(w, "rectify", "rectifying", w.measures)],
  );
  if (events.length) await ctx.db.insertInto("base_warning_events").values(events).execute();
}
