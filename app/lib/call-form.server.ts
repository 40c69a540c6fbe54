import type { AppLoadContext } from "react-router";
import { fieldErrorsOf } from "#src/modules/accounts/accounts.schema.ts";
import { defaultIssuers } from "#src/modules/calls/calls.rules.ts";
import { callFormSchema, callFormValues } from "#src/modules/calls/calls.schema.ts";
import { listCounties, listRegions, regionSubtree } from "#src/modules/regions/regions.server.ts";
import { formatShanghai } from "#src/platform/clock.ts";
import type { SessionUser } from "#src/platform/context.ts";
import { CATEGORIES } from "#src/platform/db/reference-data.ts";

/** The choices the call form offers this user: regions in its scope, counties, categories. */
export async function callFormOptions(context: AppLoadContext, me: SessionUser) {
  const scope = await regionSubtree(context.app, me.regionCode);
  const regions = (await listRegions(context.app)).filter(
    (r) => scope.includes(r.code) && r.level !== "province",
  );
  const counties = await listCounties(context.app);
  const city = regions.find((r) => r.level === "city")?.name ?? "衢州市";
  return {
    defaultIssuers: { city: defaultIssuers("city", city), county: "所在县（市、区）科学技术协会" },
    regions: regions.map((r) => ({ value: r.code, label: r.name })),
    counties: counties.map((c) => ({ value: c.code, label: c.name })),
    categories: CATEGORIES.map((c) => ({ value: c.code, label: c.name })),
    levels: (me.role === "county" ? ["county"] : ["city", "county"]) as ("city" | "county")[],
  };
}

/** An instant as the datetime-local field wants it, in Asia/Shanghai. */
export const toShanghaiInput = (iso: string) => formatShanghai(iso).slice(0, 16).replace(" ", "T");

export async function parseCallForm(context: AppLoadContext, fd: FormData) {
  const counties = (await listCounties(context.app)).map((c) => c.code);
  const raw = callFormValues(fd, counties);
  const parsed = callFormSchema(counties).safeParse(raw);
  return parsed.success
    ? ({ ok: true, data: parsed.data } as const)
    : ({ ok: false, fieldErrors: fieldErrorsOf(parsed.error) } as const);
}
