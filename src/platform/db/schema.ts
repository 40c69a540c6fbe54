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

export type Role = "org" | "school" | "county" | "city" | "office" | "evaluator" | "admin";

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
  /** When the password was last set; null only for rows written before migration 0016. */
  password_changed_at: string | null;
  /** Optional; notifications are also emailed when set (migration 0017). */
  email: string | null;
  /** JSON array of reminder kinds the user turned off; null: all on. */
  reminders_off: string | null;
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
  /** Set while only the password has been checked: "verify" a code, or "enrol" first. */
  pending: "verify" | "enrol" | null;
}

export interface UserTwoFactorTable {
  user_id: string;
  /** AES-256-GCM ciphertext of the base32 TOTP secret. */
  secret_enc: string;
  /** Null until the user has confirmed a code. */
  enabled_at: string | null;
  /** The last accepted TOTP time step, so no code is accepted twice. */
  last_step: Count | null;
  created_at: string;
  updated_at: string;
}

export interface RecoveryCodesTable {
  id: string;
  user_id: string;
  /** HMAC-SHA256 of the normalized code under the server's secret key. */
  code_hash: string;
  used_at: string | null;
  created_at: string;
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
  /** Position in the hash chain, from 1 without gaps. */
  seq: number;
  /** The previous row's `hash` (64 zeros for the first). */
  prev_hash: string;
  /** SHA-256 of the canonical row (src/platform/db/audit-chain.rules.ts). */
  hash: string;
}

/** One row, id 1: the end of the audit chain. */
export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

/** Denials counted, not yet summarized: one row per source (IP, action, actor) and window. */
export interface AuditDenialsTable {
  key: string;
  window_start: string;
  count: number;
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
  /** JSON array of the bodies that jointly name the bases (第三条); null: the defaults (migration 0020). */
  issuers: string | null;
  /** 文号 of the naming document, e.g. 衢市科协〔2023〕12号; "" until the office sets it. */
  document_no: Generated<string>;
}

export interface FilesTable {
  id: string;
  /** Where the bytes are in the storage backend. */
  storage_key: string;
  original_name: string;
  mime: string;
  size: number;
  sha256: string;
  kind: "image" | "pdf" | "video" | "document";
  width: number | null;
  height: number | null;
  thumb_key: string | null;
  /** What the file belongs to: ("application", id), ("call", id) … */
  owner_type: string;
  owner_id: string;
  slot: string;
  /** Region of the owner, for scoping downloads. */
  region_code: string;
  created_by: string | null;
  created_at: string;
}

export type ApplicationStatus =
  | "draft"
  | "county_review"
  | "city_review"
  | "office_confirmation"
  | "proposed"
  | "returned"
  | "not_recommended"
  | "rejected"
  | "withdrawn"
  | "public_notice"
  | "recognized";

export interface ApplicationsTable {
  id: string;
  call_id: string;
  org_id: string;
  /** 所在区域: the county. */
  region_code: string;
  category_code: string | null;
  /** The level of its call, copied at creation: one application in progress per organization and level (0023). */
  level: Generated<"city" | "county">;
  status: ApplicationStatus;
  /** The stage that returned it, which a resubmission goes back to. */
  returned_from: ApplicationStatus | null;
  return_deadline: string | null;
  base_name: string;
  unit_name: string;
  address: string;
  leader_name: string;
  leader_phone: string;
  contact_name: string;
  contact_phone: string;
  booking_phone: string;
  volunteer_team_name: string;
  volunteer_count: number | null;
  volunteer_leader: string;
  volunteer_leader_phone: string;
  opening_form: string | null;
  area_sqm: number | null;
  open_days: number | null;
  intro: string;
  honors: string;
  /** JSON: [{ confirmed: boolean, note: string }] for 第五条(一)–(八). */
  conditions: string;
  city_score: number | null;
  /** 1 once the county / city / office stage has decided it (for "N of M done"). */
  decided_county: Generated<number>;
  decided_city: Generated<number>;
  decided_office: Generated<number>;
  submitted_at: string | null;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
  /** 申报编号, e.g. 2023-第八批-龙游-001: given once at the first 【提交】 (migration 0020). */
  application_no: string | null;
}

