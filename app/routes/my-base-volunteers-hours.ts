import { prepareOwnHoursXlsx } from "#src/modules/volunteers/volunteers-export.server.ts";
import { streamedDownload } from "~/lib/download.server";
import { toMyBaseWhenMissing } from "~/lib/own-base.server";
import { actorOf, orFail, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/my-base-volunteers-hours";

/** XLSX streamed as it is written; the download is audited before the first byte. */
export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "bases:own");
  const write = await orFail(
    prepareOwnHoursXlsx(context.app, actorOf(context), yearOf(request)).catch(toMyBaseWhenMissing),
  );
  return streamedDownload(write, { kind: "xlsx", asciiName: "volunteers-hours", name: "志愿服务时长" });
}

function yearOf(request: Request) {
  const y = Number(new URL(request.url).searchParams.get("year"));
  return Number.isInteger(y) && y >= 2000 && y <= 2100 ? { year: y } : {};
}
