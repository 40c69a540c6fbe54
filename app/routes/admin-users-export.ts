import { prepareUsersXlsx, userFilterOf } from "#src/modules/accounts/users-export.server.ts";
import { streamedDownload } from "~/lib/download.server";
import { actorOf, orFail, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/admin-users-export";

/** XLSX of the accounts the list shows (same scope and filters, all pages), streamed as it is written. */
export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "users:read");
  const filter = userFilterOf(new URL(request.url).searchParams);
  const write = await orFail(prepareUsersXlsx(context.app, actorOf(context), filter));
  return streamedDownload(write, { kind: "xlsx", asciiName: "users", name: "用户" });
}
