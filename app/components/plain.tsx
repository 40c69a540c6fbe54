import {
  type AnchorHTMLAttributes,
  type CSSProperties,
  type InputHTMLAttributes,
  type ReactNode,
  useEffect,
} from "react";
import { useLocation, useNavigate } from "react-router";
import { THEME_CLASS } from "~/components/theme";

/**
 * Display-only counterparts of antd's Tag, Table, Pagination, link-buttons and titles, for the
 * pages many people load: the review queue, the base directory, the activity calendar. They emit
 * antd's own class names, so antd's stylesheet draws them exactly as antd would, but they skip
 * antd's per-instance hooks (config, tokens, motion, measuring rows), which cost the server
 * 50–250 µs per tag or button and about 5 ms per 20-row table (ADR 0012). `plain.test.tsx`
 * checks the class names against antd's own markup, so an antd upgrade that renames them fails
 * the suite instead of the page's looks. Interactive controls (forms, selects, dropdowns,
 * sortable or selectable tables) stay antd.
 */

/**
 * A link to a page of the app, as a plain <a>: `useAppLinks` (mounted once, in the layout) turns a
 * plain left click on it into a client-side navigation, as React Router's Link does, without Link's
 * dozen hooks per instance (a list page has dozens of links). Works as a normal link before the
 * scripts load and for new tabs.
 */
export function PlainLink({
  to,
  ...rest
}: { to: string } & Omit<AnchorHTMLAttributes<HTMLAnchorElement>, "href">) {
  return <a href={to} data-app-link="" {...rest} />;
}

/** Client-side navigation for every PlainLink on the page (one document listener). */
export function useAppLinks(): void {
  const navigate = useNavigate();
  useEffect(() => {
    const onClick = (e: MouseEvent) => {
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      const a = (e.target as Element | null)?.closest?.("a[data-app-link]");
      if (
        !(a instanceof HTMLAnchorElement) ||
        (a.target && a.target !== "_self") ||
        a.hasAttribute("download")
      )
        return;
      const url = new URL(a.href);
      if (url.origin !== window.location.origin) return;
      e.preventDefault();
      navigate(url.pathname + url.search + url.hash);
    };
    document.addEventListener("click", onClick);
    return () => document.removeEventListener("click", onClick);
  }, [navigate]);
}

/** antd's preset tag colours (the ones this project uses). */
export type TagColor =
  | "default"
  | "blue"
  | "green"
  | "red"
  | "orange"
  | "gold"
  | "cyan"
  | "purple"
  | "geekblue"
  | "magenta"
  | "volcano"
  | "lime"
  | "success"
  | "processing"
  | "error"
  | "warning";

export function tagClass(color?: TagColor | null): string {
  return `ant-tag ant-tag-filled${color ? ` ant-tag-${color}` : ""} ${THEME_CLASS}`;
}

export function PlainTag(props: { color?: TagColor | null; children: ReactNode; style?: CSSProperties }) {
  return (
    <span className={tagClass(props.color)} style={props.style}>
      {props.children}
    </span>
  );
}

export function buttonClass(
  type: "default" | "primary" | "link" = "default",
  size?: "small" | "large",
  block?: boolean,
): string {
  const variant = type === "primary" ? "solid" : type === "link" ? "link" : "outlined";
  const sized = size === "small" ? " ant-btn-sm" : size === "large" ? " ant-btn-lg" : "";
  return `ant-btn ${THEME_CLASS} ant-btn-${type} ant-btn-color-${type} ant-btn-variant-${variant}${sized}${block ? " ant-btn-block" : ""}`;
}

