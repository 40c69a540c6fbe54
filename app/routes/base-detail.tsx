import { Alert, Image } from "antd";
import { Link } from "react-router";
import { listBaseActivities } from "#src/modules/activities/activities.server.ts";
import { listItemOf } from "#src/modules/activities/activities.view.server.ts";
import { latestArticles } from "#src/modules/articles/articles.server.ts";
import { canSeeCertificate } from "#src/modules/bases/base-certificate.server.ts";
import { revocationReasonLabel } from "#src/modules/bases/bases.rules.ts";
import { PUBLIC_STATUS_LABELS } from "#src/modules/bases/bases-directory.labels.ts";
import { getPublicBase } from "#src/modules/bases/bases-directory.server.ts";
import { publicTeamSummary } from "#src/modules/volunteers/volunteers.server.ts";
import { formatShanghai } from "#src/platform/clock.ts";
import { batchLabel } from "#src/platform/numbering.rules.ts";
import { ActivityList } from "~/components/activity-list";
import { ArticleList } from "~/components/article-list";
import {
  ButtonLink,
  PageTitle,
  PlainDescriptions,
  PlainTag,
  PlainText,
  SectionTitle,
} from "~/components/plain";
import { actorOf, orFail } from "~/lib/route.server";
import type { Route } from "./+types/base-detail";

export const meta: Route.MetaFunction = ({ data }) => [
  { title: `${data?.base.name ?? "科普基地"} - 科普基地服务平台` },
];

export async function loader({ params, context }: Route.LoaderArgs) {
  const result = await orFail(getPublicBase(context.app, params.id));
  // Only a signed-in viewer can be allowed; anonymous pages (cached) never carry the link.
  const certificate = context.user
    ? await canSeeCertificate(context.app, actorOf(context), params.id)
    : false;
  if (result.kind === "revoked") {
    const b = result.base;
    return {
      revoked: true as const,
      base: {
        id: b.id,
        name: b.name,
        revokedOn: b.revokedAt ? formatShanghai(b.revokedAt).slice(0, 10) : null,
        reasonNo: b.revocationReason,
        reason: revocationReasonLabel(b.revocationReason) || null,
      },
    };
  }
  const b = result.base;
  const now = context.app.clock.now();
  const recent = await listBaseActivities(context.app, b.id, { limit: 5 });
  // The team as the base keeps it (issue 18): name, registered or not, size; no personal data.
  const team = await publicTeamSummary(context.app, b.id);
  const articles = await latestArticles(context.app, { limit: 10, baseId: b.id });
  return {
    revoked: false as const,
    certificate,
    team,
    articles: articles.map((a) => ({
      id: a.id,
      title: a.title,
      columnLabel: a.columnLabel,
      authorName: a.authorName,
      summary: a.summary,
      date: formatShanghai(a.publishedAt).slice(0, 10),
    })),
    activities: recent.items.map((a) =>
      listItemOf(
        {
          id: a.id,
          name: a.name,
          type: a.type,
          form: a.form,
          fee: a.fee,
          direction: a.direction,
          startsAt: a.starts_at,
          endsAt: a.ends_at,
          place: a.place,
        },
        now,
      ),
    ),
    base: { ...b, recognizedOn: b.recognizedAt ? formatShanghai(b.recognizedAt).slice(0, 10) : null },
  };
}

const CN_NUMERALS = ["", "一", "二", "三", "四", "五"];

