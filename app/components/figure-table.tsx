/**
 * A plain figures table (statistics beside their charts): native markup costs the server a fraction
 * of antd's Table, and the statistics page renders several (ADR 0010).
 */
export function FigureTable<R>(props: {
  caption: string;
  rows: R[];
  columns: { title: string; value: (r: R) => string | number; numeric?: boolean }[];
  rowKey: (r: R) => string;
  empty?: string;
}) {
  const cell = { padding: "4px 8px", borderBottom: "1px solid #f0f0f0" } as const;
  return (
    <div style={{ overflowX: "auto" }}>
      <table style={{ width: "100%", borderCollapse: "collapse", fontSize: 13 }}>
        <caption className="sr-only">{props.caption}</caption>
        <thead>
          <tr style={{ background: "#fafafa" }}>
            {props.columns.map((c) => (
              <th
                key={c.title}
                scope="col"
                style={{ ...cell, textAlign: c.numeric ? "right" : "left", fontWeight: 600 }}
              >
                {c.title}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.length === 0 ? (
            <tr>
              <td colSpan={props.columns.length} style={{ ...cell, color: "rgba(0,0,0,0.45)" }}>
                {props.empty ?? "暂无数据"}
              </td>
            </tr>
          ) : (
            props.rows.map((r) => (
              <tr key={props.rowKey(r)}>
                {props.columns.map((c) => (
                  <td key={c.title} style={{ ...cell, textAlign: c.numeric ? "right" : "left" }}>
                    {c.value(r)}
                  </td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
