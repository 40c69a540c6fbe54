/**
 * The evaluation suite (issue 16) over the generated bases and activities: one round in 评分 with the
 * demo city account as an evaluator of 龙游县 (evaluation-round.ts `prepare`), then the round's
 * automatic indicators computed once more in a fresh process, timed, with its RSS sampled
 * (`compute`). Both run with the server stopped, through the app's own use cases.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "./paths.ts";

const run = promisify(execFile);
const script = path.join(repoRoot, "bench/lib/evaluation-round.ts");

export interface EvaluationSeedResult {
  roundId: string;
  year: number;
  entries: number;
  /** Bases assigned to the evaluator (the demo city account): 龙游县's. */
  assigned: number;
  sampleEntryId: string;
  /** Creating, opening (entering every base and computing its figures) in seconds. */
  openSec: number;
  totalSec: number;
}

export interface EvaluationComputeResult {
  entries: number;
  seconds: number;
  rssBeforeMB: number;
  rssPeakMB: number;
  growthMB: number;
}

async function child<T>(env: NodeJS.ProcessEnv, args: string[]): Promise<T> {
  const { stdout } = await run(process.execPath, ["--import", "tsx", script, ...args], {
    cwd: repoRoot,
    env: { ...env, LOG_LEVEL: "silent" },
    maxBuffer: 16 * 1024 * 1024,
  });
  const last = stdout.trim().split("\n").pop() ?? "";
  return JSON.parse(last) as T;
}

export const prepareEvaluationRound = (env: NodeJS.ProcessEnv) =>
  child<EvaluationSeedResult>(env, ["prepare"]);

export const computeEvaluationFigures = (env: NodeJS.ProcessEnv, roundId: string) =>
  child<EvaluationComputeResult>(env, ["compute", roundId]);
