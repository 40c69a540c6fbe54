import { Timeline, Typography } from "antd";
import { Link } from "react-router";

export interface WarningEventItem {
  id: string;
  label: string;
  at: string;
  who: string;
  note: string;
  /** The warning the step belongs to (on a base's page, which lists the steps of all its warnings). */
  href?: string;
}

/** The steps of 动态管理 (警示, 整改, 复查 …) in order, each with who, when and its note. */
export function WarningTimeline(props: { events: WarningEventItem[]; empty?: string }) {
  if (props.events.length === 0)
    return <Typography.Text type="secondary">{props.empty ?? "暂无记录"}</Typography.Text>;
  return (
    <Timeline
      items={props.events.map((e) => ({
        key: e.id,
        content: (
          <>
            <div>
              <strong>{e.href ? <Link to={e.href}>{e.label}</Link> : e.label}</strong>
              {e.who ? ` · ${e.who}` : ""} · {e.at}
            </div>
            {e.note && <div style={{ whiteSpace: "pre-wrap" }}>{e.note}</div>}
          </>
        ),
      }))}
    />
  );
}
