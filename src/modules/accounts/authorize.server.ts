import { recordAudit } from "#src/modules/audit/audit.server.ts";
import type { Actor, AppContext, SessionUser } from "#src/platform/context.ts";
import { AppError } from "#src/platform/errors.ts";
import { can, type Permission } from "./accounts.policy.ts";

/** Throws (and records the denial) unless the actor holds the permission. */
export async function authorize(ctx: AppContext, actor: Actor, permission: Permission): Promise<SessionUser> {
  if (!actor.user) throw new AppError("UNAUTHENTICATED", "请先登录");
  if (!can(actor.user, permission)) {
    await recordAudit(ctx, ctx.db, actor, {
      action: "access.denied",
      outcome: "denied",
      detail: { permission },
    });
    throw new AppError("FORBIDDEN", "您没有执行此操作的权限");
  }
  return actor.user;
}

/** Records that a scoped lookup missed a record that exists, then answers 404 like any miss. */
export async function deniedAsNotFound(
  ctx: AppContext,
  actor: Actor,
  target: { type: string; id: string; exists: boolean },
): Promise<never> {
  if (target.exists) {
    await recordAudit(ctx, ctx.db, actor, {
      action: "access.denied",
      outcome: "denied",
      targetType: target.type,
      targetId: target.id,
      detail: { reason: "out_of_scope" },
    });
  }
  throw new AppError("NOT_FOUND", "未找到该记录");
}
