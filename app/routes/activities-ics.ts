import { activitiesIcs } from "#src/modules/activities/activities-ics.server.ts";
import { orFail } from "~/lib/route.server";
import type { Route } from "./+types/activities-ics";

/** ICS feed of every base's activities, or of one base's (/bases/:id/activities.ics). */
export async function loader({ params, context }: Route.LoaderArgs) {
  const { body } = await orFail(
    activitiesIcs(context.app, { baseId: params.id, publicUrl: context.app.config.publicUrl }),
  );
  return new Response(body, {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": `inline; filename="${params.id ? `base-${params.id}` : "activities"}.ics"`,
      "Cache-Control": "public, max-age=300",
    },
  });
}
