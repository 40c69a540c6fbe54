/**
 * Pure rules for activities (第九、十二条, 附件3 二): the lists a form offers, the time rules
 * (end after start, report only after the end, overdue 7 days after the end in Asia/Shanghai)
 * and the ICS text format. No I/O: shared by the pages and the server.
 */

import type {
  ActivityDirection,
  ActivityFee,
  ActivityForm,
  ActivityType,
  CampaignKind,
  ReportStatus,
} from "#src/platform/db/schema.ts";
import { stripForbidden } from "#src/platform/text.rules.ts";

/** One activity as the lists show it (calendar, a base's 活动列表, the base page). */
export interface ActivityListItem {
  id: string;
  name: string;
  type: ActivityType;
  form: ActivityForm;
  fee: ActivityFee;
  direction: ActivityDirection;
  /** Already formatted in Asia/Shanghai. */
  when: string;
  place: string;
  baseName?: string;
  baseId?: string;
  reportStatus?: ReportStatus;
  phase: "upcoming" | "ongoing" | "ended";
}

export const ACTIVITY_TYPE_LABELS: Record<ActivityType, string> = {
  lecture: "讲座",
  training: "培训",
  contest: "竞赛",
  performance: "表演",
  game: "游戏",
  award: "评奖",
  exhibition: "展览",
  study_tour: "科学体验（研学）",
  other: "其他",
};
export const ACTIVITY_TYPES = Object.keys(ACTIVITY_TYPE_LABELS) as ActivityType[];

export const ACTIVITY_FORM_LABELS: Record<ActivityForm, string> = {
  online: "线上",
  offline: "线下",
  both: "线上+线下",
};
export const ACTIVITY_FORMS = Object.keys(ACTIVITY_FORM_LABELS) as ActivityForm[];

export const FEE_LABELS: Record<ActivityFee, string> = { free: "免费", discounted: "优惠", paid: "收费" };
export const FEES = Object.keys(FEE_LABELS) as ActivityFee[];

/** 科普助力双减: the school comes to the base (请进来) or the base goes to the school (走出去). */
export const DIRECTION_LABELS: Record<ActivityDirection, string> = { in: "请进来", out: "走出去" };
export const DIRECTIONS = Object.keys(DIRECTION_LABELS) as ActivityDirection[];

export const CAMPAIGN_KIND_LABELS: Record<CampaignKind, string> = {
  science_day: "全国科普日",
  tech_week: "科技活动周",
  workers_day: "全国科技工作者日",
  major_project: "省市重大科普项目",
  double_reduction: "双减进校园",
  custom: "其他动员活动",
};
export const CAMPAIGN_KINDS = Object.keys(CAMPAIGN_KIND_LABELS) as CampaignKind[];

export const REPORT_STATUS_LABELS: Record<ReportStatus, string> = {
  none: "未提交小结",
  submitted: "小结待审核",
  accepted: "小结已通过",
  returned: "小结已退回",
};
export const REPORT_STATUS_COLORS = {
  none: "default",
  submitted: "blue",
  accepted: "green",
  returned: "orange",
} as const satisfies Record<ReportStatus, string>;

/** An activity is an event, not a standing exhibition; the bound also keeps calendar queries short. */
export const MAX_DURATION_DAYS = 90;
/** The report is due by the end of the 7th Asia/Shanghai day after the activity's end date. */
export const REPORT_GRACE_DAYS = 7;

export const ACTIVITY_SLOTS = {
  cover: { id: "activity_cover", label: "活动封面图", kinds: ["image"], min: 0, max: 1 },
  photos: { id: "activity_photos", label: "活动图片", kinds: ["image"], min: 1, max: 20 },
  videos: { id: "activity_videos", label: "活动视频", kinds: ["video"], min: 0, max: 5 },
} as const;

const DAY_MS = 86_400_000;
const SHANGHAI_MS = 8 * 3600_000;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})$/;

/** "2024-05-10T09:30" on a Shanghai wall clock → the UTC instant; null when not a real time. */
export function shanghaiLocalToIso(local: string): string | null {
  const m = LOCAL.exec(local.trim());
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1).map(Number);
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59) return null;
  const t = Date.UTC(y, mo - 1, d, h, mi) - SHANGHAI_MS;
  const back = new Date(t + SHANGHAI_MS);
  if (back.getUTCDate() !== d || back.getUTCMonth() !== mo - 1) return null;
  return new Date(t).toISOString();
}

/** The instant as a Shanghai wall-clock "YYYY-MM-DDTHH:mm" (for datetime-local inputs). */
export function isoToShanghaiLocal(iso: string): string {
  return new Date(new Date(iso).getTime() + SHANGHAI_MS).toISOString().slice(0, 16);
}

/** YYYY-MM of the instant in Asia/Shanghai. */
export function shanghaiMonth(iso: string): string {
  return isoToShanghaiLocal(iso).slice(0, 7);
}

/** The end must come after the start, and an activity lasts at most MAX_DURATION_DAYS. */
export function checkActivityTimes(startsAt: string, endsAt: string): string | null {
  const s = new Date(startsAt).getTime();
  const e = new Date(endsAt).getTime();
  if (!(e > s)) return "结束时间须晚于开始时间";
  if (e - s > MAX_DURATION_DAYS * DAY_MS) return `活动时长不能超过${MAX_DURATION_DAYS}天；长期展览请分期发布`;
  return null;
}

