import { prepareNoticesXlsx } from "#src/modules/notices/notices-export.server.ts";
import { streamedDownload } from "~/lib/download.server";
import { actorOf, orFail, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/admin-notices-export";

/** XLSX of the notices the list shows, streamed. */
export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "notices:manage");
  const write = await orFail(prepareNoticesXlsx(context.app, actorOf(context)));
  return streamedDownload(write, { kind: "xlsx", asciiName: "notices", name: "公示" });
}
