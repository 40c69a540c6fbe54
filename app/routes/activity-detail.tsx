import { Descriptions, Image, Tag, Typography } from "antd";
import { Link } from "react-router";
import {
  ACTIVITY_FORM_LABELS,
  ACTIVITY_TYPE_LABELS,
  activityPhase,
  DIRECTION_LABELS,
  FEE_LABELS,
  PHASE_LABELS,
} from "#src/modules/activities/activities.rules.ts";
import { getPublicActivity } from "#src/modules/activities/activities.server.ts";
import { formatSpan } from "#src/modules/activities/activities.view.server.ts";
import { maskPhone } from "#src/modules/bases/bases.rules.ts";
import { listFiles } from "#src/modules/files/files.server.ts";
import { anonymous } from "#src/platform/context.ts";
import { PageTitle, SectionTitle } from "~/components/plain";
import { orFail } from "~/lib/route.server";
import type { Route } from "./+types/activity-detail";

export const meta: Route.MetaFunction = ({ data }) => [
  { title: `${data?.activity.name ?? "活动"} - 科普基地服务平台` },
  ...(data
    ? [
        {
          name: "description",
          content: `${data.activity.baseName}：${data.activity.name}，${data.activity.when}`,
        },
      ]
    : []),
];

/** The public page of one activity; its 活动小结 shows once the city has accepted it. */
export async function loader({ params, context }: Route.LoaderArgs) {
  const p = await orFail(getPublicActivity(context.app, params.id));
  const a = p.activity;
  // Rendered as for anyone, so the page is the same for every visitor (and cacheable).
  const visitor = anonymous();
  const cover = await listFiles(context.app, visitor, "activity_cover", a.id).catch(() => []);
  const media = p.reportPublic ? await listFiles(context.app, visitor, "activity", a.id) : [];
  return {
    activity: {
      id: a.id,
      name: a.name,
      baseId: a.base_id,
      baseName: p.baseName,
      when: formatSpan(a.starts_at, a.ends_at),
      phase: activityPhase(a.starts_at, a.ends_at, context.app.clock.now()),
      type: ACTIVITY_TYPE_LABELS[a.type],
      form: ACTIVITY_FORM_LABELS[a.form],
      fee: FEE_LABELS[a.fee],
      direction: DIRECTION_LABELS[a.direction],
      place: a.place,
      link: a.link,
      audience: a.audience,
      expected: a.expected_participants,
      contact: a.contact_name ? `${a.contact_name} ${maskPhone(a.contact_phone)}` : "",
      description: a.description,
    },
    campaigns: p.campaigns.map((c) => c.title),
    cover: cover.map((f) => ({ id: f.id, url: f.url, thumbUrl: f.thumbUrl })),
    report: p.reportPublic
      ? {
          participants: a.actual_participants,
          summary: a.report_summary,
          links: JSON.parse(a.report_links) as string[],
          photos: media
            .filter((f) => f.kind === "image")
            .map((f) => ({ id: f.id, url: f.url, thumbUrl: f.thumbUrl })),
          videos: media
            .filter((f) => f.kind === "video")
            .map((f) => ({ id: f.id, url: f.url, name: f.name })),
        }
      : null,
  };
}

export default function ActivityDetail({ loaderData }: Route.ComponentProps) {
  const { activity: a, campaigns, cover, report } = loaderData;
  const items = [
    { key: "when", label: "活动时间", children: a.when },
    { key: "type", label: "活动类型", children: a.type },
    { key: "form", label: "活动形式", children: a.form },
    ...(a.place ? [{ key: "place", label: "活动地点", children: a.place }] : []),
    ...(a.link
      ? [
          {
            key: "link",
            label: "线上链接",
            children: (
              <a href={a.link} rel="noreferrer nofollow" target="_blank">
                {a.link}
              </a>
            ),
          },
        ]
      : []),
    { key: "audience", label: "面向对象", children: a.audience },
    ...(a.expected ? [{ key: "expected", label: "预计参与人数", children: `${a.expected} 人` }] : []),
    { key: "fee", label: "收费方式", children: a.fee },
    { key: "direction", label: "服务方式", children: a.direction },
    ...(campaigns.length ? [{ key: "campaigns", label: "主题活动", children: campaigns.join("、") }] : []),
    ...(a.contact ? [{ key: "contact", label: "联系人", children: a.contact }] : []),
  ];
  return (
    <article style={{ overflowWrap: "anywhere" }}>
      <PageTitle style={{ marginBottom: 4 }}>{a.name}</PageTitle>
      <p style={{ margin: "0 0 16px" }}>
        <Tag color={a.phase === "ended" ? "default" : a.phase === "ongoing" ? "green" : "blue"}>
          {PHASE_LABELS[a.phase]}
        </Tag>
        <Link to={`/bases/${a.baseId}`}>{a.baseName}</Link>
        {" · "}
        <Link to={`/bases/${a.baseId}/activities`}>活动列表</Link>
      </p>
      {cover[0] && (
        <Image
          width={320}
          src={`${cover[0].thumbUrl ?? cover[0].url}?inline=1`}
          preview={{ src: `${cover[0].url}?inline=1` }}
          alt={`${a.name}封面`}
        />
      )}
      <Descriptions
        column={{ xs: 1, md: 2 }}
        bordered
        size="small"
        items={items}
        style={{ margin: "16px 0" }}
      />
      <SectionTitle>活动简介</SectionTitle>
      <Typography.Paragraph style={{ whiteSpace: "pre-wrap" }}>{a.description}</Typography.Paragraph>
      {report && (
        <section aria-labelledby="report-h">
          <SectionTitle id="report-h">活动小结</SectionTitle>
          <p>活动参与人数：{report.participants ?? 0} 人</p>
          <Typography.Paragraph style={{ whiteSpace: "pre-wrap" }}>{report.summary}</Typography.Paragraph>
          {report.links.length > 0 && (
            <ul>
              {report.links.map((l) => (
                <li key={l}>
                  <a href={l} rel="noreferrer nofollow" target="_blank">
                    {l}
                  </a>
                </li>
              ))}
            </ul>
          )}
          <div style={{ display: "flex", flexWrap: "wrap", gap: 8 }}>
            {report.photos.map((p, i) => (
              <Image
                key={p.id}
                width={160}
                src={`${p.thumbUrl ?? p.url}?inline=1`}
                preview={{ src: `${p.url}?inline=1` }}
                alt={`活动图片${i + 1}`}
              />
            ))}
          </div>
          {report.videos.map((v) => (
            // biome-ignore lint/a11y/useMediaCaption: activity footage has no caption track
            <video
              key={v.id}
              src={`${v.url}?inline=1`}
              controls
              preload="none"
              style={{ maxWidth: "100%", marginTop: 8 }}
            />
          ))}
        </section>
      )}
      <p style={{ marginTop: 16 }}>
        <Link to="/activities">返回基地活动</Link>
      </p>
    </article>
  );
}
