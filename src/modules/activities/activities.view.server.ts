import { formatShanghai } from "#src/platform/clock.ts";
import { type ActivityListItem, activityPhase } from "./activities.rules.ts";

/** "2024-05-18 09:00—11:00", or with both dates when it spans days (Asia/Shanghai). */
export function formatSpan(startsAt: string, endsAt: string): string {
  const s = formatShanghai(startsAt).slice(0, 16);
  const e = formatShanghai(endsAt).slice(0, 16);
  return s.slice(0, 10) === e.slice(0, 10) ? `${s}—${e.slice(11)}` : `${s} — ${e}`;
}

export function listItemOf(
  a: {
    id: string;
    name: string;
    type: ActivityListItem["type"];
    form: ActivityListItem["form"];
    fee: ActivityListItem["fee"];
    direction: ActivityListItem["direction"];
    startsAt: string;
    endsAt: string;
    place: string;
    baseName?: string;
    baseId?: string;
    reportStatus?: ActivityListItem["reportStatus"];
  },
  now: Date,
): ActivityListItem {
  return {
    id: a.id,
    name: a.name,
    type: a.type,
    form: a.form,
    fee: a.fee,
    direction: a.direction,
    when: formatSpan(a.startsAt, a.endsAt),
    place: a.place,
    baseName: a.baseName,
    baseId: a.baseId,
    reportStatus: a.reportStatus,
    phase: activityPhase(a.startsAt, a.endsAt, now),
  };
}
