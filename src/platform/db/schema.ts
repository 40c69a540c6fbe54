import type { Generated, Insertable, Selectable, Updateable } from "kysely";

/**
 * Column conventions, identical on SQLite and PostgreSQL:
 * ids are text (UUIDv7), instants are ISO-8601 UTC text, booleans are 0/1 integers,
 * structured values are JSON text.
 */
export interface RegionsTable {
  code: string;
  name: string;
  parent_code: string | null;
  level: "province" | "city" | "county";
  sort: number;
}

export interface CategoriesTable {
  code: string;
  name: string;
  description: string;
  sort: number;
}

export type Role = "org" | "county" | "city" | "office" | "evaluator" | "admin";

export interface UsersTable {
  id: string;
  role: Role;
  /** Staff login name; null for organizations. */
  username: string | null;
  /** 统一社会信用代码; set only for organizations. */
  uscc: string | null;
  /** Unit name for an org, person name for staff. */
  display_name: string;
  contact_name: string | null;
  phone: string | null;
  region_code: string;
  password_hash: string;
  must_change_password: number;
  disabled_at: string | null;
  last_login_at: string | null;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export interface SessionsTable {
  /** SHA-256 of the cookie token, so a database leak does not leak sessions. */
  id: string;
  user_id: string;
  created_at: string;
  last_seen_at: string;
  ip: string | null;
  user_agent: string | null;
}

export interface AuditEventsTable {
  id: string;
  at: string;
  actor_id: string | null;
  actor_label: string | null;
  actor_role: string | null;
  ip: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  outcome: "success" | "failure" | "denied";
  /** JSON: reason, before/after state. */
  detail: string | null;
}

export interface RateLimitsTable {
  key: string;
  count: number;
  reset_at: string;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface CallsTable {
  id: string;
  kind: string;
  batch_no: number | null;
  title: string;
  level: "city" | "county";
  region_code: string;
  opens_at: string;
  closes_at: string;
  /** JSON array of category codes offered by this call. */
  categories: string;
  /** JSON object: county code → target count. */
  county_targets: string;
  notice: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export interface DB {
  regions: RegionsTable;
  categories: CategoriesTable;
  users: UsersTable;
  sessions: SessionsTable;
  audit_events: AuditEventsTable;
  rate_limits: RateLimitsTable;
  settings: SettingsTable;
  calls: CallsTable;
}

export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type Region = Selectable<RegionsTable>;
export type Category = Selectable<CategoriesTable>;
export type Call = Selectable<CallsTable>;
export type AuditEvent = Selectable<AuditEventsTable>;
