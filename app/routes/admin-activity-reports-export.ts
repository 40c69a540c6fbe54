import {
  prepareActivityReportsXlsx,
  reportTabOf,
} from "#src/modules/activities/activity-reports-export.server.ts";
import { streamedDownload } from "~/lib/download.server";
import { actorOf, orFail, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/admin-activity-reports-export";

/** XLSX of the activity reports of the list's tab, in the user's region, streamed. */
export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "activities:review");
  const status = reportTabOf(new URL(request.url).searchParams);
  const write = await orFail(prepareActivityReportsXlsx(context.app, actorOf(context), status));
  return streamedDownload(write, { kind: "xlsx", asciiName: "activity-reports", name: "活动小结" });
}
