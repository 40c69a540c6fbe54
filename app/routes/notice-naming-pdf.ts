import { renderNamingDocumentPdf } from "#src/modules/bases/base-certificate.server.ts";
import { issuanceOfCall } from "#src/modules/calls/calls.server.ts";
import { contentDisposition } from "#src/modules/files/files.rules.ts";
import { getPublicNotice } from "#src/modules/notices/notices.server.ts";
import { regionName } from "#src/modules/regions/regions.server.ts";
import { CATEGORIES } from "#src/platform/db/reference-data.ts";
import { orFail } from "~/lib/route.server";
import type { Route } from "./+types/notice-naming-pdf";

/** 命名文件: the public naming announcement of a batch, as a PDF. */
export async function loader({ params, context }: Route.LoaderArgs) {
  const v = await orFail(getPublicNotice(context.app, params.id));
  if (v.notice.kind !== "naming") throw new Response("未找到", { status: 404 });
  const issuance = await issuanceOfCall(context.app, v.notice.call_id);
  const pdf = await renderNamingDocumentPdf({
    title: v.notice.title,
    issuers: issuance.issuers,
    documentNo: issuance.documentNo,
    date: v.notice.starts_at,
    body: v.notice.body,
    bases: await Promise.all(
      v.entries.map(async (e) => ({
        name: e.base_name,
        unitName: e.unit_name,
        regionName: await regionName(context.app, e.region_code),
        categoryName: CATEGORIES.find((c) => c.code === e.category_code)?.name,
      })),
    ),
  });
  return new Response(new Uint8Array(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": contentDisposition(`${v.notice.title}.pdf`, "inline"),
      "Content-Length": String(pdf.length),
      "X-Content-Type-Options": "nosniff",
    },
  });
}
