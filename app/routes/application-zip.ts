import { PassThrough } from "node:stream";
import { createReadableStreamFromReadable } from "@react-router/node";
import { writeAttachmentsZip } from "#src/modules/applications/application-export.server.ts";
import { actorOf, orFail, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/application-zip";

/** One application's attachments as a ZIP, for those who may see the application. */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  await requireUser(context, request);
  const body = new PassThrough();
  const { applicationNo } = await orFail(writeAttachmentsZip(context.app, actorOf(context), params.id, body));
  const name = `申报附件-${applicationNo ?? params.id}.zip`;
  return new Response(createReadableStreamFromReadable(body), {
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": `attachment; filename="attachments-${params.id}.zip"; filename*=UTF-8''${encodeURIComponent(name)}`,
      "Cache-Control": "private, no-store",
    },
  });
}
