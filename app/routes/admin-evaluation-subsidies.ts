import { prepareSubsidyXlsx } from "#src/modules/evaluation/evaluation-scoring.server.ts";
import { streamedDownload } from "~/lib/download.server";
import { actorOf, orFail, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/admin-evaluation-subsidies";

/** 补助名单 for finance: the bases whose grade carries a subsidy, with the amount; audited. */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  await requireUser(context, request, "evaluation:manage");
  const { round, write } = await orFail(prepareSubsidyXlsx(context.app, actorOf(context), params.id));
  return streamedDownload(write, {
    kind: "xlsx",
    asciiName: `evaluation-subsidies-${round.year}`,
    name: `${round.year}年度基地补助名单`,
  });
}
