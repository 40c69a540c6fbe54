import { Tag } from "antd";
import { STATUS_LABELS } from "#src/modules/applications/applications.rules.ts";
import type { ApplicationStatus } from "#src/platform/db/schema.ts";

const COLORS: Partial<Record<ApplicationStatus, string>> = {
  draft: "default",
  returned: "orange",
  not_recommended: "red",
  rejected: "red",
  withdrawn: "default",
  proposed: "green",
  public_notice: "cyan",
  recognized: "green",
};

export function StatusTag({ status }: { status: ApplicationStatus }) {
  return <Tag color={COLORS[status] ?? "blue"}>{STATUS_LABELS[status]}</Tag>;
}