/** A link that looks like antd's Button: navigation is a link, not a button inside a link. */
export function ButtonLink(props: {
  to: string;
  type?: "default" | "primary" | "link";
  size?: "small" | "large";
  /** As wide as its container (antd's `block`). */
  block?: boolean;
  style?: CSSProperties;
  /** A document the browser downloads or opens itself (an export, a PDF), not a page of the app. */
  reloadDocument?: boolean;
  /** With reloadDocument: open it in a new tab (a PDF). */
  newTab?: boolean;
  /** The accessible name, when the visible text is not enough (编辑 → 编辑：<activity>). */
  label?: string;
  children: ReactNode;
}) {
  const className = buttonClass(props.type, props.size, props.block);
  return props.reloadDocument ? (
    <a
      href={props.to}
      className={className}
      style={props.style}
      target={props.newTab ? "_blank" : undefined}
      rel={props.newTab ? "noreferrer" : undefined}
      aria-label={props.label}
    >
      <span>{props.children}</span>
    </a>
  ) : (
    <PlainLink to={props.to} className={className} style={props.style} aria-label={props.label}>
      <span>{props.children}</span>
    </PlainLink>
  );
}

/**
 * The page's one <h1> (WCAG 1.3.1, 2.4.6), drawn at antd's h3 size as the titles always were.
 * Sections below it use SectionTitle, so headings go in order: h1, then h2, then h3.
 */
export function PageTitle(props: { children: ReactNode; style?: CSSProperties; id?: string }) {
  return (
    <h1 id={props.id} className={`ant-typography ${THEME_CLASS} kepu-page-title`} style={props.style}>
      {props.children}
    </h1>
  );
}

/** A section's heading under the page title: h2 (antd's h4 size), or h3 inside a section (h5 size). */
export function SectionTitle(props: {
  level?: 2 | 3;
  children: ReactNode;
  style?: CSSProperties;
  id?: string;
}) {
  const level = props.level ?? 2;
  const H = `h${level}` as "h2";
  return (
    <H
      id={props.id}
      className={`ant-typography ${THEME_CLASS} kepu-section-title-${level}`}
      style={props.style}
    >
      {props.children}
    </H>
  );
}

/** antd's small Card with a title. */
export function PlainCard(props: { title?: ReactNode; children: ReactNode; style?: CSSProperties }) {
  return (
    <div className={`ant-card ant-card-bordered ant-card-small ${THEME_CLASS}`} style={props.style}>
      {props.title !== undefined && (
        <div className="ant-card-head">
          <div className="ant-card-head-wrapper">
            <div className="ant-card-head-title">{props.title}</div>
          </div>
        </div>
      )}
      <div className="ant-card-body">{props.children}</div>
    </div>
  );
}

/** antd's Statistic for a whole number, grouped by thousands as antd does. */
export function PlainStatistic(props: { title: ReactNode; value: number; suffix?: ReactNode }) {
  return (
    <div className={`ant-statistic ${THEME_CLASS}`}>
      <div className="ant-statistic-header">
        <div className="ant-statistic-title">{props.title}</div>
      </div>
      <div className="ant-statistic-content">
        <span className="ant-statistic-content-value">
          <span className="ant-statistic-content-value-int">
            {String(Math.trunc(props.value)).replace(/\B(?=(\d{3})+(?!\d))/g, ",")}
          </span>
        </span>
        {props.suffix !== undefined && <span className="ant-statistic-content-suffix">{props.suffix}</span>}
      </div>
    </div>
  );
}

/** antd Typography's paragraph (block) or text; `secondary` greys it. */
export function PlainText(props: {
  block?: boolean;
  secondary?: boolean;
  children: ReactNode;
  style?: CSSProperties;
  id?: string;
}) {
  const Tag = props.block ? "div" : "span";
  return (
    <Tag
      id={props.id}
      className={`ant-typography${props.secondary ? " ant-typography-secondary" : ""} ${THEME_CLASS}`}
      style={props.style}
    >
      {props.children}
    </Tag>
  );
}

