/**
 * 科普助力双减 · 你点我来: the catalogue's vocabularies (stages, grade bands, subjects, kinds), the
 * bit masks the public filters read, weeks for capacity, the 3-working-day answer deadline and the
 * order's state machine. Pure: no I/O.
 */

import { type ExtraDays, NO_EXTRA_DAYS, noticeEndsAt } from "#src/modules/notices/working-days.rules.ts";
import { shanghaiDate } from "#src/modules/notifications/notifications.rules.ts";
import type { SchoolItemKind, SchoolItemStatus, SchoolOrderStatus } from "#src/platform/db/schema.ts";

/** A school's stages (学段). */
export const SCHOOL_STAGES = ["小学", "初中", "高中", "九年一贯", "完全中学"] as const;
export type SchoolStage = (typeof SCHOOL_STAGES)[number];

/** Grade bands an item suits; bit i of grade_mask is GRADES[i]. */
export const GRADES = ["小学低段", "小学中段", "小学高段", "初中", "高中"] as const;
export type Grade = (typeof GRADES)[number];
export const GRADE_HINTS: Record<Grade, string> = {
  小学低段: "1–2年级",
  小学中段: "3–4年级",
  小学高段: "5–6年级",
  初中: "7–9年级",
  高中: "10–12年级",
};

/** Subject tags; bit i of subject_mask is SUBJECTS[i]. */
export const SUBJECTS = [
  "物理",
  "化学",
  "生物",
  "地理",
  "天文",
  "信息技术",
  "人工智能",
  "工程技术",
  "生态环保",
  "农业",
  "医学健康",
  "安全应急",
  "传统文化",
  "劳动实践",
] as const;
export type Subject = (typeof SUBJECTS)[number];

export const WEEKDAYS = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"] as const;

export const ITEM_KIND_LABELS: Record<SchoolItemKind, string> = {
  outreach: "送课进校园",
  visit: "研学参观",
  online: "线上课程",
};
/** How an item reaches the school: 走出去 (the base goes), 请进来 (the school visits). */
export const ITEM_KIND_MODES: Record<SchoolItemKind, string> = {
  outreach: "走出去",
  visit: "请进来",
  online: "线上",
};
export const ITEM_KINDS = Object.keys(ITEM_KIND_LABELS) as SchoolItemKind[];

/** A catalogue item's own photo slot (not the base's or an activity's). */
export const ITEM_PHOTO_SLOT = {
  id: "school_item_photos",
  label: "项目照片",
  kinds: ["image"],
  min: 0,
  max: 6,
} as const;

export const FEE_LABELS = { free: "免费", discount: "优惠" } as const;

export const ITEM_STATUS_LABELS: Record<SchoolItemStatus, string> = {
  draft: "草稿",
  pending: "待审核",
  approved: "已上架",
  returned: "已退回",
  withdrawn: "已下架",
};

export const ORDER_STATUS_LABELS: Record<SchoolOrderStatus, string> = {
  ordered: "待接单",
  proposed: "待学校确认新日期",
  accepted: "已接单",
  declined: "已婉拒",
  dispatch: "待派单",
  closed: "已关闭",
  cancelled: "已取消",
  delivered: "已完成",
  not_held: "未开展",
};
export const ORDER_STATUS_COLORS: Record<SchoolOrderStatus, string> = {
  ordered: "gold",
  proposed: "orange",
  accepted: "blue",
  declined: "default",
  dispatch: "red",
  closed: "default",
  cancelled: "default",
  delivered: "green",
  not_held: "volcano",
};

/** Orders that hold sessions of the item's week (the base still owes an answer or the date). */
/**
 * An order list's place, as the URL carries it (?before=): the last shown order's creation time and
 * id, so the next page starts right after it however many orders arrive meanwhile.
 */
export interface OrderCursor {
  createdAt: string;
  id: string;
}

export const orderCursorText = (c: OrderCursor): string => `${c.createdAt}_${c.id}`;

/** The cursor in ?before=, or null when it is absent or malformed (the list then starts at the newest). */
export function parseOrderCursor(text: string | null): OrderCursor | null {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z)_([0-9a-f-]{36})$/i.exec(text ?? "");
  return m ? { createdAt: m[1], id: m[2].toLowerCase() } : null;
}

export const HOLDING_STATUSES: readonly SchoolOrderStatus[] = ["ordered", "proposed", "accepted", "dispatch"];

export const MAX_PREFERRED_DATES = 3;
/** Working days a base has to answer before the order goes to the county's 派单 queue. */
export const ANSWER_WORKING_DAYS = 3;

