import { baseFilterOf } from "#src/modules/bases/bases.view.server.ts";
import { prepareBasesXlsx } from "#src/modules/bases/bases-export.server.ts";
import { streamedDownload } from "~/lib/download.server";
import { actorOf, orFail, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/admin-bases-export";

/** XLSX of the bases the list shows (same scope and filters), streamed as it is written. */
export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "bases:read");
  const filter = baseFilterOf(new URL(request.url).searchParams);
  const write = await orFail(prepareBasesXlsx(context.app, actorOf(context), filter));
  return streamedDownload(write, { kind: "xlsx", asciiName: "bases", name: "科普教育基地" });
}
