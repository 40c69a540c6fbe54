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
  return (
    <div className="kepu-figure-table">
      <table>
        <caption className="sr-only">{props.caption}</caption>
        <thead>
          <tr>
            {props.columns.map((c) => (
              <th key={c.title} scope="col" className={c.numeric ? "kepu-numeric" : undefined}>
                {c.title}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.length === 0 ? (
            <tr>
              <td colSpan={props.columns.length} className="kepu-muted">
                {props.empty ?? "暂无数据"}
              </td>
            </tr>
          ) : (
            props.rows.map((r) => (
              <tr key={props.rowKey(r)}>
                {props.columns.map((c) => (
                  <td key={c.title} className={c.numeric ? "kepu-numeric" : undefined}>
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
