import { prepareCampaignsXlsx } from "#src/modules/activities/campaigns-export.server.ts";
import { streamedDownload } from "~/lib/download.server";
import { actorOf, orFail, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/admin-campaigns-export";

/** XLSX of the campaigns the list shows, streamed. */
export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "campaigns:manage");
  const write = await orFail(prepareCampaignsXlsx(context.app, actorOf(context)));
  return streamedDownload(write, { kind: "xlsx", asciiName: "campaigns", name: "动员活动" });
}
