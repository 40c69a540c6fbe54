import type { Writable } from "node:stream";
import { recordAudit } from "#src/modules/audit/audit.server.ts";
import { listRegions } from "#src/modules/regions/regions.server.ts";
import type { Actor, AppContext } from "#src/platform/context.ts";
import { withBulkReader } from "#src/platform/db/bulk-reader.server.ts";
import type { Role } from "#src/platform/db/schema.ts";
import { type SheetColumn, sheetInstant, streamSheet } from "#src/platform/xlsx/stream-sheet.server.ts";
import { ROLE_LABELS } from "./accounts.policy.ts";
import { filterUsers, USER_COLUMNS, type UserFilter, type UserRow, userScope } from "./accounts.server.ts";
import { authorize } from "./authorize.server.ts";

const BATCH = 500;
const ROLES = Object.keys(ROLE_LABELS) as Role[];

const COLUMNS: SheetColumn<UserRow & { regionName: string }>[] = [
  { header: "名称", width: 28, value: (u) => u.display_name },
  { header: "登录名", width: 16, value: (u) => u.username ?? "" },
  { header: "统一社会信用代码", width: 22, value: (u) => u.uscc ?? "" },
  { header: "角色", width: 18, value: (u) => ROLE_LABELS[u.role] },
  { header: "区域", width: 10, value: (u) => u.regionName },
  { header: "联系人", width: 10, value: (u) => u.contact_name ?? "" },
  { header: "手机号码", width: 14, value: (u) => u.phone ?? "" },
  { header: "电子邮箱", width: 24, value: (u) => u.email ?? "" },
  { header: "状态", width: 8, value: (u) => (u.disabled_at ? "已停用" : "正常") },
  { header: "停用时间", width: 20, value: (u) => sheetInstant(u.disabled_at) },
  { header: "最近登录", width: 20, value: (u) => sheetInstant(u.last_login_at) },
  { header: "密码修改时间", width: 20, value: (u) => sheetInstant(u.password_changed_at) },
  { header: "创建时间", width: 20, value: (u) => sheetInstant(u.created_at) },
];

export const USERS_EXPORT_HEADERS = COLUMNS.map((c) => c.header);

/** The users list's filters from its query string (the page's own, and its export's). */
export function userFilterOf(sp: URLSearchParams): UserFilter {
  const status = sp.get("status");
  return {
    q: sp.get("q")?.trim() || undefined,
    role: ROLES.find((r) => r === sp.get("role")),
    status: status === "active" || status === "disabled" ? status : undefined,
    regionCode: sp.get("region") || undefined,
  };
}

/**
 * 【导出】 on 用户管理: every account the list shows with the same filters, all pages, newest first,
 * within the actor's region (a county's staff see only their county's accounts). Names, phones and
 * emails are personal data: the download is audited before the first byte.
 */
export async function prepareUsersXlsx(
  ctx: AppContext,
  actor: Actor,
  filter: UserFilter,
): Promise<(out: Writable) => Promise<number>> {
  const me = await authorize(ctx, actor, "users:read");
  const scope = await userScope(ctx, me);
  const names = new Map((await listRegions(ctx)).map((r) => [r.code, r.name]));
  const { q, role, status, regionCode } = filter;
  await recordAudit(ctx, ctx.db, actor, {
    action: "user.export",
    targetType: "user",
    detail: { filter: { q, role, status, region: regionCode } },
  });
  return (out) =>
    withBulkReader(ctx, (db) =>
      streamSheet(out, {
        sheetName: "用户",
        columns: COLUMNS,
        batchSize: BATCH,
        nextBatch: async (last) => {
          let query = filterUsers(db.selectFrom("users"), scope, { q, role, status, regionCode }).select(
            USER_COLUMNS,
          );
          if (last) query = query.where("id", "<", last.id);
          const rows = await query.orderBy("id", "desc").limit(BATCH).execute();
          return rows.map((u) => ({ ...u, regionName: names.get(u.region_code) ?? u.region_code }));
        },
      }),
    );
}
