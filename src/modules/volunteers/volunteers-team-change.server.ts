/**
 * The 科技志愿服务队 side of a base's change report (变更申报): once the team is 已注册 on stvs, its
 * name and organization number change only through a report the office approves. The bases module
 * calls these when a report is filed and when it is approved (inside the approval's transaction).
 * Imports nothing of the bases module, so the two do not depend on each other in a cycle.
 */
import type { Kysely } from "kysely";
import { recordAudit } from "#src/modules/audit/audit.server.ts";
import type { Actor, AppContext } from "#src/platform/context.ts";
import type { DB, VolunteerTeam } from "#src/platform/db/schema.ts";
import { AppError } from "#src/platform/errors.ts";
import { type TeamChange, teamChangeProblems } from "./volunteers.rules.ts";

export type { TeamChange };

const TEAM_CHANGED = "服务队信息刚刚已被修改，请刷新页面后再审核。";

export async function findTeam(db: Kysely<DB>, baseId: string): Promise<VolunteerTeam | null> {
  return (
    (await db.selectFrom("volunteer_teams").selectAll().where("base_id", "=", baseId).executeTakeFirst()) ??
    null
  );
}

const stateOf = (t: VolunteerTeam | null) =>
  t && { status: t.stvs_status, name: t.name, stvsOrgNo: t.stvs_org_no };

/**
 * Checks a report's team items against the team; returns the team's current values of the items
 * (the report's "before"). `org` is the unit and base name the team will belong to.
 */
export async function checkTeamChange(
  db: Kysely<DB>,
  baseId: string,
  change: TeamChange,
  org: { unitName: string; baseName: string },
): Promise<{ name?: string; stvsOrgNo?: string }> {
  const team = await findTeam(db, baseId);
  const problems = teamChangeProblems(stateOf(team), change, org);
  throwProblems(problems);
  const previous: { name?: string; stvsOrgNo?: string } = {};
  if (change.name) previous.name = team?.name ?? "";
  if (change.stvsOrgNo) previous.stvsOrgNo = team?.stvs_org_no ?? "";
  return previous;
}

function throwProblems(problems: Partial<Record<keyof TeamChange, string>>) {
  const fields: Record<string, string> = {};
  if (problems.name) fields.teamName = problems.name;
  if (problems.stvsOrgNo) fields.teamStvsOrgNo = problems.stvsOrgNo;
  const first = Object.values(fields)[0];
  if (first) throw new AppError("VALIDATION", first, fields);
}

/**
 * Applies an approved report's team items in the approval's transaction: checked again (the team may
 * have changed since the report was filed, and the name rule holds against the unit after the
 * report's own rename), written with the team's version bumped, and audited.
 */
export async function applyTeamChange(
  ctx: AppContext,
  trx: Kysely<DB>,
  actor: Actor,
  input: {
    baseId: string;
    reportId: string;
    change: TeamChange;
    org: { unitName: string; baseName: string };
  },
): Promise<{ name?: string; stvsOrgNo?: string }> {
  const team = await findTeam(trx, input.baseId);
  throwProblems(teamChangeProblems(stateOf(team), input.change, input.org));
  if (!team) throw new AppError("CONFLICT", TEAM_CHANGED);
  const set: { name?: string; stvs_org_no?: string } = {};
  if (input.change.name) set.name = input.change.name;
  if (input.change.stvsOrgNo) set.stvs_org_no = input.change.stvsOrgNo;
  const done = await trx
    .updateTable("volunteer_teams")
    .set((eb) => ({ ...set, updated_at: ctx.clock.now().toISOString(), version: eb("version", "+", 1) }))
    .where("base_id", "=", input.baseId)
    .where("version", "=", team.version)
    .executeTakeFirst();
  if (Number(done.numUpdatedRows) !== 1) throw new AppError("CONFLICT", TEAM_CHANGED);
  const after = {
    ...(set.name ? { name: set.name } : {}),
    ...(set.stvs_org_no ? { stvsOrgNo: set.stvs_org_no } : {}),
  };
  await recordAudit(ctx, trx, actor, {
    action: "volunteer_team.change",
    targetType: "base",
    targetId: input.baseId,
    detail: {
      changeReportId: input.reportId,
      before: { name: team.name, stvsOrgNo: team.stvs_org_no, version: team.version },
      after: { ...after, version: team.version + 1 },
    },
  });
  return after;
}
