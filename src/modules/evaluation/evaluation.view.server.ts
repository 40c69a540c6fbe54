import { AUTO_KEY_LABELS, autoPoints, type RubricDimension } from "./evaluation.rules.ts";
import type { EntryView } from "./evaluation-entries.server.ts";

/** The rows of the figures table of an entry, for the pages (plain data, no functions). */
export function figureRows(rubric: RubricDimension[], view: Pick<EntryView, "figures" | "self">) {
  return rubric.flatMap((d) =>
    d.indicators.map((i) => {
      const f = i.autoKey ? view.figures[i.autoKey] : undefined;
      const label = i.autoKey ? AUTO_KEY_LABELS[i.autoKey] : null;
      const value = f
        ? i.autoKey === "volunteer_team"
          ? f.value
            ? "已注册"
            : "未注册"
          : `${f.value}${label?.unit ?? ""}`
        : "";
      return {
        key: i.key,
        dimension: d.name,
        name: i.name,
        basis: i.basis,
        max: i.max,
        source: i.source,
        figure:
          i.source === "auto"
            ? `${label?.name ?? ""}：${value}${f?.of !== undefined ? `（共${f.of}场）` : ""}`
            : undefined,
        points: i.source === "auto" ? autoPoints(i, f) : undefined,
        evidenceKey: i.autoKey,
        selfScore: view.self[i.key]?.score ?? null,
        selfText: view.self[i.key]?.text ?? "",
      };
    }),
  );
}