/** The last application number given per prefix (year, batch, county), e.g. 2023-第八批-龙游 → 12. */
export interface ApplicationNoCountersTable {
  prefix: string;
  last_seq: number;
}

export interface ApplicationEventsTable {
  id: string;
  application_id: string;
  at: string;
  actor_id: string | null;
  actor_role: string | null;
  actor_label: string | null;
  action: string;
  from_status: string | null;
  to_status: string;
  /** Shown to the applicant. */
  opinion: string | null;
  /** Staff only, never shown to the applicant. */
  internal_note: string | null;
  opinion_date: string | null;
  score: number | null;
  /** JSON: return deadline, site inspection … */
  detail: string | null;
  /** The application's version after this transition. */
  version: number;
}

export interface NotificationsTable {
  id: string;
  user_id: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  created_at: string;
  read_at: string | null;
}

export interface OutboxTable {
  id: string;
  channel: "email" | "sms";
  recipient: string;
  subject: string;
  body: string;
  /** pending → sending (claimed by one worker until locked_until) → sent, or back to pending, or failed. */
  status: "pending" | "sending" | "sent" | "failed";
  attempts: Generated<number>;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
  /** The notification kind, e.g. application.return: picks the SMS template. */
  kind: Generated<string>;
  /** When a pending message may be tried (again): back-off after a failure. */
  next_attempt_at: string | null;
  locked_until: string | null;
}

/** Reminders already sent, one row per reminder kind, target and user (migration 0017). */
export interface RemindersSentTable {
  key: string;
  kind: string;
  user_id: string;
  sent_at: string;
}

export interface GenerationsTable {
  key: string;
  value: number;
}

/** The records a bump of a generation touched (migration 0012); none: it may have touched any. */
export interface GenerationScopesTable {
  key: string;
  value: number;
  scope: string;
}

export interface JobsTable {
  id: string;
  kind: string;
  unique_key: string | null;
  /** JSON. */
  payload: string;
  run_at: string;
  status: "pending" | "running" | "done" | "failed";
  attempts: Generated<number>;
  locked_until: string | null;
  last_error: string | null;
  created_at: string;
  finished_at: string | null;
}

/** evaluation: the results of a 绩效评价 round (migration 0021). */
export type NoticeKind = "proposed" | "naming" | "evaluation";
export type NoticeStatus = "open" | "closed" | "named" | "published";

