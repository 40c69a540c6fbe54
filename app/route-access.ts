import type { Permission } from "#src/modules/accounts/accounts.policy.ts";

/**
 * Who may open each route of `routes.ts`, as its loader checks it: anyone, anyone not signed in
 * ("guest": the login and registration pages send a signed-in user to the workbench), any signed-in user
 * (each sees only records of its own, scoped in the use case), or the holders of one permission of
 * `accounts.policy.ts`. `tests/integration/route-access.int.test.ts` walks every route with every
 * role against this table, and fails for a route missing here.
 */
export type RouteAccess = "public" | "guest" | "signed-in" | Permission;

export const ROUTE_ACCESS: Record<string, RouteAccess> = {
  "": "public",
  login: "guest",
  "login/org": "guest",
  "login/staff": "guest",
  register: "guest",
  logout: "public",
  "account/password": "signed-in",
  "account/sessions": "signed-in",
  workbench: "signed-in",
  projects: "public",
  "projects/calls": "public",
  "projects/calls/:callId": "public",
  applications: "signed-in",
  "applications/:id": "signed-in",
  "applications/:id/edit": "applications:apply",
  "applications/:id/autosave": "applications:apply",
  "applications/:id/attachments.zip": "signed-in",
  "applications/:id/pdf": "signed-in",
  review: "applications:review",
  "review/targets": "applications:review",
  "review/export.xlsx": "applications:review",
  notifications: "signed-in",
  special: "public",
  notices: "public",
  bases: "public",
  "admin/users": "users:read",
  "admin/users/new": "users:manage",
  "admin/users/:userId": "users:read",
  "admin/audit": "audit:read",
  "admin/audit/export.xlsx": "audit:read",
  "admin/calls": "calls:manage",
  "admin/calls/new": "calls:manage",
  "admin/calls/:callId": "calls:manage",
  "bases/:id": "public",
  "bases/:id/qr.svg": "public",
  "bases/:id/certificate.pdf": "signed-in",
  "my-base": "bases:own",
  "my-base/changes/new": "bases:own",
  "admin/bases": "bases:read",
  "admin/bases/export.xlsx": "bases:read",
  "admin/bases/import": "bases:import",
  "admin/bases/import/template.xlsx": "bases:import",
  "admin/bases/:id": "bases:read",
  "admin/changes": "bases:manage",
  "admin/changes/:id": "bases:manage",
  "notices/:id": "public",
  "notices/:id/objection": "public",
  "notices/objection-status": "public",
  "notices/:id/naming.pdf": "public",
  "admin/notices": "notices:manage",
  "admin/notices/new": "notices:manage",
  "admin/notices/:id": "notices:manage",
  activities: "public",
  "activities.ics": "public",
  "activities/:id": "public",
  "activities/:id/edit": "activities:announce",
  "bases/:id/activities": "public",
  "bases/:id/activities.ics": "public",
  "bases/:id/activities/new": "activities:announce",
  "admin/campaigns": "campaigns:manage",
  "admin/campaigns/:id": "campaigns:manage",
  "admin/activity-reports": "activities:review",
  "admin/activity-reports/:id": "activities:review",
  "admin/activity-stats": "activities:stats",
  "admin/activity-stats/export.xlsx": "activities:stats",
  "theme.css": "public",
  "*": "public",
};

/** Permissions a route's actions check beyond the one that opens its page. */
export const ACTION_ACCESS: Record<string, Permission[]> = {
  "admin/users/:userId": ["users:manage", "users:reset-org-password"],
  "admin/bases/:id": ["bases:manage"],
};
