import { prepareApplicationsXlsx } from "#src/modules/applications/application-export.server.ts";
import { streamedDownload } from "~/lib/download.server";
import { actorOf, orFail, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/review-export";

/** XLSX of a call's applications in the user's scope, streamed as it is written. */
export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "applications:review");
  const callId = new URL(request.url).searchParams.get("call") ?? "";
  const write = await orFail(prepareApplicationsXlsx(context.app, actorOf(context), callId));
  return streamedDownload(write, { kind: "xlsx", asciiName: "applications", name: "申报汇总" });
}
