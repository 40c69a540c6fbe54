/**
 * The evaluation suite's round, in a process of its own (run by seed-evaluation.ts with the server
 * stopped), through the app's own use cases on the generated data:
 *
 * - `prepare`: the office creates the round for the year two years back (the demo holds the last two),
 *   adds the demo city account as an evaluator of 龙游县 for this round only, opens it (every named
 *   base enters) and moves it on to 评分.
 * - `compute <roundId>`: computes the round's automatic indicators once more (refreshRoundFigures),
 *   timing it and sampling this process's RSS every 50 ms from just before.
 *
 * Prints one JSON line on stdout.
 */
import { roundSchema } from "../../src/modules/evaluation/evaluation.schema.ts";
import {
  advanceRound,
  createRound,
  refreshRoundFigures,
  setRoundEvaluator,
} from "../../src/modules/evaluation/evaluation.server.ts";
import { systemClock } from "../../src/platform/clock.ts";
import { loadConfig } from "../../src/platform/config.ts";
import type { Actor, AppContext } from "../../src/platform/context.ts";
import { openConfiguredDatabase } from "../../src/platform/db/open-configured.ts";

export const EVALUATION_COUNTY = "330825";

async function actorFor(ctx: AppContext, login: string): Promise<Actor> {
  const u = await ctx.db
    .selectFrom("users")
    .select(["id", "role", "display_name", "username", "region_code"])
    .where("username", "=", login)
    .executeTakeFirstOrThrow();
  return {
    ip: "127.0.0.1",
    user: {
      id: u.id,
      role: u.role,
      displayName: u.display_name,
      login,
      regionCode: u.region_code ?? "",
      mustChangePassword: false,
    },
  };
}

const mb = (n: number) => Math.round((n / 1024 / 1024) * 10) / 10;

async function main() {
  const [mode, arg] = process.argv.slice(2);
  const config = loadConfig(process.env);
  const handle = openConfiguredDatabase(config, { poolSize: 4 });
  const ctx: AppContext = { db: handle.db, engine: handle.engine, clock: systemClock, config };
  try {
    if (mode === "prepare") {
      const office = await actorFor(ctx, "office");
      const city = await actorFor(ctx, "city");
      const year = new Date().getUTCFullYear() - 2;
      const day = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
      const started = performance.now();
      const roundId = await createRound(
        ctx,
        office,
        roundSchema.parse({
          year: String(year),
          title: `${year}年度科普教育基地绩效评价（基准测试）`,
          selfDeadline: day(20),
          scoringDeadline: day(40),
        }),
      );
      await setRoundEvaluator(ctx, office, roundId, {
        userId: city.user!.id,
        scopeKind: "county",
        scopeValues: [EVALUATION_COUNTY],
        unitUscc: "",
        unitName: "",
      });
      const version = async () =>
        (
          await ctx.db
            .selectFrom("evaluation_rounds")
            .select("version")
            .where("id", "=", roundId)
            .executeTakeFirstOrThrow()
        ).version;
      await advanceRound(ctx, office, roundId, "open", await version());
      const openSec = (performance.now() - started) / 1000;
      await advanceRound(ctx, office, roundId, "start_review", await version());
      await advanceRound(ctx, office, roundId, "start_scoring", await version());
      const entries = await ctx.db
        .selectFrom("evaluation_entries")
        .select((eb) => eb.fn.countAll().as("n"))
        .where("round_id", "=", roundId)
        .executeTakeFirstOrThrow();
      const sample = await ctx.db
        .selectFrom("evaluation_entries")
        .select("id")
        .where("round_id", "=", roundId)
        .where("region_code", "=", EVALUATION_COUNTY)
        .orderBy("base_name")
        .executeTakeFirstOrThrow();
      const assigned = await ctx.db
        .selectFrom("evaluation_entries")
        .select((eb) => eb.fn.countAll().as("n"))
        .where("round_id", "=", roundId)
        .where("region_code", "=", EVALUATION_COUNTY)
        .executeTakeFirstOrThrow();
      console.log(
        JSON.stringify({
          roundId,
          year,
          entries: Number(entries.n),
          assigned: Number(assigned.n),
          sampleEntryId: sample.id,
          openSec,
          totalSec: (performance.now() - started) / 1000,
        }),
      );
    } else if (mode === "compute" && arg) {
      const before = process.memoryUsage().rss;
      let peak = before;
      const timer = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss);
      }, 50);
      const started = performance.now();
      const entries = await refreshRoundFigures(ctx, arg);
      const seconds = (performance.now() - started) / 1000;
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage().rss);
      console.log(
        JSON.stringify({
          entries,
          seconds,
          rssBeforeMB: mb(before),
          rssPeakMB: mb(peak),
          growthMB: mb(peak - before),
        }),
      );
    } else throw new Error("usage: evaluation-round.ts prepare | compute <roundId>");
  } finally {
    await handle.close();
  }
}

await main();
