/**
 * 科技志愿服务队 rules (第五条(七), 第十三条, 附件4): the team's name, its stvs registration, and the
 * limits on service records. Pure: no I/O.
 */
import type { StvsStatus } from "#src/platform/db/schema.ts";

export const TEAM_SUFFIX = "科技志愿服务队";
/** 附件4 ③: 归口管理单位类型 is always 地方科协 for a base's team. */
export const SUPERVISOR_TYPE = "地方科协";

export const STVS_STATUS_LABELS: Record<StvsStatus, string> = {
  unregistered: "未注册",
  pending: "审核中",
  registered: "已注册",
};
export const STVS_STATUSES = Object.keys(STVS_STATUS_LABELS) as StvsStatus[];
export const STVS_STATUS_COLORS: Record<StvsStatus, string> = {
  unregistered: "red",
  pending: "gold",
  registered: "green",
};

export const VOLUNTEER_STATUS_LABELS = { active: "在队", left: "已退出" } as const;
export const SERVICE_STATUS_LABELS = { recorded: "待确认", confirmed: "已确认" } as const;

/** What a volunteer who left is shown as: the name is not kept (PIPL minimization). */
export const ANONYMIZED_NAME = "已退出志愿者";

/** A day has 24 hours: no volunteer serves more on one date. */
export const MAX_MINUTES_PER_DAY = 24 * 60;

/** Organization names as people type them: no spaces, one kind of brackets. */
export function normalizeOrgName(s: string): string {
  return s.replace(/\s+/g, "").replace(/[（(]/g, "(").replace(/[）)]/g, ")");
}

/**
 * The unit part of a team name must be the base's unit (单位名称), or the base's name without
 * 科普教育基地 (附件4 ④: 常山国家地质公园科技志愿服务队). Returns the message, or null when it fits.
 */
export function teamNameProblem(name: string, org: { unitName: string; baseName: string }): string | null {
  const n = normalizeOrgName(name);
  const expected = `${org.unitName}${TEAM_SUFFIX}`;
  if (!n.endsWith(TEAM_SUFFIX) || n.length === TEAM_SUFFIX.length) {
    return `服务队名称须为“单位名称+科技志愿服务队”，如：${expected}`;
  }
  const unit = n.slice(0, -TEAM_SUFFIX.length);
  const candidates = [org.unitName, org.baseName.replace(/科普教育基地$/, "")]
    .map(normalizeOrgName)
    .filter((c) => c.length > 0);
  if (!candidates.includes(unit)) return `服务队名称的单位部分应与本单位名称一致，应为：${expected}`;
  return null;
}

/** stvs numbers as the platform shows them: letters, digits and dashes. */
export const STVS_NO = /^[A-Za-z0-9-]{4,40}$/;

export interface TeamState {
  status: StvsStatus;
  name: string;
  stvsOrgNo: string;
}

/**
 * Once the team is 已注册 on stvs, its name and number are the national record's: the base cannot
 * change them here (a change is re-registered on stvs and reported to the office).
 */
export function lockedTeamChanges(current: TeamState | null, next: TeamState): ("name" | "stvsOrgNo")[] {
  if (!current || current.status !== "registered") return [];
  const out: ("name" | "stvsOrgNo")[] = [];
  if (normalizeOrgName(current.name) !== normalizeOrgName(next.name)) out.push("name");
  if (current.stvsOrgNo !== next.stvsOrgNo) out.push("stvsOrgNo");
  return out;
}

export interface TeamChange {
  name?: string;
  stvsOrgNo?: string;
}

export const TEAM_CHANGE_UNREGISTERED =
  "服务队尚未在“科技志愿服务”平台注册，名称和组织编号可直接在【科技志愿服务队】页修改，无需申报变更";

/**
 * A change report's new team name or stvs number, against the team as it is and the unit it will
 * belong to (after the report's own rename): only a registered team changes this way, the name keeps
 * the 单位名称+科技志愿服务队 rule, and each item must change something. Returns field → message.
 */
export function teamChangeProblems(
  current: TeamState | null,
  change: TeamChange,
  org: { unitName: string; baseName: string },
): Partial<Record<keyof TeamChange, string>> {
  const out: Partial<Record<keyof TeamChange, string>> = {};
  const given = (Object.keys(change) as (keyof TeamChange)[]).filter((k) => change[k]);
  if (given.length === 0) return out;
  if (!current || current.status !== "registered") {
    for (const k of given) out[k] = TEAM_CHANGE_UNREGISTERED;
    return out;
  }
  if (change.name) {
    const p = teamNameProblem(change.name, org);
    if (p) out.name = p;
    else if (normalizeOrgName(change.name) === normalizeOrgName(current.name))
      out.name = "与当前服务队名称相同，无需变更";
  }
  if (change.stvsOrgNo) {
    if (!STVS_NO.test(change.stvsOrgNo)) out.stvsOrgNo = "组织编号应为4至40位字母、数字或短横线";
    else if (change.stvsOrgNo === current.stvsOrgNo) out.stvsOrgNo = "与当前组织编号相同，无需变更";
  }
  return out;
}

