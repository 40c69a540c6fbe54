import { changeFilterOf, prepareChangesXlsx } from "#src/modules/bases/changes-export.server.ts";
import { streamedDownload } from "~/lib/download.server";
import { actorOf, orFail, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/admin-changes-export";

/** XLSX of the change reports the list shows (same scope and filters, all pages), streamed. */
export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "bases:manage");
  const filter = changeFilterOf(new URL(request.url).searchParams);
  const write = await orFail(prepareChangesXlsx(context.app, actorOf(context), filter));
  return streamedDownload(write, { kind: "xlsx", asciiName: "change-reports", name: "变更申报" });
}
