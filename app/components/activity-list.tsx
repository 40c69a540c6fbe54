import type { ReactNode } from "react";
import {
  ACTIVITY_FORM_LABELS,
  ACTIVITY_TYPE_LABELS,
  type ActivityListItem,
  DIRECTION_LABELS,
  FEE_LABELS,
  REPORT_STATUS_COLORS,
  REPORT_STATUS_LABELS,
} from "#src/modules/activities/activities.rules.ts";
import { PlainLink, PlainTag } from "~/components/plain";

const PHASE = {
  upcoming: { label: "即将开始", color: "blue" },
  ongoing: { label: "进行中", color: "green" },
  ended: { label: "已结束", color: "default" },
} as const;

/** Activities as a plain list of cards: light on a phone, readable without scripts. */
export function ActivityList(props: {
  items: ActivityListItem[];
  label: string;
  showReport?: boolean;
  action?: (item: ActivityListItem) => ReactNode;
  /** The level of each activity's heading: 2 right under the page title, 3 inside a section. */
  headingLevel?: 2 | 3;
}) {
  const Heading = props.headingLevel === 3 ? "h3" : "h2";
  return (
    <ul aria-label={props.label} className="kepu-card-list">
      {props.items.map((a) => (
        <li key={a.id} className="kepu-list-card">
          <div style={{ display: "flex", gap: 8, justifyContent: "space-between", flexWrap: "wrap" }}>
            <Heading className="kepu-list-card-title">
              <PlainLink to={`/activities/${a.id}`}>{a.name}</PlainLink>
            </Heading>
            {props.action?.(a)}
          </div>
          <div style={{ marginBottom: 4 }}>
            <PlainTag color={PHASE[a.phase].color}>{PHASE[a.phase].label}</PlainTag>
            <PlainTag>{ACTIVITY_TYPE_LABELS[a.type]}</PlainTag>
            <PlainTag>{ACTIVITY_FORM_LABELS[a.form]}</PlainTag>
            <PlainTag color={a.fee === "free" ? "green" : undefined}>{FEE_LABELS[a.fee]}</PlainTag>
            <PlainTag>{DIRECTION_LABELS[a.direction]}</PlainTag>
            {props.showReport && a.reportStatus && a.phase === "ended" && (
              <PlainTag color={REPORT_STATUS_COLORS[a.reportStatus]}>
                {REPORT_STATUS_LABELS[a.reportStatus]}
              </PlainTag>
            )}
          </div>
          <div className="kepu-muted">时间：{a.when}</div>
          {a.place && <div className="kepu-muted">地点：{a.place}</div>}
          {a.baseName && a.baseId && (
            <div className="kepu-muted kepu-small">
              <PlainLink to={`/bases/${a.baseId}`}>{a.baseName}</PlainLink>
            </div>
          )}
        </li>
      ))}
    </ul>
  );
}
