import { certificateData } from "#src/modules/volunteers/volunteers.server.ts";
import { renderServiceCertificatePdf } from "#src/modules/volunteers/volunteers-certificate.server.ts";
import { actorOf, orFail, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/my-base-volunteer-certificate";

/** 志愿服务证明 for one volunteer and one year (?year=, default this year); the base's own volunteers only. */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  await requireUser(context, request, "bases:own");
  const now = context.app.clock.now();
  const thisYear = new Date(now.getTime() + 8 * 3600_000).getUTCFullYear();
  const asked = Number(new URL(request.url).searchParams.get("year"));
  const year = Number.isInteger(asked) && asked >= 2000 && asked <= thisYear ? asked : thisYear;
  const d = await orFail(certificateData(context.app, actorOf(context), params.id, year));
  const pdf = await renderServiceCertificatePdf({
    volunteerName: d.volunteer.name,
    stvsNo: d.volunteer.stvs_no,
    teamName: d.team?.name ?? "",
    stvsOrgNo: d.team?.stvs_org_no ?? "",
    baseName: d.base.name,
    year,
    minutes: d.minutes,
    services: d.services.map((s) => ({
      activityName: s.activity_name,
      serviceDate: s.service_date,
      minutes: s.minutes,
    })),
    issuedAt: now,
  });
  return new Response(new Uint8Array(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `inline; filename="service-certificate-${year}.pdf"; filename*=UTF-8''${encodeURIComponent(`志愿服务证明-${year}.pdf`)}`,
      "Content-Length": String(pdf.length),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
