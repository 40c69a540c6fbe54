import { prepareSchoolStatsXlsx, type StatsBy } from "#src/modules/schools/school-stats.server.ts";
import { streamedDownload } from "~/lib/download.server";
import { actorOf, orFail, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/admin-school-stats-export";

const BY: StatsBy[] = ["county", "base", "school"];

/** The statistics table of /admin/school-stats as XLSX (?by=county|base|school); audited. */
export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "school-stats:read");
  const by = BY.find((b) => b === new URL(request.url).searchParams.get("by")) ?? "county";
  const write = await orFail(prepareSchoolStatsXlsx(context.app, actorOf(context), by));
  return streamedDownload(write, {
    kind: "xlsx",
    asciiName: "school-services-stats",
    name: "科普助力双减统计",
  });
}
