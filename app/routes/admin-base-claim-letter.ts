import { renderClaimLetterPdf } from "#src/modules/verification/claim-letter.server.ts";
import { claimLetterFor } from "#src/modules/verification/verification.server.ts";
import { pdfResponse } from "~/lib/pdf-response.server";
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
  return pdfResponse(
    pdf,
    { ascii: "claim-letter.pdf", chinese: `${letter.baseName}-账号认领函.pdf` },
    "attachment",
  );
}
