import type { Kysely, SelectQueryBuilder } from "kysely";
import type { Actor, AppContext } from "#src/platform/context.ts";
import { auditRowHash, type ChainedFields, capDetail, capText } from "#src/platform/db/audit-chain.rules.ts";
import type { AuditEvent, DB } from "#src/platform/db/schema.ts";
import { newId } from "#src/platform/ids.ts";
import { enqueueJob, type JobHandler } from "#src/platform/jobs/jobs.server.ts";

export interface AuditInput {
  action: string;
  outcome?: "success" | "failure" | "denied";
  targetType?: string;
  targetId?: string;
  /** Reason, before/after state. Never passwords. */
  detail?: Record<string, unknown>;
  /** A label for an actor that is not signed in, such as the login name tried. */
  actorLabel?: string;
}

/**
 * Appends one event to the hash chain. Pass the transaction so the event commits with the change it
 * records; given the plain database it opens a transaction of its own. Taking the next `seq` from
 * `audit_head` with an UPDATE locks that row until commit, so concurrent appends queue and never
 * chain from the same previous row.
 */
export async function recordAudit(
  ctx: Pick<AppContext, "clock">,
  db: Kysely<DB>,
  actor: Actor,
  input: AuditInput,
): Promise<void> {
  if (!db.isTransaction) {
    await db.transaction().execute((trx) => recordAudit(ctx, trx, actor, input));
    return;
  }
  const now = ctx.clock.now();
  const head = await db
    .updateTable("audit_head")
    .set((eb) => ({ seq: eb("seq", "+", 1) }))
    .where("id", "=", 1)
    .returning(["seq", "hash"])
    .executeTakeFirstOrThrow();
  const row = {
    seq: Number(head.seq),
    id: newId(now.getTime()),
    at: now.toISOString(),
    actor_id: actor.user?.id ?? null,
    actor_label: capLabel(actor.user?.login ?? input.actorLabel ?? null),
    actor_role: actor.user?.role ?? null,
    ip: actor.ip ? capText(actor.ip, 64) : null,
    action: input.action,
    target_type: input.targetType ?? null,
    target_id: capLabel(input.targetId ?? null),
    outcome: input.outcome ?? "success",
    detail: capDetail(input.detail),
  } satisfies ChainedFields;
  const hash = auditRowHash(row, head.hash);
  await db
    .insertInto("audit_events")
    .values({ ...row, prev_hash: head.hash, hash })
    .execute();
  await db.updateTable("audit_head").set({ hash }).where("id", "=", 1).execute();
}

const capLabel = (s: string | null) => (s === null ? null : capText(s));

/** Repeated denials from one source within this window are counted, not written one by one. */
export const DENIAL_WINDOW_MS = 10 * 60_000;

/** The action of the row that carries a window's count. */
export const DENIAL_SUMMARY_ACTION = "audit.denials_summary";

/**
 * Records a denial, at most one row per source (IP, action, signed-in user) and window: the first
 * denial is written whole; later ones in the window only add to a counter. The count reaches the
 * log as a summary row when the source's next window begins, or from the sweep job once the
 * window has passed. Rows are only ever appended.
 */
export async function recordDenial(ctx: AppContext, actor: Actor, input: AuditInput): Promise<void> {
  const key = denialKey(actor, input.action);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    // The insert takes SQLite's write lock and the update PostgreSQL's row lock before the read.
    await trx
      .insertInto("audit_denials")
      .values({ key, window_start: "", count: 0 })
      .onConflict((oc) => oc.column("key").doNothing())
      .execute();
    const counter = await trx
      .updateTable("audit_denials")
      .set((eb) => ({ count: eb("count", "+", 1) }))
      .where("key", "=", key)
      .returning(["window_start", "count"])
      .executeTakeFirstOrThrow();
    const started = counter.window_start ? Date.parse(counter.window_start) : null;
    if (started !== null && now.getTime() - started < DENIAL_WINDOW_MS) return;
    // A new window: the previous one's count (this denial excluded) goes into a summary first.
    if (started !== null && counter.count - 1 > 1)
      await recordDenialSummary(ctx, trx, actor, input.action, counter.window_start, counter.count - 1);
    await trx
      .updateTable("audit_denials")
      .set({ window_start: now.toISOString(), count: 1 })
      .where("key", "=", key)
      .execute();
    await recordAudit(ctx, trx, actor, { ...input, outcome: "denied" });
    // One sweep per window slot writes the summaries of sources that went quiet.
    const slot = Math.floor(now.getTime() / DENIAL_WINDOW_MS);
    await enqueueJob(trx, ctx, {
      kind: DENIAL_SWEEP_JOB,
      uniqueKey: `${DENIAL_SWEEP_JOB}:${slot}`,
      runAt: new Date((slot + 2) * DENIAL_WINDOW_MS).toISOString(),
    });
  });
}

