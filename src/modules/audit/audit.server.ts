import type { Kysely } from "kysely";
import type { Actor, AppContext } from "#src/platform/context.ts";
import type { AuditEvent, DB } from "#src/platform/db/schema.ts";
import { newId } from "#src/platform/ids.ts";

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

/** Appends one event. Pass the transaction so the event commits with the change it records. */
export async function recordAudit(
  ctx: Pick<AppContext, "clock">,
  db: Kysely<DB>,
  actor: Actor,
  input: AuditInput,
): Promise<void> {
  await db
    .insertInto("audit_events")
    .values({
      id: newId(ctx.clock.now().getTime()),
      at: ctx.clock.now().toISOString(),
      actor_id: actor.user?.id ?? null,
      actor_label: actor.user?.login ?? input.actorLabel ?? null,
      actor_role: actor.user?.role ?? null,
      ip: actor.ip,
      action: input.action,
      target_type: input.targetType ?? null,
      target_id: input.targetId ?? null,
      outcome: input.outcome ?? "success",
      detail: input.detail ? JSON.stringify(input.detail) : null,
    })
    .execute();
}

export interface AuditFilter {
  actor?: string;
  action?: string;
  from?: string;
  to?: string;
  /** Keyset cursor: the id of the last row of the previous page. */
  before?: string;
  limit?: number;
}

/** Newest first. The actor filter matches the login name or the actor id. */
export async function listAuditEvents(ctx: AppContext, filter: AuditFilter): Promise<AuditEvent[]> {
  let q = ctx.db.selectFrom("audit_events").selectAll();
  if (filter.actor) {
    const a = filter.actor;
    q = q.where((eb) => eb.or([eb("actor_label", "=", a), eb("actor_id", "=", a)]));
  }
  if (filter.action) q = q.where("action", "=", filter.action);
  if (filter.from) q = q.where("at", ">=", filter.from);
  if (filter.to) q = q.where("at", "<", filter.to);
  if (filter.before) q = q.where("id", "<", filter.before);
  return q
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
