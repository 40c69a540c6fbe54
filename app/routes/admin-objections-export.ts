import { prepareObjectionsXlsx } from "#src/modules/notices/notices-export.server.ts";
import { streamedDownload } from "~/lib/download.server";
import { actorOf, orFail, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/admin-objections-export";

/** XLSX of every objection to the notices, streamed. */
export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "notices:manage");
  const write = await orFail(prepareObjectionsXlsx(context.app, actorOf(context)));
  return streamedDownload(write, { kind: "xlsx", asciiName: "objections", name: "公示异议" });
}
