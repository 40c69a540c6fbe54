import { STATUS_LABELS } from "#src/modules/applications/applications.rules.ts";
import type { ApplicationStatus } from "#src/platform/db/schema.ts";
import { PlainTag, type TagColor } from "~/components/plain";

const COLORS: Partial<Record<ApplicationStatus, TagColor>> = {
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
  return <PlainTag color={COLORS[status] ?? "blue"}>{STATUS_LABELS[status]}</PlainTag>;
}
