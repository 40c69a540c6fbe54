import { PlainLink, PlainTable } from "./plain";

export interface FigureRow {
  key: string;
  dimension: string;
  name: string;
  basis: string;
  max: number;
  source: "auto" | "manual";
  /** Automatic: the figure and its unit, and the points it gives. */
  figure?: string;
  points?: number;
  evidenceKey?: string;
  /** Manual: the base's own score and text. */
  selfScore?: number | null;
  selfText?: string;
}

/**
 * The rubric of an entry: every automatic figure links to the records it counts. Display only, on
 * the pages evaluators open for every base: antd's table markup without the component (ADR 0012).
 */
export function EvaluationFigures(props: { entryId: string; rows: FigureRow[]; showSelf?: boolean }) {
  return (
    <PlainTable<FigureRow>
      rows={props.rows}
      rowKey={(r) => r.key}
      scrollX={640}
      emptyText="没有指标"
      columns={[
        { title: "维度", key: "dimension", width: 100, render: (r) => r.dimension },
        { title: "指标", key: "name", render: (r) => r.name },
        { title: "依据", key: "basis", width: 120, render: (r) => r.basis },
        { title: "满分", key: "max", width: 60, render: (r) => r.max },
        {
          title: "数据",
          key: "figure",
          render: (r) =>
            r.source === "auto" ? (
              <PlainLink to={`/evaluation/entries/${props.entryId}/evidence?key=${r.evidenceKey}`}>
                {r.figure}
              </PlainLink>
            ) : props.showSelf ? (
              <span>
                自评 {r.selfScore ?? "—"} 分{r.selfText ? `：${r.selfText}` : ""}
              </span>
            ) : (
              "人工评分"
            ),
        },
        {
          title: "得分",
          key: "points",
          width: 70,
          render: (r) => (r.source === "auto" ? r.points : "—"),
        },
      ]}
    />
  );
}

/** The self-assessment's evidence files, as download links. */
export function EvidenceFiles(props: { files: { id: string; name: string; url: string }[] }) {
  if (props.files.length === 0) return null;
  return (
    <p style={{ marginTop: 8 }}>
      佐证材料：
      {props.files.map((f) => (
        <a key={f.id} href={f.url} style={{ marginRight: 12 }}>
          {f.name}
        </a>
      ))}
    </p>
  );
}

/** 评价报告 (PDF) of one base in one round, opened in a new tab. */
export function EvaluationReportLink({ entryId, label }: { entryId: string; label?: string }) {
  return (
    <a href={`/evaluation/entries/${entryId}/report.pdf`} target="_blank" rel="noopener">
      {label ?? "评价报告（PDF）"}
    </a>
  );
}