/** The 活动小结 may be filed only once the activity has ended. */
export function canFileReport(endsAt: string, now: Date): boolean {
  return now.getTime() >= new Date(endsAt).getTime();
}

/** The instant the report becomes overdue: midnight (Shanghai) after the 7th day following the end date. */
export function reportDueAt(endsAt: string): string {
  const endDate = isoToShanghaiLocal(endsAt).slice(0, 10);
  const midnight = new Date(`${endDate}T00:00:00+08:00`).getTime();
  return new Date(midnight + (REPORT_GRACE_DAYS + 1) * DAY_MS).toISOString();
}

export function isReportOverdue(a: { ends_at: string; report_status: ReportStatus }, now: Date): boolean {
  return a.report_status === "none" && now.getTime() >= new Date(reportDueAt(a.ends_at)).getTime();
}

export type ActivityPhase = "upcoming" | "ongoing" | "ended";
export const PHASE_LABELS: Record<ActivityPhase, string> = {
  upcoming: "即将开始",
  ongoing: "进行中",
  ended: "已结束",
};

export function activityPhase(startsAt: string, endsAt: string, now: Date): ActivityPhase {
  const t = now.getTime();
  if (t < new Date(startsAt).getTime()) return "upcoming";
  if (t < new Date(endsAt).getTime()) return "ongoing";
  return "ended";
}

/** A campaign is open (bases answer it) from its publication until the end of its last day. */
export function campaignIsOpen(c: { ends_on: string }, today: string): boolean {
  return today <= c.ends_on;
}

/** Share of bases that took part, as a percentage with one decimal; 0 when there are no bases. */
export function participationRate(participating: number, total: number): number {
  if (total <= 0) return 0;
  return Math.round((participating / total) * 1000) / 10;
}

/** The first and last instant (exclusive) of a Shanghai month "YYYY-MM". */
export function monthRange(month: string): { from: string; to: string } | null {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const next = mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, "0")}`;
  return {
    from: new Date(`${month}-01T00:00:00+08:00`).toISOString(),
    to: new Date(`${next}-01T00:00:00+08:00`).toISOString(),
  };
}

/** The instant a Shanghai date starts ("2024-05-10" → 2024-05-09T16:00:00.000Z). */
export function shanghaiDayStart(date: string): string {
  return new Date(`${date}T00:00:00+08:00`).toISOString();
}

// ---- ICS (RFC 5545) ----

/** TEXT values: backslash, semicolon, comma and newlines are escaped. */
export function escapeIcsText(value: string): string {
  // RFC 5545 TEXT allows no control characters; rows stored before normalization may hold some.
  return stripForbidden(value)
    .replace(/\t/g, " ")
    .replace(/\\/g, "\\\\")
    .replace(/;/g, "\\;")
    .replace(/,/g, "\\,")
    .replace(/\r\n|\r|\n/g, "\\n");
}

/**
 * Folds a content line to at most 75 octets per physical line (UTF-8), never splitting a character;
 * continuation lines start with one space, which counts toward their 75.
 */
export function foldIcsLine(line: string): string {
  const out: string[] = [];
  let current = "";
  let octets = 0;
  const limit = 75;
  for (const ch of line) {
    const n = utf8Length(ch.codePointAt(0) ?? 0);
    if (octets + n > limit) {
      out.push(current);
      current = " ";
      octets = 1;
    }
    current += ch;
    octets += n;
  }
  out.push(current);
  return out.join("\r\n");
}

function utf8Length(cp: number): number {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/** 2024-05-10T01:30:00.000Z → 20240510T013000Z */
export function icsDateTime(iso: string): string {
  return new Date(iso)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

export interface IcsEvent {
  uid: string;
  startsAt: string;
  endsAt: string;
  summary: string;
  location?: string;
  description?: string;
  url?: string;
  updatedAt: string;
}

/** A whole VCALENDAR with CRLF line ends and folded lines. */
export function buildIcs(name: string, events: IcsEvent[]): string {
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//kepu//科普基地服务平台//ZH",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    `X-WR-CALNAME:${escapeIcsText(name)}`,
    "X-WR-TIMEZONE:Asia/Shanghai",
  ];
  for (const e of events) lines.push(...icsEventLines(e));
  lines.push("END:VCALENDAR");
  return `${lines.map(foldIcsLine).join("\r\n")}\r\n`;
}

export function icsEventLines(e: IcsEvent): string[] {
  return [
    "BEGIN:VEVENT",
    `UID:${e.uid}`,
    `DTSTAMP:${icsDateTime(e.updatedAt)}`,
    `DTSTART:${icsDateTime(e.startsAt)}`,
    `DTEND:${icsDateTime(e.endsAt)}`,
    `SUMMARY:${escapeIcsText(e.summary)}`,
    ...(e.location ? [`LOCATION:${escapeIcsText(e.location)}`] : []),
    ...(e.description ? [`DESCRIPTION:${escapeIcsText(e.description)}`] : []),
    ...(e.url ? [`URL:${e.url}`] : []),
    "END:VEVENT",
  ];
}
