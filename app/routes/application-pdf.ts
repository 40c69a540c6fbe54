import { renderApplicationFormPdf } from "#src/modules/applications/application-export.server.ts";
import { actorOf, orFail, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/application-pdf";

/** The printable 申报表 (附件2 layout) for those who may see the application. */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  await requireUser(context, request);
  const { pdf, contentDisposition } = await orFail(
    renderApplicationFormPdf(context.app, actorOf(context), params.id),
  );
  return new Response(new Uint8Array(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": contentDisposition,
      "Content-Length": String(pdf.length),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
