import QRCode from "qrcode";
import { publicBaseUrl } from "#src/modules/bases/base-certificate.server.ts";
import type { Route } from "./+types/base-qr";

/** The QR code of a base's public page (KEPU_PUBLIC_URL), as SVG. Ids only: no lookup needed. */
export async function loader({ params, context }: Route.LoaderArgs) {
  if (!/^[0-9A-Za-z-]{1,64}$/.test(params.id)) throw new Response("未找到", { status: 404 });
  const svg = await QRCode.toString(publicBaseUrl(context.app.config, params.id), {
    type: "svg",
    errorCorrectionLevel: "M",
    margin: 2,
  });
  return new Response(svg, {
    headers: {
      "Content-Type": "image/svg+xml; charset=utf-8",
      "Cache-Control": "public, max-age=86400",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
