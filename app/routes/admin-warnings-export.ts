import { warningFilterOf } from "#src/modules/dynamic-management/dynamic-management.schema.ts";
import { prepareWarningsXlsx } from "#src/modules/dynamic-management/dynamic-management-export.server.ts";
import { streamedDownload } from "~/lib/download.server";
import { actorOf, orFail, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/admin-warnings-export";

/** XLSX of the warnings 动态管理 lists (same scope and filters, all pages), streamed. */
export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "warnings:read");
  const { page: _page, ...filter } = warningFilterOf(new URL(request.url).searchParams);
  const write = await orFail(prepareWarningsXlsx(context.app, actorOf(context), filter));
  return streamedDownload(write, { kind: "xlsx", asciiName: "warnings", name: "动态管理" });
}