/** Hours as typed ("2", "1.5", "2.25") → whole minutes; null when it is no positive number of hours. */
export function minutesOfHours(input: string): number | null {
  const s = input.trim();
  if (!/^\d{1,2}(\.\d{1,2})?$/.test(s)) return null;
  const m = Math.round(Number(s) * 60);
  return m > 0 ? m : null;
}

/** Minutes as hours for people: 90 → "1.5", 125 → "2.08". */
export function hoursText(minutes: number): string {
  return String(Math.round((minutes / 60) * 100) / 100);
}

/** An activity's length as the default service length: whole half hours, at least half an hour, at most a day. */
export function defaultServiceMinutes(startsAt: string, endsAt: string): number {
  const m = (new Date(endsAt).getTime() - new Date(startsAt).getTime()) / 60_000;
  const half = Math.round(m / 30) * 30;
  return Math.min(MAX_MINUTES_PER_DAY, Math.max(30, half));
}

/** The Beijing calendar date of an instant. */
export function beijingDate(instant: string | Date): string {
  return new Date(new Date(instant).getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** "2026-05-01T09:00" typed as Beijing wall-clock time → ISO instant; null when it is no such time. */
export function instantOfBeijing(local: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})$/.exec(local.trim());
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1).map(Number);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59) return null;
  const t = Date.UTC(y, mo - 1, d, h - 8, mi);
  const back = new Date(t + 8 * 3600_000);
  if (back.getUTCDate() !== d || back.getUTCMonth() !== mo - 1) return null;
  return new Date(t).toISOString();
}

/** An ISO instant as the datetime-local value in Beijing time. */
export function beijingLocal(instant: string): string {
  return new Date(new Date(instant).getTime() + 8 * 3600_000).toISOString().slice(0, 16);
}

export interface Span {
  startsAt: string;
  endsAt: string;
}

/** Two services of one person overlap when each starts before the other ends. */
export function overlaps(a: Span, b: Span): boolean {
  return a.startsAt < b.endsAt && b.startsAt < a.endsAt;
}

export interface ServiceDraft extends Span {
  minutes: number;
  serviceDate: string;
}

export interface ExistingService extends ServiceDraft {
  activityName: string;
}

/**
 * The checks on one new service of a volunteer against that volunteer's other services:
 * no overlap, and no more than 24 hours on the service's date. Returns the message, or null.
 */
export function serviceProblem(draft: ServiceDraft, others: readonly ExistingService[]): string | null {
  const clash = others.find((o) => overlaps(draft, o));
  if (clash) {
    return `与已有服务记录时间重叠：${clash.activityName}（${beijingLocal(clash.startsAt).replace("T", " ")} 起 ${hoursText(clash.minutes)} 小时）`;
  }
  const sameDay = others
    .filter((o) => o.serviceDate === draft.serviceDate)
    .reduce((s, o) => s + o.minutes, 0);
  if (sameDay + draft.minutes > MAX_MINUTES_PER_DAY) {
    return `${draft.serviceDate} 的服务时长合计将达到 ${hoursText(sameDay + draft.minutes)} 小时，每位志愿者每天不能超过 24 小时`;
  }
  return null;
}

/** A service draft from a start and a length. */
export function draftOf(startsAt: string, minutes: number): ServiceDraft {
  return {
    startsAt,
    endsAt: new Date(new Date(startsAt).getTime() + minutes * 60_000).toISOString(),
    minutes,
    serviceDate: beijingDate(startsAt),
  };
}

/** Yearly totals of minutes, newest year first. */
export function yearlyTotals(services: readonly { serviceDate: string; minutes: number }[]) {
  const by = new Map<string, { minutes: number; count: number }>();
  for (const s of services) {
    const y = s.serviceDate.slice(0, 4);
    const cur = by.get(y) ?? { minutes: 0, count: 0 };
    cur.minutes += s.minutes;
    cur.count += 1;
    by.set(y, cur);
  }
  return [...by.entries()]
    .sort((a, b) => (a[0] < b[0] ? 1 : -1))
    .map(([year, v]) => ({ year: Number(year), minutes: v.minutes, count: v.count }));
}
