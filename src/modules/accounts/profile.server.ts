import { recordAudit } from "#src/modules/audit/audit.server.ts";
import {
  parseRemindersOff,
  REMINDER_KINDS,
  type ReminderKind,
  reminderKindsFor,
} from "#src/modules/notifications/notifications.rules.ts";
import type { Actor, AppContext } from "#src/platform/context.ts";
import type { Role } from "#src/platform/db/schema.ts";
import { AppError } from "#src/platform/errors.ts";
import type { ProfileInput } from "./profile.schema.ts";

export interface MyProfile {
  role: Role;
  login: string;
  displayName: string;
  contactName: string | null;
  phone: string | null;
  email: string | null;
  version: number;
  reminders: { kind: ReminderKind; label: string; on: boolean }[];
}

function me(actor: Actor) {
  if (!actor.user) throw new AppError("UNAUTHENTICATED", "请先登录");
  return actor.user;
}

/** The signed-in user's own account: contact details and reminder choices. */
export async function getMyProfile(ctx: AppContext, actor: Actor): Promise<MyProfile> {
  const user = me(actor);
  const u = await ctx.db
    .selectFrom("users")
    .select([
      "role",
      "username",
      "uscc",
      "display_name",
      "contact_name",
      "phone",
      "email",
      "reminders_off",
      "version",
    ])
    .where("id", "=", user.id)
    .executeTakeFirstOrThrow();
  const off = parseRemindersOff(u.reminders_off);
  return {
    role: u.role,
    login: (u.username ?? u.uscc)!,
    displayName: u.display_name,
    contactName: u.contact_name,
    phone: u.phone,
    email: u.email,
    version: u.version,
    reminders: reminderKindsFor(u.role).map((kind) => ({
      kind,
      label: REMINDER_KINDS[kind].label,
      on: !off.includes(kind),
    })),
  };
}

/**
 * Saves the user's own phone, email and reminder choices at the version the page showed. An
 * organization keeps a phone (registration requires one: reviewers call it).
 */
export async function updateMyProfile(ctx: AppContext, actor: Actor, input: ProfileInput): Promise<void> {
  const user = me(actor);
  if (user.role === "org" && !input.phone)
    throw new AppError("VALIDATION", "请填写联系电话", { phone: "请填写联系电话" });
  const kinds = reminderKindsFor(user.role);
  const off = kinds.filter((k) => input[`reminder_${k}`] !== "on");
  await ctx.db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom("users")
      .select(["phone", "email", "reminders_off"])
      .where("id", "=", user.id)
      .executeTakeFirstOrThrow();
    const r = await trx
      .updateTable("users")
      .set((eb) => ({
        phone: input.phone ?? null,
        email: input.email ?? null,
        reminders_off: off.length ? JSON.stringify(off) : null,
        updated_at: ctx.clock.now().toISOString(),
        version: eb("version", "+", 1),
      }))
      .where("id", "=", user.id)
      .where("version", "=", input.version)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1)
      throw new AppError("CONFLICT", "账号信息已在别处修改，请刷新页面后重试");
    // Which details changed, never the values: they are personal data.
    await recordAudit(ctx, trx, actor, {
      action: "account.profile",
      targetType: "user",
      targetId: user.id,
      detail: {
        changed: [
          ...(before.phone !== (input.phone ?? null) ? ["phone"] : []),
          ...(before.email !== (input.email ?? null) ? ["email"] : []),
        ],
        remindersOff: off,
      },
    });
  });
}
