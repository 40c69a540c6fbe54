import { Input } from "antd";
import { useState } from "react";
import { endOfShanghaiDay, formatDeadline } from "#src/modules/calls/calls.rules.ts";

/** The moment a whole-day deadline ends, written out: "截止 2026年12月20日 24:00（北京时间）". */
export function deadlineText(day: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(day)
    ? formatDeadline(endOfShanghaiDay(day))
    : "截止到所选日期的 24:00（北京时间）";
}

/** A date field for a deadline, with the moment it ends shown beside it as it is chosen. */
export function DeadlineDateInput(props: { id: string; name: string; defaultValue?: string }) {
  const [day, setDay] = useState(props.defaultValue ?? "");
  return (
    <span>
      <Input
        id={props.id}
        name={props.name}
        type="date"
        style={{ width: 200 }}
        value={day}
        onChange={(e) => setDay(e.target.value)}
      />
      <span data-testid={`${props.id}-moment`} className="kepu-muted" style={{ marginLeft: 8 }}>
        {deadlineText(day)}
      </span>
    </span>
  );
}
