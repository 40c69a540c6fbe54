import { Link } from "react-router";
import { CALL_STATE_LABELS } from "#src/modules/calls/calls.rules.ts";
import { listCallNotices } from "#src/modules/calls/calls.server.ts";
import { formatShanghai } from "#src/platform/clock.ts";
import { PageTitle, PlainTag, PlainText, SectionTitle } from "~/components/plain";
import type { Route } from "./+types/announcements";

export const meta: Route.MetaFunction = () => [{ title: "通知公告 - 科普基地服务平台" }];

export async function loader({ context }: Route.LoaderArgs) {
  const notices = await listCallNotices(context.app);
  return {
    notices: notices.map((n) => ({
      ...n,
      stateLabel: CALL_STATE_LABELS[n.state],
      date: formatShanghai(n.opensAt).slice(0, 10),
    })),
  };
}

/**
 * 通知公告: the calls' notices with their documents to download, such as the call notice with
 * its 附件1–4. Not the 【公示栏】 (/notices), which the manual names for the lists under 公示.
 */
export default function Announcements({ loaderData }: Route.ComponentProps) {
  return (
    <>
      <PageTitle>通知公告</PageTitle>
      <PlainText block secondary style={{ marginBottom: 12 }}>
        申报通知及其附件（管理办法、申报表、操作手册等）下载。拟认定名单公示见
        <Link to="/notices">【公示栏】</Link>。
      </PlainText>
      {loaderData.notices.length === 0 ? (
        <PlainText block secondary>
          暂无通知。
        </PlainText>
      ) : (
        <ul className="kepu-article-list" aria-label="通知列表">
          {loaderData.notices.map((n) => (
            <li key={n.id}>
              <SectionTitle style={{ margin: "0 0 4px" }}>
                <Link to={`/projects/calls/${n.id}`}>{n.title}</Link>
              </SectionTitle>
              <div className="kepu-muted kepu-small">
                <PlainTag color={n.state === "open" ? "green" : null}>{n.stateLabel}</PlainTag>
                {n.kind} · <time dateTime={n.date}>{n.date}</time>
              </div>
              <SectionTitle level={3} style={{ margin: "8px 0 4px" }}>
                附件下载
              </SectionTitle>
              {n.documents.length > 0 ? (
                <ul>
                  {n.documents.map((d) => (
                    <li key={d.id}>
                      <a href={d.url} download>
                        {d.name}
                      </a>
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="kepu-muted kepu-small">该通知暂无附件。</p>
              )}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
