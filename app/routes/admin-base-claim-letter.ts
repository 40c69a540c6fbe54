import { renderClaimLetterPdf } from "#src/modules/verification/claim-letter.server.ts";
import { claimLetterFor } from "#src/modules/verification/verification.server.ts";
import { actorOf, orFail, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/admin-base-claim-letter";

/** 认领函 PDF for a code just issued: posted with the code (never stored), by staff in scope. */
export async function action({ request, params, context }: Route.ActionArgs) {
  await requireUser(context, request, "bases:claim_codes");
  const fd = await request.formData();
  const letter = await orFail(
    claimLetterFor(context.app, actorOf(context), params.id, String(fd.get("code") ?? "")),
  );
  const pdf = await renderClaimLetterPdf(letter, context.app.config.publicUrl);
  const filename = `${letter.baseName}-账号认领函.pdf`;
  return new Response(new Uint8Array(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="claim-letter.pdf"; filename*=UTF-8''${encodeURIComponent(filename)}`,
      "Content-Length": String(pdf.length),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
