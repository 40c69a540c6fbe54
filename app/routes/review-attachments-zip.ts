import { prepareBatchAttachmentsZip } from "#src/modules/applications/application-batch-zip.server.ts";
import { streamedDownload } from "~/lib/download.server";
import { actorOf, orFail, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/review-attachments-zip";

/** A call's attachments in the user's region as one ZIP, a folder per application, streamed. */
export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "applications:review");
  const callId = new URL(request.url).searchParams.get("call") ?? "";
  const { title, write } = await orFail(prepareBatchAttachmentsZip(context.app, actorOf(context), callId));
  return streamedDownload(write, { kind: "zip", asciiName: "attachments", name: `${title}-申报附件` });
}
