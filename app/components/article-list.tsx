import { Link } from "react-router";
import { PlainTag, PlainText, SectionTitle } from "~/components/plain";

export interface ArticleListItem {
  id: string;
  title: string;
  columnLabel: string;
  authorName: string;
  summary: string;
  /** YYYY-MM-DD, Asia/Shanghai. */
  date: string;
}

/** Published articles as a list of headings with their column, byline, date and first lines. */
export function ArticleList(props: {
  items: ArticleListItem[];
  label: string;
  headingLevel?: 2 | 3;
  /** Leave out the summary (a compact list on the home page). */
  compact?: boolean;
  empty?: string;
}) {
  if (props.items.length === 0)
    return (
      <PlainText block secondary style={{ marginBottom: "1em" }}>
        {props.empty ?? "暂无文章。"}
      </PlainText>
    );
  return (
    <ul aria-label={props.label} className="kepu-article-list">
      {props.items.map((a) => (
        <li key={a.id}>
          <SectionTitle level={props.headingLevel ?? 2} style={{ margin: "0 0 4px" }}>
            <Link to={`/articles/${a.id}`}>{a.title}</Link>
          </SectionTitle>
          <div className="kepu-muted kepu-small">
            <PlainTag color="blue">{a.columnLabel}</PlainTag>
            {a.authorName} · <time dateTime={a.date}>{a.date}</time>
          </div>
          {!props.compact && a.summary && <p style={{ margin: "4px 0 0" }}>{a.summary}</p>}
        </li>
      ))}
    </ul>
  );
}
