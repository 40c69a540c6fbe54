import { prepareEvaluationReportPdf } from "#src/modules/evaluation/evaluation-report.server.ts";
import { pdfResponse } from "~/lib/pdf-response.server";
import { actorOf, orFail, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/evaluation-report-pdf";

/** 评价报告 of one base in one round (who may fetch it: the use case; anyone else a 404). */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  await requireUser(context, request);
  const { pdf, name } = await orFail(prepareEvaluationReportPdf(context.app, actorOf(context), params.id));
  return pdfResponse(pdf, name, "inline");
}
