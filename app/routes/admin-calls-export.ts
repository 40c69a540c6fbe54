import { prepareCallsXlsx } from "#src/modules/calls/calls-export.server.ts";
import { streamedDownload } from "~/lib/download.server";
import { actorOf, orFail, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/admin-calls-export";

/** XLSX of the calls the list shows, streamed. */
export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "calls:manage");
  const write = await orFail(prepareCallsXlsx(context.app, actorOf(context)));
  return streamedDownload(write, { kind: "xlsx", asciiName: "calls", name: "申报项目" });
}