export interface PublicNoticesTable {
  id: string;
  kind: NoticeKind;
  call_id: string | null;
  title: string;
  body: string;
  contact: string;
  starts_at: string;
  working_days: number;
  ends_at: string;
  status: NoticeStatus;
  published_by: string | null;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export type NoticeEntryOutcome = "listed" | "named" | "removed";

export interface NoticeEntriesTable {
  notice_id: string;
  application_id: string | null;
  base_id: string | null;
  seq: number;
  base_name: string;
  unit_name: string;
  region_code: string;
  category_code: string | null;
  outcome: Generated<NoticeEntryOutcome>;
}

export type ObjectionStatus = "pending" | "upheld" | "dismissed";

export interface ObjectionsTable {
  id: string;
  ref_no: string;
  notice_id: string;
  application_id: string | null;
  objector_name: string;
  objector_phone: string;
  objector_kind: "unit" | "individual";
  objector_unit: string | null;
  content: string;
  status: Generated<ObjectionStatus>;
  reply: string | null;
  upheld_action: "back_to_office" | "reject" | null;
  handled_by: string | null;
  handled_at: string | null;
  created_at: string;
  ip: string | null;
  version: Generated<number>;
}

export type BaseStatus = "active" | "warning" | "revoked";

export interface BasesTable {
  id: string;
  uscc: string;
  /** The account whose application named the base, if any. Not ownership: that is `base_accounts` (0013). */
  org_id: string | null;
  application_id: string | null;
  name: string;
  unit_name: string;
  region_code: string;
  category_code: string;
  address: Generated<string>;
  intro: Generated<string>;
  opening_form: string | null;
  opening_hours: Generated<string>;
  open_days: number | null;
  area_sqm: number | null;
  booking_phone: Generated<string>;
  leader_name: Generated<string>;
  leader_phone: Generated<string>;
  contact_name: Generated<string>;
  contact_phone: Generated<string>;
  volunteer_team_name: Generated<string>;
  volunteer_count: number | null;
  batch_no: number | null;
  recognized_year: number;
  recognized_at: string | null;
  certificate_no: string | null;
  naming_notice_id: string | null;
  status: Generated<BaseStatus>;
  warning_note: string | null;
  revoked_at: string | null;
  revocation_reason: number | null;
  revocation_note: string | null;
  /** The level that named it (第十九条): the city, or a county for a county-level base (migration 0023). */
  level: Generated<"city" | "county">;
  recommended_level: "province" | "nation" | null;
  recommended_note: string | null;
  recommended_at: string | null;
  search_text: Generated<string>;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export type ChangeKind = "rename" | "reorganization" | "split" | "merger" | "contact" | "volunteer_team";

export interface ChangeReportsTable {
  id: string;
  base_id: string;
  kind: ChangeKind;
  happened_on: string;
  /** JSON. */
  details: string;
  status: Generated<"pending" | "approved" | "returned">;
  late: Generated<number>;
  reply: string | null;
  filed_by: string;
  filed_at: string;
  decided_by: string | null;
  decided_at: string | null;
  version: Generated<number>;
}

export type CampaignKind =
  | "science_day"
  | "tech_week"
  | "workers_day"
  | "major_project"
  | "double_reduction"
  | "custom";

export interface CampaignsTable {
  id: string;
  kind: CampaignKind;
  title: string;
  year: number;
  starts_on: string;
  ends_on: string;
  description: Generated<string>;
  expectations: Generated<string>;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export type ActivityType =
  | "lecture"
  | "training"
  | "contest"
  | "performance"
  | "game"
  | "award"
  | "exhibition"
  | "study_tour"
  | "other";
export type ActivityForm = "online" | "offline" | "both";
export type ActivityFee = "free" | "discounted" | "paid";
export type ActivityDirection = "in" | "out";
export type ReportStatus = "none" | "submitted" | "accepted" | "returned";

export interface ActivitiesTable {
  id: string;
  base_id: string;
  region_code: string;
  name: string;
  type: ActivityType;
  form: ActivityForm;
  starts_at: string;
  ends_at: string;
  start_month: string;
  place: Generated<string>;
  link: Generated<string>;
  audience: Generated<string>;
  expected_participants: number | null;
  fee: ActivityFee;
  direction: ActivityDirection;
  contact_name: Generated<string>;
  contact_phone: Generated<string>;
  description: Generated<string>;
  report_status: Generated<ReportStatus>;
  /** JSON array of URLs. */
  report_links: Generated<string>;
  actual_participants: number | null;
  report_summary: Generated<string>;
  report_submitted_at: string | null;
  report_reviewed_by: string | null;
  report_reviewed_at: string | null;
  report_return_reason: string | null;
  reminder_sent_at: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export interface ActivityCampaignsTable {
  activity_id: string;
  campaign_id: string;
}

/** Running totals for the staff statistics, kept by triggers (migration 0011). */
export interface ActivityStatsCellsTable {
  region_code: string;
  start_month: string;
  type: ActivityType;
  activities: Count;
  participants: Count;
}

export interface ActivityStatsReportsTable {
  region_code: string;
  start_month: string;
  report_status: ReportStatus;
  activities: Count;
}

export interface ActivityStatsBasesTable {
  /** YYYY of the activities' start_month. */
  start_year: string;
  /** The activities' county, and again each of its ancestors. */
  region_code: string;
  base_id: string;
  activities: Count;
  participants: Count;
}

export interface ActivityStatsCampaignsTable {
  campaign_id: string;
  region_code: string;
  activities: Count;
  participants: Count;
}

export interface ActivityStatsCampaignBasesTable {
  /** The campaign's year, not the activity's. */
  campaign_year: number;
  region_code: string;
  base_id: string;
  links: Count;
}

/** Bases with at least one tag for a campaign of the year, by county. */
export interface ActivityStatsParticipationTable {
  campaign_year: number;
  region_code: string;
  bases: Count;
}

/** Bases by county, category, opening form and status, kept by triggers (migration 0011). */
export interface BaseCountsTable {
  region_code: string;
  category_code: string;
  /** '' for a base without one. */
  opening_form: string;
  status: BaseStatus;
  bases: Count;
}

/** A bigint column: PostgreSQL's driver returns it as a string. */
type Count = number | string;

/** Which org account acts for which base (migration 0013): an explicit, audited link, never an equal USCC. */
export interface BaseAccountsTable {
  base_id: string;
  user_id: string;
  via: "application" | "claim_code" | "verification" | "demo";
  created_by: string | null;
  created_at: string;
}

/** 【节假日设置】: a 放假 or 调休 day entered for a year chinese-days does not cover (migration 0018). */
export interface HolidaysTable {
  /** YYYY-MM-DD */
  day: string;
  year: number;
  kind: "holiday" | "workday";
  created_by: string | null;
  created_at: string;
}

export type VerificationStatus = "unverified" | "pending" | "returned" | "verified";

/** An org account's verification (0013); no row means unverified. */
export interface OrgVerificationsTable {
  user_id: string;
  status: VerificationStatus;
  via: "documents" | "claim_code" | "staff" | "application" | null;
  /** Why county staff returned it; shown to the org. */
  reason: string | null;
  submitted_at: string | null;
  decided_by: string | null;
  decided_at: string | null;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

/** One-time claim codes for a base (0013): only the SHA-256 of the code is kept. */
export interface BaseClaimCodesTable {
  id: string;
  base_id: string;
  code_hash: string;
  issued_by: string | null;
  issued_at: string;
  expires_at: string;
  used_at: string | null;
  used_by: string | null;
  voided_at: string | null;
}

/** An integration's API token (migration 0026); only its SHA-256 is stored. */
export interface ApiTokensTable {
  id: string;
  name: string;
  token_hash: string;
  prefix: string;
  /** JSON array of scopes. */
  scopes: string;
  region_code: string | null;
  base_id: string | null;
  expires_at: string;
  created_by: string;
  created_at: string;
  revoked_at: string | null;
  revoked_by: string | null;
  last_used_at: string | null;
}
export type ApiToken = Selectable<ApiTokensTable>;

export interface DB {
  api_tokens: ApiTokensTable;
  evaluation_rubrics: EvaluationRubricsTable;
  evaluation_rounds: EvaluationRoundsTable;
  evaluation_round_evaluators: EvaluationRoundEvaluatorsTable;
  evaluation_entries: EvaluationEntriesTable;
  evaluation_scores: EvaluationScoresTable;
  base_warnings: BaseWarningsTable;
  base_warning_events: BaseWarningEventsTable;
  volunteer_teams: VolunteerTeamsTable;
  volunteers: VolunteersTable;
  volunteer_services: VolunteerServicesTable;
  school_profiles: SchoolProfilesTable;
  school_items: SchoolItemsTable;
  articles: ArticlesTable;
  school_item_counties: SchoolItemCountiesTable;
  school_item_weeks: SchoolItemWeeksTable;
  school_orders: SchoolOrdersTable;
  base_accounts: BaseAccountsTable;
  org_verifications: OrgVerificationsTable;
  base_claim_codes: BaseClaimCodesTable;
  holidays: HolidaysTable;
  campaigns: CampaignsTable;
  activity_stats_cells: ActivityStatsCellsTable;
  activity_stats_reports: ActivityStatsReportsTable;
  activity_stats_bases: ActivityStatsBasesTable;
  activity_stats_campaigns: ActivityStatsCampaignsTable;
  activity_stats_campaign_bases: ActivityStatsCampaignBasesTable;
  activity_stats_participation: ActivityStatsParticipationTable;
  base_counts: BaseCountsTable;
  activities: ActivitiesTable;
  activity_campaigns: ActivityCampaignsTable;
  jobs: JobsTable;
  public_notices: PublicNoticesTable;
  notice_entries: NoticeEntriesTable;
  objections: ObjectionsTable;
  bases: BasesTable;
  change_reports: ChangeReportsTable;
  generations: GenerationsTable;
  generation_scopes: GenerationScopesTable;
  files: FilesTable;
  applications: ApplicationsTable;
  application_events: ApplicationEventsTable;
  notifications: NotificationsTable;
  outbox: OutboxTable;
  reminders_sent: RemindersSentTable;
  regions: RegionsTable;
  categories: CategoriesTable;
  users: UsersTable;
  sessions: SessionsTable;
  user_two_factor: UserTwoFactorTable;
  recovery_codes: RecoveryCodesTable;
  audit_events: AuditEventsTable;
  audit_head: AuditHeadTable;
  audit_denials: AuditDenialsTable;
  rate_limits: RateLimitsTable;
  settings: SettingsTable;
  calls: CallsTable;
  application_no_counters: ApplicationNoCountersTable;
}

export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type Region = Selectable<RegionsTable>;
export type Category = Selectable<CategoriesTable>;
export type Call = Selectable<CallsTable>;
export type AuditEvent = Selectable<AuditEventsTable>;
export type StoredFile = Selectable<FilesTable>;
export type Application = Selectable<ApplicationsTable>;
export type ApplicationEvent = Selectable<ApplicationEventsTable>;
export type Notification = Selectable<NotificationsTable>;

export type Job = Selectable<JobsTable>;
export type PublicNotice = Selectable<PublicNoticesTable>;
export type NoticeEntry = Selectable<NoticeEntriesTable>;
export type Objection = Selectable<ObjectionsTable>;
export type Base = Selectable<BasesTable>;
export type OrgVerification = Selectable<OrgVerificationsTable>;
export type BaseClaimCode = Selectable<BaseClaimCodesTable>;
export type NewBase = Insertable<BasesTable>;
export type ChangeReport = Selectable<ChangeReportsTable>;
export type Campaign = Selectable<CampaignsTable>;
export type Activity = Selectable<ActivitiesTable>;
export type Outbox = Selectable<OutboxTable>;

// ---- 科技志愿服务队 (migration 0019) ----

export type StvsStatus = "unregistered" | "pending" | "registered";

/** One per base: its team on the national stvs platform. */
export interface VolunteerTeamsTable {
  base_id: string;
  region_code: string;
  name: string;
  stvs_status: Generated<StvsStatus>;
  stvs_org_no: Generated<string>;
  /** YYYY-MM-DD */
  registered_on: string | null;
  supervisor_type: Generated<string>;
  leader_name: Generated<string>;
  leader_phone: Generated<string>;
  contact_name: Generated<string>;
  contact_phone: Generated<string>;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

/** A volunteer of a base's team; one who leaves is anonymized (name replaced, phone and number cleared). */
export interface VolunteersTable {
  id: string;
  base_id: string;
  region_code: string;
  name: string;
  phone: Generated<string>;
  stvs_no: Generated<string>;
  specialty: Generated<string>;
  /** YYYY-MM-DD */
  joined_on: string | null;
  status: Generated<"active" | "left">;
  left_at: string | null;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

/** Hours a volunteer served on one of the base's activities. */
export interface VolunteerServicesTable {
  id: string;
  base_id: string;
  region_code: string;
  volunteer_id: string;
  activity_id: string;
  starts_at: string;
  ends_at: string;
  /** YYYY-MM-DD, Beijing date of starts_at. */
  service_date: string;
  minutes: number;
  status: Generated<"recorded" | "confirmed">;
  confirmed_by: string | null;
  confirmed_at: string | null;
  created_by: string;
  created_at: string;
}

export type VolunteerTeam = Selectable<VolunteerTeamsTable>;
export type Volunteer = Selectable<VolunteersTable>;
export type VolunteerService = Selectable<VolunteerServicesTable>;

// ---- 绩效评价 and 动态管理 (migration 0021) ----

export type RoundStatus = "draft" | "self_assessment" | "county_review" | "scoring" | "publicity" | "closed";
export type EntryStatus = "pending" | "submitted" | "returned" | "passed";
export type Grade = "excellent" | "good" | "pass" | "fail";

/** One version of the rubric; a round points at the version it froze. */
export interface EvaluationRubricsTable {
  id: string;
  version: number;
  /** JSON: the rubric's dimensions with their indicators (RubricDimension[] of the evaluation module). */
  dimensions: string;
  note: Generated<string>;
  created_by: string | null;
  created_at: string;
}

export interface EvaluationRoundsTable {
  id: string;
  year: number;
  title: string;
  status: Generated<RoundStatus>;
  rubric_id: string;
  /** Instants (end of the Beijing day chosen). */
  self_deadline: string;
  scoring_deadline: string;
  /** JSON: { excellent, good, pass } lower bounds. */
  thresholds: string;
  spread_limit: Generated<number>;
  /** JSON: grade → 补助 amount in 元. */
  subsidies: Generated<string>;
  notice_id: string | null;
  confirmed_at: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export interface EvaluationRoundEvaluatorsTable {
  round_id: string;
  user_id: string;
  scope_kind: "county" | "category";
  /** JSON array of county or category codes. */
  scope_values: string;
  unit_uscc: Generated<string>;
  unit_name: Generated<string>;
  finished_at: string | null;
  created_at: string;
}

export interface EvaluationEntriesTable {
  id: string;
  round_id: string;
  base_id: string;
  region_code: string;
  category_code: string;
  base_name: string;
  uscc: string;
  status: Generated<EntryStatus>;
  /** JSON: indicator key → { value, of? }. */
  auto_figures: Generated<string>;
  auto_score: Generated<number>;
  /** JSON: indicator key → { score, text }. */
  self_scores: Generated<string>;
  submitted_at: string | null;
  late: Generated<number>;
  county_opinion: Generated<string>;
  county_by: string | null;
  county_at: string | null;
  manual_score: number | null;
  final_score: number | null;
  grade: Grade | null;
  spread_flag: Generated<number>;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export interface EvaluationScoresTable {
  entry_id: string;
  evaluator_id: string;
  round_id: string;
  /** JSON: indicator key → score. */
  scores: Generated<string>;
  total: number | null;
  comment: Generated<string>;
  submitted_at: string | null;
  updated_at: string;
  version: Generated<number>;
}

export type WarningStatus =
  | "proposed"
  | "open"
  | "rectifying"
  | "report_filed"
  | "lifted"
  | "revocation_proposed"
  | "dismissed";

export interface BaseWarningsTable {
  id: string;
  base_id: string;
  region_code: string;
  source: "manual" | "grade" | "late_change";
  round_id: string | null;
  status: Generated<WarningStatus>;
  reason: string;
  evidence: Generated<string>;
  measures: Generated<string>;
  deadline: string | null;
  report_text: Generated<string>;
  report_at: string | null;
  recheck_note: Generated<string>;
  inspection: Generated<string>;
  revocation_reason: number | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export type EvaluationRubric = Selectable<EvaluationRubricsTable>;
export type EvaluationRound = Selectable<EvaluationRoundsTable>;
export type EvaluationEntry = Selectable<EvaluationEntriesTable>;
export type EvaluationScore = Selectable<EvaluationScoresTable>;
export type RoundEvaluator = Selectable<EvaluationRoundEvaluatorsTable>;
export type BaseWarning = Selectable<BaseWarningsTable>;

/** One step of a warning, for the base's staff timeline and the reminders sent (migration 0024). */
export interface BaseWarningEventsTable {
  id: string;
  warning_id: string;
  base_id: string;
  /** issue, propose, confirm, dismiss, rectify, report, recheck_pass, recheck_fail, lift, remind_before, remind_overdue */
  action: string;
  /** The warning's status after the step. */
  status: string;
  actor_id: string | null;
  actor_role: string | null;
  note: Generated<string>;
  at: string;
}
export type BaseWarningEvent = Selectable<BaseWarningEventsTable>;

// ---- 科普助力双减 (migration 0022) ----

/** A school account's profile; the school itself is a user of role school. */
export interface SchoolProfilesTable {
  user_id: string;
  /** JSON array of stages (小学, 初中 …). */
  stages: string;
  address: string;
  created_at: string;
  updated_at: string;
}

export type SchoolItemKind = "outreach" | "visit" | "online";
export type SchoolItemStatus = "draft" | "pending" | "approved" | "returned" | "withdrawn";

/** A catalogue item (课程/服务项目) a base offers schools. */
export interface SchoolItemsTable {
  id: string;
  base_id: string;
  /** The base's county: the county that approves it. */
  region_code: string;
  title: string;
  kind: SchoolItemKind;
  subject_mask: number;
  grade_mask: number;
  /** Bit 0 Monday … bit 6 Sunday. */
  weekday_mask: number;
  duration_minutes: number;
  students_per_session: number;
  sessions_per_week: number;
  /** YYYY-MM-DD */
  available_from: string;
  available_to: string;
  fee: "free" | "discount";
  fee_note: Generated<string>;
  description: Generated<string>;
  prepare: Generated<string>;
  safety_notes: Generated<string>;
  status: SchoolItemStatus;
  review_reason: string | null;
  reviewed_by: string | null;
  reviewed_at: string | null;
  rating_count: Generated<number>;
  /** Sum over ratings of (content + organization + safety). */
  rating_sum: Generated<number>;
  published_at: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export type ArticleColumn = "news" | "experience" | "research" | "federation";
export type ArticleStatus = "draft" | "submitted" | "published" | "returned";

/** An article in one of the four columns (第十四条); `body_html` is stored sanitized. */
export interface ArticlesTable {
  id: string;
  column_key: ArticleColumn;
  title: string;
  summary: Generated<string>;
  body_html: Generated<string>;
  /** The author's base (an organization's article); null for an article written by staff. */
  base_id: string | null;
  /** The base's county, or the staff author's region: who moderates it. */
  region_code: string;
  author_id: string;
  /** The byline: the base's name or the staff author's unit. */
  author_name: string;
  status: ArticleStatus;
  return_reason: string | null;
  reviewed_by: string | null;
  reviewed_at: string | null;
  submitted_at: string | null;
  published_at: string | null;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export interface SchoolItemCountiesTable {
  item_id: string;
  county_code: string;
  /** 1 while the item is approved (copied so the public filter reads one index). */
  public: Generated<number>;
  published_at: string | null;
}

export interface SchoolItemWeeksTable {
  item_id: string;
  /** YYYY-MM-DD of the week's Monday. */
  week: string;
  booked: number;
}

export type SchoolOrderStatus =
  | "ordered"
  | "proposed"
  | "accepted"
  | "declined"
  | "dispatch"
  | "closed"
  | "cancelled"
  | "delivered"
  | "not_held";

export interface SchoolOrdersTable {
  id: string;
  item_id: string;
  base_id: string;
  base_region_code: string;
  school_id: string;
  school_region_code: string;
  /** JSON array of 1–3 YYYY-MM-DD. */
  preferred_dates: string;
  classes: number;
  students: number;
  /** Sessions the order needs: students over the item's students per session, rounded up. */
  sessions: number;
  contact_name: string;
  contact_phone: string;
  notes: Generated<string>;
  status: SchoolOrderStatus;
  held_week: string | null;
  scheduled_date: string | null;
  proposed_date: string | null;
  reason: string | null;
  answer_due_at: string;
  answered_at: string | null;
  answer_minutes: number | null;
  activity_id: string | null;
  cancelled_by: "school" | "base" | null;
  late_cancel: Generated<number>;
  delivered_students: number | null;
  rating_content: number | null;
  rating_organization: number | null;
  rating_safety: number | null;
  rating_comment: string | null;
  rated_at: string | null;
  reply: string | null;
  replied_at: string | null;
  reassigned_from: string | null;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export type SchoolProfile = Selectable<SchoolProfilesTable>;
export type SchoolItem = Selectable<SchoolItemsTable>;
export type Article = Selectable<ArticlesTable>;
export type SchoolOrder = Selectable<SchoolOrdersTable>;
