import type { Kysely } from "kysely";
import type { AppContext } from "#src/platform/context.ts";
import type { DB, Job } from "#src/platform/db/schema.ts";
import { newId } from "#src/platform/ids.ts";
import { logger } from "#src/platform/logger.ts";

/**
 * Durable jobs: rows in `jobs`, due at `run_at`, claimed by one process at a time (a claim is a
 * conditional UPDATE, so several workers or instances can poll the same table) and retried with
 * back-off when a handler throws. A job enqueued inside a transaction exists only if it commits.
 */
export type JobHandler = (ctx: AppContext, job: Job, payload: Record<string, unknown>) => Promise<void>;

const MAX_ATTEMPTS = 5;
/** A claim older than this is presumed dead (the process crashed) and may be taken again. */
const LEASE_MS = 5 * 60_000;

export async function enqueueJob(
  db: Kysely<DB>,
  ctx: Pick<AppContext, "clock">,
  job: { kind: string; runAt: string; uniqueKey?: string; payload?: Record<string, unknown> },
): Promise<void> {
  const values = {
    id: newId(),
    kind: job.kind,
    unique_key: job.uniqueKey ?? null,
    payload: JSON.stringify(job.payload ?? {}),
    run_at: job.runAt,
    status: "pending" as const,
    created_at: ctx.clock.now().toISOString(),
  };
  if (!job.uniqueKey) {
    await db.insertInto("jobs").values(values).execute();
    return;
  }
  // One job per key: enqueueing again moves the pending one to the new time.
  await db
    .insertInto("jobs")
    .values(values)
    .onConflict((oc) =>
      oc.column("unique_key").doUpdateSet({
        run_at: job.runAt,
        payload: values.payload,
        status: "pending",
        attempts: 0,
        last_error: null,
        locked_until: null,
        finished_at: null,
      }),
    )
    .execute();
}

/** Claims and runs the jobs due now, oldest first. Returns how many ran (succeeded or failed). */
export async function runDueJobs(
  ctx: AppContext,
  handlers: Record<string, JobHandler>,
  opts: { limit?: number } = {},
): Promise<number> {
  let ran = 0;
  for (let i = 0; i < (opts.limit ?? 50); i++) {
    const job = await claimNext(ctx);
    if (!job) break;
    ran++;
    const handler = handlers[job.kind];
    try {
      if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
      await handler(ctx, job, JSON.parse(job.payload) as Record<string, unknown>);
      await ctx.db
        .updateTable("jobs")
        .set({ status: "done", finished_at: ctx.clock.now().toISOString(), locked_until: null })
        .where("id", "=", job.id)
        // Enqueued again while it ran (the key's row was reset): it stays pending and runs again.
        .where("status", "=", "running")
        .where("attempts", "=", job.attempts)
        .where("locked_until", "=", job.locked_until!)
        .execute();
    } catch (e) {
      const attempts = job.attempts;
      const failed = attempts >= MAX_ATTEMPTS;
      logger.error({ err: e, job: job.id, kind: job.kind, attempts }, "job failed");
      await ctx.db
        .updateTable("jobs")
        .set({
          status: failed ? "failed" : "pending",
          last_error: String(e instanceof Error ? e.message : e).slice(0, 2000),
          locked_until: null,
          // Back-off: 1, 4, 9, 16 minutes.
          run_at: new Date(ctx.clock.now().getTime() + attempts * attempts * 60_000).toISOString(),
          finished_at: failed ? ctx.clock.now().toISOString() : null,
        })
        .where("id", "=", job.id)
        .where("status", "=", "running")
        .where("attempts", "=", job.attempts)
        .where("locked_until", "=", job.locked_until!)
        .execute();
    }
  }
  return ran;
}

async function claimNext(ctx: AppContext): Promise<Job | null> {
  const now = ctx.clock.now();
  const nowIso = now.toISOString();
  for (let tries = 0; tries < 5; tries++) {
    const candidate = await ctx.db
      .selectFrom("jobs")
      .selectAll()
      .where((eb) =>
        eb.or([
          eb.and([eb("status", "=", "pending"), eb("run_at", "<=", nowIso)]),
          eb.and([eb("status", "=", "running"), eb("locked_until", "<", nowIso)]),
        ]),
      )
      .orderBy("run_at")
      .limit(1)
      .executeTakeFirst();
    if (!candidate) return null;
    const claimed = await ctx.db
      .updateTable("jobs")
      .set((eb) => ({
        status: "running",
        locked_until: new Date(now.getTime() + LEASE_MS).toISOString(),
        attempts: eb("attempts", "+", 1),
      }))
      .where("id", "=", candidate.id)
      .where("status", "=", candidate.status)
      .where("attempts", "=", candidate.attempts)
      .returningAll()
      .executeTakeFirst();
    if (claimed) return claimed;
    // Another process took it first: look again.
  }
  return null;
}

/** Polls for due jobs every `intervalMs` in this process; returns a stop function. */
export function startJobRunner(
  ctx: AppContext,
  handlers: Record<string, JobHandler>,
  intervalMs = 10_000,
): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await runDueJobs(ctx, handlers);
    } catch (e) {
      logger.error({ err: e }, "job runner tick failed");
    } finally {
      running = false;
    }
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  setTimeout(tick, 1000).unref();
  return () => clearInterval(timer);
}
