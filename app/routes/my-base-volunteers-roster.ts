import { prepareOwnRosterXlsx } from "#src/modules/volunteers/volunteers-export.server.ts";
import { streamedDownload } from "~/lib/download.server";
import { toMyBaseWhenMissing } from "~/lib/own-base.server";
import { actorOf, orFail, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/my-base-volunteers-roster";

/** XLSX streamed as it is written; the download is audited before the first byte. */
export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "bases:own");
  const write = await orFail(prepareOwnRosterXlsx(context.app, actorOf(context)).catch(toMyBaseWhenMissing));
  return streamedDownload(write, { kind: "xlsx", asciiName: "volunteers-roster", name: "志愿者名册" });
}
