import { Tag } from "antd";

const PHASE_COLORS: Record<string, string> = {
  upcoming: "default",
  open: "green",
  ended: "orange",
  named: "blue",
  announcement: "purple",
};

/** The state of a 公示 as the public sees it: 即将公示, 公示中, 公示期满, 已命名, 认定公告. */
export function NoticePhaseTag({ phase }: { phase: { code: string; label: string } }) {
  return <Tag color={PHASE_COLORS[phase.code]}>{phase.label}</Tag>;
}
