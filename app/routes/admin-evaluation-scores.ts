import { prepareScoresXlsx } from "#src/modules/evaluation/evaluation-scoring.server.ts";
import { streamedDownload } from "~/lib/download.server";
import { actorOf, orFail, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/admin-evaluation-scores";

/** Every score of the round in the actor's scope, indicator by indicator; audited. */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  await requireUser(context, request, "evaluation:read");
  const { round, write } = await orFail(prepareScoresXlsx(context.app, actorOf(context), params.id));
  return streamedDownload(write, {
    kind: "xlsx",
    asciiName: `evaluation-scores-${round.year}`,
    name: `${round.year}年度评价评分`,
  });
}
