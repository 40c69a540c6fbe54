import { PassThrough } from "node:stream";
import { createReadableStreamFromReadable } from "@react-router/node";
import { baseFilterOf } from "#src/modules/bases/bases.view.server.ts";
import { prepareBasesXlsx } from "#src/modules/bases/bases-export.server.ts";
import { logger } from "#src/platform/logger.ts";
import { actorOf, orFail, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/admin-bases-export";

/** XLSX of the bases the list shows (same scope and filters), streamed as it is written. */
export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "bases:read");
  const filter = baseFilterOf(new URL(request.url).searchParams);
  const write = await orFail(prepareBasesXlsx(context.app, actorOf(context), filter));
  const body = new PassThrough();
  // A client that goes away closes `body`; its error must not go uncaught (see download.server.ts).
  body.on("error", () => {});
  write(body).catch((err) => {
    logger.error({ err }, "bases xlsx export failed");
    if (!body.destroyed) body.destroy(err);
  });
  const date = new Date().toISOString().slice(0, 10);
  return new Response(createReadableStreamFromReadable(body), {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": `attachment; filename="bases-${date}.xlsx"; filename*=UTF-8''${encodeURIComponent(`科普教育基地-${date}.xlsx`)}`,
      "Cache-Control": "private, no-store",
    },
  });
}
