import {
  getCertificateBase,
  publicBaseUrl,
  renderCertificatePdf,
} from "#src/modules/bases/base-certificate.server.ts";
import { pdfResponse } from "~/lib/pdf-response.server";
import { actorOf, orFail } from "~/lib/route.server";
import type { Route } from "./+types/base-certificate";

/** Certificate and plaque PDF: the base's own org and staff in scope; anyone else gets 404. */
export async function loader({ params, context }: Route.LoaderArgs) {
  if (context.user?.mustChangePassword) throw new Response("未找到", { status: 404 });
  const base = await orFail(getCertificateBase(context.app, actorOf(context), params.id));
  const pdf = await renderCertificatePdf(base, publicBaseUrl(context.app.config, base.id));
  return pdfResponse(pdf, { ascii: "certificate.pdf", chinese: `${base.name}-证书与牌匾.pdf` }, "inline");
}