export function toMask<T extends string>(all: readonly T[], picked: readonly T[]): number {
  let mask = 0;
  for (const p of picked) {
    const i = all.indexOf(p);
    if (i >= 0) mask |= 1 << i;
  }
  return mask;
}

export function fromMask<T extends string>(all: readonly T[], mask: number): T[] {
  return all.filter((_, i) => (mask & (1 << i)) !== 0);
}

/** Monday = 0 … Sunday = 6 of a YYYY-MM-DD date. */
export function weekdayIndex(date: string): number {
  return (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
}

export function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The Monday of the date's week: capacity (sessions per week) is counted per such week. */
export function weekOf(date: string): string {
  return addDays(date, -weekdayIndex(date));
}

/** Why the item cannot be given on `date`, or null when it can. */
export function dateProblem(
  item: { available_from: string; available_to: string; weekday_mask: number },
  date: string,
  today: string,
): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) return "请选择日期";
  if (date <= today) return "请选择明天及以后的日期";
  if (date < item.available_from || date > item.available_to)
    return `该项目的可预约日期为 ${item.available_from} 至 ${item.available_to}`;
  if ((item.weekday_mask & (1 << weekdayIndex(date))) === 0) {
    const days = fromMask(WEEKDAYS, item.weekday_mask).join("、");
    return `该项目只在${days}开展`;
  }
  return null;
}

/** Sessions an order needs: every session takes at most `perSession` students. */
export function sessionsNeeded(students: number, perSession: number): number {
  return Math.max(1, Math.ceil(students / Math.max(1, perSession)));
}

/**
 * When the base's answer is due: the end (24:00, Beijing) of the 3rd working day after the day
 * the order was placed, on the official calendar with 调休.
 */
export function answerDueAt(orderedAt: string, extra: ExtraDays = NO_EXTRA_DAYS): string {
  const day = shanghaiDate(orderedAt);
  return noticeEndsAt(addDays(day, 1), ANSWER_WORKING_DAYS, extra).endsAt;
}

/** A cancellation on the day before the date or later is late (the other side had no time to plan). */
export function isLateCancellation(scheduledDate: string | null, today: string): boolean {
  return !!scheduledDate && today >= addDays(scheduledDate, -1);
}

export type OrderAction =
  | "accept"
  | "decline"
  | "propose"
  | "confirm_proposal"
  | "reject_proposal"
  | "dispatch"
  | "reassign"
  | "close"
  | "cancel"
  | "confirm_delivery"
  | "report_not_held"
  | "rate"
  | "reply";

/** Which side may take which action from which status (the dates are checked by the use cases). */
const TRANSITIONS: Record<
  OrderAction,
  { from: readonly SchoolOrderStatus[]; by: "school" | "base" | "county" | "job" }
> = {
  accept: { from: ["ordered"], by: "base" },
  decline: { from: ["ordered"], by: "base" },
  propose: { from: ["ordered"], by: "base" },
  confirm_proposal: { from: ["proposed"], by: "school" },
  reject_proposal: { from: ["proposed"], by: "school" },
  dispatch: { from: ["ordered"], by: "job" },
  reassign: { from: ["dispatch"], by: "county" },
  close: { from: ["dispatch"], by: "county" },
  cancel: { from: ["ordered", "proposed", "accepted"], by: "school" },
  confirm_delivery: { from: ["accepted"], by: "school" },
  report_not_held: { from: ["accepted"], by: "school" },
  rate: { from: ["delivered"], by: "school" },
  reply: { from: ["delivered"], by: "base" },
};

export function mayTake(
  action: OrderAction,
  status: SchoolOrderStatus,
  by: "school" | "base" | "county" | "job",
): boolean {
  const t = TRANSITIONS[action];
  // Both sides may cancel before the date.
  const side = action === "cancel" ? by === "school" || by === "base" : t.by === by;
  return side && t.from.includes(status);
}

/** The item's shown rating: the mean of all three scores over all ratings, one decimal. */
export function averageRating(ratingSum: number, ratingCount: number): number | null {
  if (ratingCount <= 0) return null;
  return Math.round((ratingSum / (ratingCount * 3)) * 10) / 10;
}

/** The median of a list of numbers (answer minutes), or null for none. */
export function median(values: readonly number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export type StatsBy = "county" | "school" | "base";
export const STATS_BY_LABELS: Record<StatsBy, string> = {
  county: "县（市、区）",
  school: "学校",
  base: "基地",
};

/** A school's USCC: schools are 事业单位, whose codes start with 12. */
export function isSchoolUscc(uscc: string): boolean {
  return uscc.startsWith("12");
}
