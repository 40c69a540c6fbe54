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
