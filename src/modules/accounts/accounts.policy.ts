import type { SessionUser } from "#src/platform/context.ts";
import type { Role } from "#src/platform/db/schema.ts";

export const ROLE_LABELS: Record<Role, string> = {
  org: "申报单位/基地",
  school: "学校",
  county: "县（市、区）科协",
  city: "市科协评审",
  office: "市基地认定办公室",
  evaluator: "评价小组",
  admin: "系统管理员",
};

/** Roles that sign in with a USCC at 法人登录 and are verified by county staff: organizations and schools. */
export const UNIT_ROLES: readonly Role[] = ["org", "school"];
export const isUnitRole = (role: Role): boolean => UNIT_ROLES.includes(role);

export const STAFF_ROLES: Role[] = ["county", "city", "office", "evaluator", "admin"];

/** Role-to-permission map. Every check on the server goes through `can`. */
export const PERMISSIONS = {
  "users:read": ["admin", "office", "city", "county"],
  "users:manage": ["admin"],
  /** Set a temporary password for an organization of the user's county (an org that forgot its password). */
  "users:reset-org-password": ["county", "admin"],
  "audit:read": ["admin"],
  /** Platform-wide security settings, such as the roles that must use a second factor. */
  "settings:manage": ["admin"],
  /** 【消息发送记录】: undelivered SMS and email, and 【重新发送】. */
  "outbox:manage": ["admin"],
  /** Issue and revoke the API tokens of integrations (/api/v1). */
  "api-tokens:manage": ["admin"],
  /** 申报项目管理 in scope: the office for the city, a county 科协 for its own county-level calls (第十九条). */
  "calls:manage": ["admin", "office", "county"],
  "applications:apply": ["org"],
  "applications:review": ["county", "city", "office", "admin"],
  /** 公示: publish notices, handle objections, name bases; a county 科协 for its own county-level calls (notices-scope). */
  "notices:manage": ["office", "county"],
  "holidays:manage": ["admin"],
  /** Staff lists of bases (scoped to the user's region) and their exports. Not the evaluator: it has no work on bases until the annual evaluation gives it some. */
  "bases:read": ["county", "city", "office", "admin"],
  /** Revoke, recommend upwards, decide change reports. */
  "bases:manage": ["office"],
  /** Import earlier batches from XLSX. */
  "bases:import": ["office", "admin"],
  /** Check an org account's documents (营业执照, 授权委托书) and approve or return its verification, in scope. */
  "orgs:verify": ["county", "city", "office", "admin"],
  /** 单位认证 of one's own account: organizations and schools upload their documents and submit. */
  "verification:submit": ["org", "school"],
  /** Issue a base's one-time claim code (认领码) and print its letter, in scope. */
  "bases:claim_codes": ["county", "city", "office", "admin"],
  /** An organization's own base: profile and change reports. */
  "bases:own": ["org"],
  /** Publish the yearly campaigns (全国科普日, 科技活动周 …). */
  "campaigns:manage": ["office"],
  /** Announce activities and file their reports: an org for its own base, or anyone who confirms the base's USCC (staff within scope). */
  "activities:announce": ["org", "county", "city", "office", "admin"],
  /** Accept or return activity reports. */
  "activities:review": ["city"],
  /** Activity statistics and export, scoped to the user's region. */
  "activities:stats": ["county", "city", "office", "admin"],
  /** 科普助力双减: order catalogue items, confirm delivery and rate (a school's own orders). */
  "schools:order": ["school"],
  /** 科普助力双减: the county's orders and its 派单 queue (reassign or close overdue orders). */
  "school-orders:dispatch": ["county"],
  /** 科普助力双减 statistics and their export, scoped to the user's region. */
  "school-stats:read": ["county", "city", "office", "admin"],
  /** 科普助力双减: approve the bases' catalogue items in scope. */
  "school-items:review": ["county"],
  /** 科技志愿服务队 statistics and the hours export, scoped to the user's region (a base keeps its own team under bases:own). */
  "volunteers:read": ["county", "city", "office", "admin"],
  /** 绩效评价: rounds, entries and results in scope, the dashboard and the score export. */
  "evaluation:read": ["county", "city", "office", "admin"],
  /** Edit the rubric, open and move rounds, assign evaluators, confirm and publish results, subsidies. */
  "evaluation:manage": ["office"],
  /** 初审意见 on the self-assessments of the user's county. */
  "evaluation:review": ["county"],
  /** 新闻动态、经验交流、理论研讨、基地联合会 (第十四条): an organization for its base, staff for their unit. */
  "articles:write": ["org", "county", "city", "office"],
  /** Approve or return the articles of the user's region (a county its own; the city and the office all). */
  "articles:review": ["county", "city", "office"],
  /** 【动态管理】: the warnings (警示, 限期整改, 复查) of the bases in scope, and their export. */
  "warnings:read": ["county", "city", "office"],
  /** A county 科协 (推荐单位) proposes a warning for a base of its county; the office or city decides. */
  "warnings:propose": ["county"],
  /** The 认定单位 (第十五条): put a base on warning, confirm or dismiss a proposal, order 整改, lift. */
  "warnings:issue": ["city", "office"],
  /** 复查 of a 整改: pass lifts the warning, fail proposes a revocation (第十八条(四)(五)). */
  "warnings:recheck": ["city"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export const PERMISSION_NAMES = Object.keys(PERMISSIONS) as Permission[];

export function can(user: SessionUser | null | undefined, permission: Permission): boolean {
  if (!user || user.mustChangePassword) return false;
  return (PERMISSIONS[permission] as readonly Role[]).includes(user.role);
}

/** Roles an actor may assign when creating users: an admin may create any role. */
export function assignableRoles(user: SessionUser): Role[] {
  return can(user, "users:manage") ? ["org", ...STAFF_ROLES] : [];
}

/** Which region level a role's scope must be. */
export function requiredRegionLevel(role: Role): "county" | "city" {
  return role === "county" || role === "org" || role === "school" ? "county" : "city";
}