/** antd's bordered, small Descriptions in one column: label beside value, on a phone as on a desk. */
export function PlainDescriptions(props: {
  items: readonly { key: string; label: ReactNode; children: ReactNode }[];
}) {
  return (
    <div className={`ant-descriptions ant-descriptions-small ant-descriptions-bordered ${THEME_CLASS}`}>
      <div className="ant-descriptions-view">
        <table>
          <tbody>
            {props.items.map((i) => (
              <tr key={i.key} className="ant-descriptions-row">
                <th colSpan={1} className="ant-descriptions-item-label">
                  <span>{i.label}</span>
                </th>
                <td colSpan={1} className="ant-descriptions-item-content">
                  <span>{i.children}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/**
 * antd's Input for a plain text or number field (no prefix, suffix, clear button or count): the
 * same element and classes, without the component's hooks. An error colours it through the field
 * around it (form-field.tsx, app.css).
 */
export function PlainInput(
  props: Omit<InputHTMLAttributes<HTMLInputElement>, "className" | "value"> & { id: string },
) {
  return (
    <input
      {...props}
      className={`ant-input${props.disabled ? " ant-input-disabled" : ""} ant-input-outlined ${THEME_CLASS} ant-input-css-var`}
    />
  );
}

export interface PlainColumn<T> {
  title: ReactNode;
  key: string;
  render: (row: T) => ReactNode;
  width?: number | string;
}

/** antd's Table markup for a read-only list; rows and columns as given, nothing measured. */
export function PlainTable<T>(props: {
  columns: readonly PlainColumn<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  emptyText: ReactNode;
  /** Minimum table width in px before it scrolls sideways (phones). */
  scrollX?: number;
  footer?: ReactNode;
}) {
  const empty = props.rows.length === 0;
  const tableClass = `ant-table ${THEME_CLASS} ant-table-css-var${empty ? " ant-table-empty" : ""}${props.scrollX ? " ant-table-scroll-horizontal" : ""}`;
  return (
    // kepu-stack: rows become cards below 576 px (app.css), each cell labelled by its column.
    <div className={`${THEME_CLASS} ant-table-css-var ant-table-wrapper kepu-stack`}>
      <div className={tableClass}>
        <div className="ant-table-container">
          <div
            className="ant-table-content"
            style={props.scrollX ? { overflowX: "auto", overflowY: "hidden" } : undefined}
          >
            <table
              style={
                props.scrollX
                  ? { width: props.scrollX, minWidth: "100%", tableLayout: "auto" }
                  : { tableLayout: "auto" }
              }
            >
              <thead className="ant-table-thead">
                <tr>
                  {props.columns.map((c) => (
                    <th
                      key={c.key}
                      className="ant-table-cell"
                      scope="col"
                      style={c.width ? { width: c.width } : undefined}
                    >
                      {c.title}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="ant-table-tbody">
                {empty ? (
                  <tr className="ant-table-placeholder">
                    <td className="ant-table-cell" colSpan={props.columns.length}>
                      {props.emptyText}
                    </td>
                  </tr>
                ) : (
                  props.rows.map((r) => {
                    const key = props.rowKey(r);
                    return (
                      <tr key={key} className="ant-table-row ant-table-row-level-0" data-row-key={key}>
                        {props.columns.map((c) => (
                          <td
                            key={c.key}
                            className="ant-table-cell"
                            data-label={typeof c.title === "string" ? c.title : undefined}
                          >
                            {c.render(r)}
                          </td>
                        ))}
                      </tr>
                    );
                  })
                )}
              </tbody>
            </table>
          </div>
        </div>
      </div>
      {props.footer}
    </div>
  );
}

/** The page numbers to show: first, last, and a window around the current one; 0 marks a gap. */
export function pageWindow(current: number, pages: number, around = 2): number[] {
  if (pages <= 1) return [1];
  const from = Math.max(2, current - around);
  const to = Math.min(pages - 1, current + around);
  const out = [1];
  if (from > 2) out.push(0);
  for (let p = from; p <= to; p++) out.push(p);
  if (to < pages - 1) out.push(0);
  out.push(pages);
  return out;
}

/** An antd icon's outline drawn as a plain SVG (no icon context); the path comes from @ant-design/icons-svg. */
export function PlainIcon({ d }: { d: string }) {
  return (
    <span role="img" aria-hidden="true" className="anticon">
      <svg
        viewBox="64 64 896 896"
        focusable="false"
        width="1em"
        height="1em"
        fill="currentColor"
        aria-hidden="true"
      >
        <path d={d} />
      </svg>
    </span>
  );
}

const LEFT_ICON =
  "M724 218.3V141c0-6.7-7.7-10.4-12.9-6.3L260.3 486.8a31.86 31.86 0 000 50.3l450.8 352.1c5.3 4.1 12.9.4 12.9-6.3v-77.3c0-4.9-2.3-9.6-6.1-12.6l-360-281 360-281.1c3.8-3 6.1-7.7 6.1-12.6z";
const RIGHT_ICON =
  "M765.7 486.8L314.9 134.7A7.97 7.97 0 00302 141v77.3c0 4.9 2.3 9.6 6.1 12.6l360 281.1-360 281.1c-3.9 3-6.1 7.7-6.1 12.6V883c0 6.7 7.7 10.4 12.9 6.3l450.8-352.1a31.96 31.96 0 000-50.4z";

/**
 * Page links kept in the URL (?page=N, the other parameters kept): they work before the scripts
 * load, and a reload or a shared link keeps the page. Looks like antd's Pagination.
 */
export function PagerLinks(props: {
  page: number;
  pageSize: number;
  total: number;
  /** The counting word: 共 N 条. */
  unit: string;
  /** `total` is a lower bound (a capped count): 共 N+ 条. */
  more?: boolean;
  /** Placed under a PlainTable (antd's table pagination margins). */
  inTable?: boolean;
  small?: boolean;
}) {
  const { pathname, search } = useLocation();
  const pages = Math.max(1, Math.ceil(props.total / props.pageSize));
  const current = Math.min(Math.max(1, props.page), pages);
  const href = (p: number) => {
    const next = new URLSearchParams(search);
    if (p === 1) next.delete("page");
    else next.set("page", String(p));
    const qs = next.toString();
    return qs ? `${pathname}?${qs}` : pathname;
  };
  const cls = `ant-pagination${props.small ? " ant-pagination-mini" : ""}${props.inTable ? " ant-table-pagination ant-table-pagination-end" : ""} ${THEME_CLASS}`;
  return (
    <nav aria-label="分页">
      <ul className={cls}>
        <li className="ant-pagination-total-text">{`共 ${props.total}${props.more ? "+" : ""} ${props.unit}`}</li>
        <li className={`ant-pagination-prev${current === 1 ? " ant-pagination-disabled" : ""}`}>
          {current === 1 ? (
            <span className="ant-pagination-item-link" aria-hidden="true">
              <PlainIcon d={LEFT_ICON} />
            </span>
          ) : (
            <PlainLink
              className="ant-pagination-item-link"
              to={href(current - 1)}
              aria-label="上一页"
              rel="prev"
            >
              <PlainIcon d={LEFT_ICON} />
            </PlainLink>
          )}
        </li>
        {pageWindow(current, pages).map((p, i) =>
          p === 0 ? (
            // biome-ignore lint/suspicious/noArrayIndexKey: a gap has no identity but its place
            <li key={`gap${i}`} className="ant-pagination-item kepu-pagination-gap" aria-hidden="true">
              …
            </li>
          ) : (
            <li
              key={p}
              className={`ant-pagination-item ant-pagination-item-${p}${p === current ? " ant-pagination-item-active" : ""}`}
            >
              <PlainLink
                to={href(p)}
                aria-current={p === current ? "page" : undefined}
                aria-label={`第 ${p} 页`}
              >
                {p}
              </PlainLink>
            </li>
          ),
        )}
        <li className={`ant-pagination-next${current === pages ? " ant-pagination-disabled" : ""}`}>
          {current === pages ? (
            <span className="ant-pagination-item-link" aria-hidden="true">
              <PlainIcon d={RIGHT_ICON} />
            </span>
          ) : (
            <PlainLink
              className="ant-pagination-item-link"
              to={href(current + 1)}
              aria-label="下一页"
              rel="next"
            >
              <PlainIcon d={RIGHT_ICON} />
            </PlainLink>
          )}
        </li>
      </ul>
    </nav>
  );
}