export default function BaseDetail({ loaderData }: Route.ComponentProps) {
  if (loaderData.revoked) {
    const b = loaderData.base;
    return (
      <>
        <PageTitle>{b.name}</PageTitle>
        <Alert
          type="error"
          showIcon
          title="该基地已被撤销科普教育基地命名"
          description={
            <>
              {b.revokedOn && <div>撤销日期：{b.revokedOn}</div>}
              {b.reason && (
                <div>
                  撤销原因：{b.reasonNo ? `《管理办法》第十八条第（${CN_NUMERALS[b.reasonNo]}）项，` : ""}
                  {b.reason}
                </div>
              )}
              <div>该单位不再使用“科普教育基地”称号，原证书、牌匾作废。</div>
            </>
          }
        />
        <p style={{ marginTop: 16 }}>
          <Link to="/bases">返回科普基地名录</Link>
        </p>
      </>
    );
  }
  const { base: b, certificate, activities } = loaderData;
  const items = [
    { key: "unit", label: "单位名称", children: b.unitName },
    { key: "region", label: "所在区域", children: b.regionName },
    { key: "category", label: "基地类别", children: b.categoryName },
    { key: "address", label: "地址", children: b.address || "—" },
    { key: "form", label: "开放形式", children: b.openingForm ?? "—" },
    { key: "hours", label: "开放时间", children: b.openingHours || "—" },
    { key: "days", label: "年开放天数", children: b.openDays ? `${b.openDays} 天` : "—" },
    { key: "area", label: "科普场所面积", children: b.areaSqm ? `${b.areaSqm} 平方米` : "—" },
    {
      key: "booking",
      label: "预约参观电话",
      children: b.bookingPhone ? (
        <a href={`tel:${b.bookingPhone.replace(/[^\d+-]/g, "")}`}>{b.bookingPhone}</a>
      ) : (
        "—"
      ),
    },
    {
      key: "contact",
      label: "联系人",
      children: b.contactName ? `${b.contactName}${b.contactPhone ? `（${b.contactPhone}）` : ""}` : "—",
    },
    {
      key: "team",
      label: "科技志愿服务队",
      children: loaderData.team
        ? `${loaderData.team.name}（${loaderData.team.registered ? "已在“科技志愿服务”平台注册" : "尚未完成注册"}），志愿者 ${loaderData.team.volunteers} 人`
        : b.volunteerTeamName
          ? `${b.volunteerTeamName}${b.volunteerCount !== null ? `，志愿者 ${b.volunteerCount} 人` : ""}`
          : "—",
    },
    {
      key: "batch",
      label: "认定批次",
      children: `${b.level === "county" ? `${b.regionName}县级认定，` : ""}${b.batchNo ? `${batchLabel(b.batchNo)}，` : ""}${b.recognizedYear}年认定${b.recognizedOn ? `（${b.recognizedOn}）` : ""}`,
    },
    ...(b.certificateNo ? [{ key: "no", label: "证书编号", children: b.certificateNo }] : []),
  ];
  return (
    <article style={{ overflowWrap: "anywhere" }}>
      <PageTitle style={{ marginBottom: 4 }}>{b.name}</PageTitle>
      <p style={{ margin: "0 0 16px" }}>
        <PlainTag color={b.status === "warning" ? "orange" : "green"}>
          {PUBLIC_STATUS_LABELS[b.status]}
        </PlainTag>
        {b.level === "county" && <PlainTag color="blue">县级科普教育基地</PlainTag>}
        <Link to="/bases">返回名录</Link>
      </p>
      {b.status === "warning" && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title="该基地正在按《管理办法》第十七条限期整改"
        />
      )}
      {b.intro && (
        <section aria-labelledby="intro-h">
          <SectionTitle id="intro-h">基地简介</SectionTitle>
          <PlainText block style={{ whiteSpace: "pre-wrap", marginBottom: "1em" }}>
            {b.intro}
          </PlainText>
        </section>
      )}
      {b.photos.length > 0 && (
        <section aria-labelledby="photos-h" style={{ marginBottom: 16 }}>
          <SectionTitle id="photos-h">基地照片</SectionTitle>
          <div style={{ display: "flex", flexWrap: "wrap", gap: 8 }}>
            {b.photos.map((p, i) => (
              <Image
                key={p.id}
                width={160}
                src={p.thumbUrl ? `${p.thumbUrl}?inline=1` : `${p.url}?inline=1`}
                preview={{ src: `${p.url}?inline=1` }}
                alt={`${b.name}照片${i + 1}`}
              />
            ))}
          </div>
        </section>
      )}
      <section aria-labelledby="activities-h" style={{ marginBottom: 16 }}>
        <SectionTitle id="activities-h">基地活动</SectionTitle>
        {activities.length > 0 ? (
          <ActivityList label={`${b.name}的近期活动`} items={activities} headingLevel={3} />
        ) : (
          <PlainText block secondary style={{ marginBottom: "1em" }}>
            暂无活动。
          </PlainText>
        )}
        <ButtonLink to={`/bases/${b.id}/activities`}>活动列表</ButtonLink>
      </section>
      <section aria-labelledby="articles-h" style={{ marginBottom: 16 }}>
        <SectionTitle id="articles-h">基地文章</SectionTitle>
        <ArticleList
          items={loaderData.articles}
          label={`${b.name}的文章`}
          headingLevel={3}
          compact
          empty="暂无文章。"
        />
      </section>
      <section aria-labelledby="info-h">
        <SectionTitle id="info-h">开放与预约</SectionTitle>
        <PlainDescriptions items={items} />
      </section>
      <section aria-labelledby="qr-h" style={{ marginTop: 16 }}>
        <SectionTitle id="qr-h">基地二维码</SectionTitle>
        <img
          src={`/bases/${b.id}/qr.svg`}
          alt={`${b.name}页面的二维码`}
          width={140}
          height={140}
          style={{ display: "block" }}
        />
        <PlainText secondary>扫码在手机上打开本页，核验基地认定状态。</PlainText>
      </section>
      {certificate && (
        <p style={{ marginTop: 16 }}>
          <ButtonLink to={`/bases/${b.id}/certificate.pdf`} reloadDocument newTab>
            下载证书与牌匾（PDF）
          </ButtonLink>
        </p>
      )}
    </article>
  );
}
