export type CallState = "upcoming" | "open" | "closed";

export const CALL_STATE_LABELS: Record<CallState, string> = {
  upcoming: "未开始",
  open: "申报中",
  closed: "已截止",
};

/** A call accepts submissions from opens_at (inclusive) until closes_at (exclusive). */
export function callState(call: { opens_at: string; closes_at: string }, now: Date): CallState {
  const t = now.getTime();
  if (t < new Date(call.opens_at).getTime()) return "upcoming";
  if (t < new Date(call.closes_at).getTime()) return "open";
  return "closed";
}

/** The instant a Shanghai calendar day ends: 2023-02-28 → 2023-02-28T16:00:00Z. */
export function endOfShanghaiDay(date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`not a date: ${date}`);
  const start = new Date(`${date}T00:00:00+08:00`);
  return new Date(start.getTime() + 24 * 60 * 60 * 1000).toISOString();
}

const SHANGHAI_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

/**
 * The last whole day a deadline allows, in Asia/Shanghai: 2023-02-28T16:00:00Z (Beijing 03-01 00:00,
 * stored exclusive) → "2023-02-28". A deadline at another moment of the day names that day.
 */
export function deadlineDay(instant: string): string {
  const t = new Date(instant).getTime() + SHANGHAI_MS;
  const atMidnight = t % DAY_MS === 0;
  return new Date(atMidnight ? t - DAY_MS : t).toISOString().slice(0, 10);
}

/**
 * A deadline as people read it: "截止 2023年2月28日 24:00（北京时间）". The stored instant is the
 * exclusive end (the next day's 00:00), which would otherwise read as a day late.
 */
export function formatDeadline(instant: string | null | undefined): string {
  if (!instant) return "";
  const t = new Date(instant).getTime();
  if (Number.isNaN(t)) return "";
  const local = new Date(t + SHANGHAI_MS);
  const atMidnight = local.getTime() % DAY_MS === 0;
  const [y, m, d] = deadlineDay(instant).split("-").map(Number);
  const time = atMidnight ? "24:00" : local.toISOString().slice(11, 16);
  return `截止 ${y}年${m}月${d}日 ${time}（北京时间）`;
}

/**
 * 第三条: the city's bases are named jointly by 市委宣传部、市科协、市教育局、市科技局. Those are the
 * issuers of a city call unless the call names others; a county call (第十九条) is issued by the
 * county 科协.
 */
export function defaultIssuers(level: "city" | "county", regionName: string): string[] {
  if (level === "county") return [`${regionName}科学技术协会`];
  return [
    `中共${regionName}委宣传部`,
    `${regionName}科学技术协会`,
    `${regionName}教育局`,
    `${regionName}科学技术局`,
  ];
}

export const MAX_ISSUERS = 8;

/** The issuers as typed: one a line (or separated by 、，,；;), trimmed, without blanks or repeats. */
export function parseIssuers(text: string): string[] {
  const out: string[] = [];
  for (const part of text.split(/[\n、，,；;]+/)) {
    const name = part.trim();
    if (name && !out.includes(name)) out.push(name);
  }
  return out;
}

/** A 文号 with its year in the brackets documents use: 衢科协[2023]12号 → 衢科协〔2023〕12号. */
export function normalizeDocumentNo(text: string): string {
  return text
    .trim()
    .replace(/\s+/g, "")
    .replace(/[[［(（【〔]\s*(\d{4})\s*[\]］)）】〕]/, "〔$1〕");
}
