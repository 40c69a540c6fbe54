import {
  getCertificateBase,
  publicBaseUrl,
  renderCertificatePdf,
} from "#src/modules/bases/base-certificate.server.ts";
import { actorOf, orFail } from "~/lib/route.server";
import type { Route } from "./+types/base-certificate";

/** Certificate and plaque PDF: the base's own org and staff in scope; anyone else gets 404. */
export async function loader({ params, context }: Route.LoaderArgs) {
  if (context.user?.mustChangePassword) throw new Response("未找到", { status: 404 });
  const base = await orFail(getCertificateBase(context.app, actorOf(context), params.id));
  const pdf = await renderCertificatePdf(base, publicBaseUrl(context.app.config, base.id));
  const filename = `${base.name}-证书与牌匾.pdf`;
  return new Response(new Uint8Array(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `inline; filename="certificate.pdf"; filename*=UTF-8''${encodeURIComponent(filename)}`,
      "Content-Length": String(pdf.length),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
