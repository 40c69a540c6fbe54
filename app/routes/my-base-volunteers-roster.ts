import { PassThrough } from "node:stream";
import { createReadableStreamFromReadable } from "@react-router/node";
import { prepareOwnRosterXlsx } from "#src/modules/volunteers/volunteers-export.server.ts";
import { logger } from "#src/platform/logger.ts";
import { toMyBaseWhenMissing } from "~/lib/own-base.server";
import { actorOf, orFail, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/my-base-volunteers-roster";

/** XLSX streamed as it is written; the download is audited before the first byte. */
export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "bases:own");
  const write = await orFail(prepareOwnRosterXlsx(context.app, actorOf(context)).catch(toMyBaseWhenMissing));
  const body = new PassThrough();
  // A client that goes away closes `body`; its error must not go uncaught (see download.server.ts).
  body.on("error", () => {});
  write(body).catch((err) => {
    logger.error({ err }, "volunteer xlsx export failed");
    if (!body.destroyed) body.destroy(err);
  });
  const date = new Date().toISOString().slice(0, 10);
  return new Response(createReadableStreamFromReadable(body), {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": `attachment; filename="volunteers-roster-${date}.xlsx"; filename*=UTF-8''${encodeURIComponent(`志愿者名册-${date}.xlsx`)}`,
      "Cache-Control": "private, no-store",
    },
  });
}
