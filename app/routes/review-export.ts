import { PassThrough } from "node:stream";
import { createReadableStreamFromReadable } from "@react-router/node";
import { prepareApplicationsXlsx } from "#src/modules/applications/application-export.server.ts";
import { logger } from "#src/platform/logger.ts";
import { actorOf, orFail, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/review-export";

/** XLSX of a call's applications in the user's scope, streamed as it is written. */
export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "applications:review");
  const callId = new URL(request.url).searchParams.get("call") ?? "";
  const write = await orFail(prepareApplicationsXlsx(context.app, actorOf(context), callId));
  const body = new PassThrough();
  // A client that goes away closes `body`; its error must not go uncaught (see download.server.ts).
  body.on("error", () => {});
  write(body).catch((err) => {
    logger.error({ err }, "xlsx export failed");
    if (!body.destroyed) body.destroy(err);
  });
  const date = new Date().toISOString().slice(0, 10);
  return new Response(createReadableStreamFromReadable(body), {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": `attachment; filename="applications-${date}.xlsx"; filename*=UTF-8''${encodeURIComponent(`申报汇总-${date}.xlsx`)}`,
      "Cache-Control": "private, no-store",
    },
  });
}