function denialKey(actor: Actor, action: string): string {
  return JSON.stringify([actor.ip ?? null, action, actor.user?.id ?? null]);
}

async function recordDenialSummary(
  ctx: Pick<AppContext, "clock">,
  trx: Kysely<DB>,
  actor: Actor,
  action: string,
  windowStart: string,
  count: number,
): Promise<void> {
  await recordAudit(ctx, trx, actor, {
    action: DENIAL_SUMMARY_ACTION,
    outcome: "denied",
    detail: {
      deniedAction: action,
      count,
      windowStart,
      windowEnd: new Date(Date.parse(windowStart) + DENIAL_WINDOW_MS).toISOString(),
    },
  });
}

/**
 * Writes the summaries of windows that have ended and forgets their counters. A counter of one
 * (only the row already written) is just removed. Each counter goes in its own transaction,
 * guarded by its window, so a denial arriving meanwhile starts a fresh window or is counted.
 */
export async function sweepDenialCounters(ctx: AppContext): Promise<number> {
  const cutoff = new Date(ctx.clock.now().getTime() - DENIAL_WINDOW_MS).toISOString();
  let written = 0;
  for (;;) {
    const due = await ctx.db
      .selectFrom("audit_denials")
      .selectAll()
      .where("window_start", "<=", cutoff)
      .limit(200)
      .execute();
    if (due.length === 0) return written;
    for (const d of due) {
      await ctx.db.transaction().execute(async (trx) => {
        const gone = await trx
          .deleteFrom("audit_denials")
          .where("key", "=", d.key)
          .where("window_start", "=", d.window_start)
          .returning(["count"])
          .executeTakeFirst();
        if (!gone || gone.count <= 1 || !d.window_start) return;
        const [ip, action, userId] = JSON.parse(d.key) as [string | null, string, string | null];
        const user = userId
          ? await trx
              .selectFrom("users")
              .select(["id", "role", "username", "uscc"])
              .where("id", "=", userId)
              .executeTakeFirst()
          : undefined;
        await recordAudit(
          ctx,
          trx,
          { user: null, ip },
          {
            action: DENIAL_SUMMARY_ACTION,
            outcome: "denied",
            actorLabel: user ? (user.username ?? user.uscc ?? user.id) : undefined,
            detail: {
              deniedAction: action,
              count: gone.count,
              windowStart: d.window_start,
              windowEnd: new Date(Date.parse(d.window_start) + DENIAL_WINDOW_MS).toISOString(),
              ...(userId ? { userId } : {}),
            },
          },
        );
        written++;
      });
    }
  }
}

export const DENIAL_SWEEP_JOB = "audit.denial_sweep";

export const AUDIT_JOB_HANDLERS: Record<string, JobHandler> = {
  [DENIAL_SWEEP_JOB]: async (ctx) => {
    await sweepDenialCounters(ctx);
  },
};

export interface AuditFilter {
  actor?: string;
  action?: string;
  from?: string;
  to?: string;
  /** Keyset cursor: the id of the last row of the previous page. */
  before?: string;
  limit?: number;
}

/** The page's filters on a query of audit_events. The actor filter matches the login name or the actor id. */
export function filterAudit<Q extends SelectQueryBuilder<DB, "audit_events", object>>(
  q: Q,
  filter: AuditFilter,
): Q {
  let out = q;
  if (filter.actor) {
    const a = filter.actor;
    out = out.where((eb) => eb.or([eb("actor_label", "=", a), eb("actor_id", "=", a)])) as Q;
  }
  if (filter.action) out = out.where("action", "=", filter.action) as Q;
  if (filter.from) out = out.where("at", ">=", filter.from) as Q;
  if (filter.to) out = out.where("at", "<", filter.to) as Q;
  if (filter.before) out = out.where("id", "<", filter.before) as Q;
  return out;
}

/** Newest first. */
export async function listAuditEvents(ctx: AppContext, filter: AuditFilter): Promise<AuditEvent[]> {
  return filterAudit(ctx.db.selectFrom("audit_events").selectAll(), filter)
    .orderBy("id", "desc")
    .limit(Math.min(filter.limit ?? 50, 500))
    .execute();
}

export async function listAuditActions(ctx: AppContext): Promise<string[]> {
  const rows = await ctx.db
    .selectFrom("audit_events")
    .select("action")
    .distinct()
    .orderBy("action")
    .execute();
  return rows.map((r) => r.action);
}
