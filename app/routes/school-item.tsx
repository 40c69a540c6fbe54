import { Empty } from "antd";
import { data } from "react-router";
import { listFiles } from "#src/modules/files/files.server.ts";
import { getPublicItem } from "#src/modules/schools/school-items.server.ts";
import { ButtonLink, PageTitle, PlainCard, PlainDescriptions, PlainLink, PlainTag } from "~/components/plain";
import { actorOf } from "~/lib/route.server";
import type { Route } from "./+types/school-item";

export const meta: Route.MetaFunction = ({ data }) => [
  { title: `${data?.item.title ?? "课程与服务"} - 科普助力双减 - 科普基地服务平台` },
];

export async function loader({ params, context }: Route.LoaderArgs) {
  const found = await getPublicItem(context.app, params.id);
  if (!found) throw data("未找到该项目", { status: 404 });
  const photos = await listFiles(context.app, actorOf(context), "school_item", params.id);
  return {
    ...found,
    photos: photos.filter((p) => p.kind === "image").map((p) => ({ id: p.id, name: p.name })),
    // Only the school's own 【我要点单】 opens the form; anyone else is told how to get there.
    isSchool: context.user?.role === "school",
  };
}

const stars = (n: number) => "★".repeat(n) + "☆".repeat(5 - n);

export default function SchoolItem({ loaderData }: Route.ComponentProps) {
  const { item: i, ratings, photos, isSchool } = loaderData;
  return (
    <>
      <div style={{ marginBottom: 8 }}>
        <PlainLink to="/special/schools">← 科普助力双减</PlainLink>
      </div>
      <PageTitle>{i.title}</PageTitle>
      <div style={{ marginBottom: 12 }}>
        <PlainTag color="blue">
          {i.kindLabel}（{i.mode}）
        </PlainTag>
        <PlainTag color={i.fee === "free" ? "green" : "gold"}>{i.feeLabel}</PlainTag>
        <span style={{ marginLeft: 8 }}>
          {i.rating === null ? "暂无评价" : `评分 ${i.rating} / 5（${i.ratingCount}条评价）`}
        </span>
      </div>
      {isSchool ? (
        <ButtonLink to={`/special/schools/${i.id}/order`} type="primary">
          我要点单
        </ButtonLink>
      ) : (
        <p style={{ color: "rgba(0,0,0,0.65)" }}>
          学校请 <PlainLink to="/login/org">登录</PlainLink> 后点单；还没有账号？
          <PlainLink to="/register/school">学校注册</PlainLink>
        </p>
      )}
      <div style={{ marginTop: 12 }}>
        <PlainDescriptions
          items={[
            {
              key: "base",
              label: "提供基地",
              children: <PlainLink to={`/bases/${i.baseId}`}>{i.baseName}</PlainLink>,
            },
            { key: "grades", label: "适合学段", children: i.grades.join("、") },
            { key: "subjects", label: "学科标签", children: i.subjects.join("、") },
            { key: "duration", label: "时长", children: `${i.durationMinutes}分钟` },
            { key: "size", label: "每场人数", children: `${i.studentsPerSession}人` },
            { key: "week", label: "每周可接", children: `${i.sessionsPerWeek}场` },
            {
              key: "dates",
              label: "可预约日期",
              children: `${i.availableFrom} 至 ${i.availableTo}（${i.weekdays.join("、")}）`,
            },
            { key: "counties", label: "服务区域", children: i.countyNames.join("、") },
            { key: "fee", label: "收费", children: i.feeNote ? `${i.feeLabel}：${i.feeNote}` : i.feeLabel },
            { key: "prepare", label: "学校需准备", children: i.prepare || "无" },
            { key: "safety", label: "安全须知", children: i.safetyNotes || "无" },
          ]}
        />
      </div>
      {i.description && (
        <PlainCard title="项目简介" style={{ marginTop: 12 }}>
          <div style={{ whiteSpace: "pre-wrap" }}>{i.description}</div>
        </PlainCard>
      )}
      {photos.length > 0 && (
        <PlainCard title="项目照片" style={{ marginTop: 12 }}>
          <div style={{ display: "flex", flexWrap: "wrap", gap: 8 }}>
            {photos.map((p) => (
              <img
                key={p.id}
                src={`/files/${p.id}?inline=1`}
                alt={p.name}
                style={{ maxWidth: 240, maxHeight: 180 }}
              />
            ))}
          </div>
        </PlainCard>
      )}
      <PlainCard title={`学校评价（${i.ratingCount}）`} style={{ marginTop: 12 }}>
        {ratings.length === 0 ? (
          <Empty description="暂无评价" />
        ) : (
          <ul aria-label="学校评价" style={{ listStyle: "none", margin: 0, padding: 0 }}>
            {ratings.map((r) => (
              <li key={r.id} style={{ borderBottom: "1px solid #f0f0f0", padding: "8px 0" }}>
                <div>
                  <strong>{r.schoolName}</strong>
                  <span style={{ marginLeft: 8, color: "rgba(0,0,0,0.55)", fontSize: 13 }}>
                    {r.ratedAt.slice(0, 10)}
                  </span>
                </div>
                <div style={{ fontSize: 13 }}>
                  内容{" "}
                  <span role="img" aria-label={`内容${r.content}分`}>
                    {stars(r.content)}
                  </span>{" "}
                  · 组织{" "}
                  <span role="img" aria-label={`组织${r.organization}分`}>
                    {stars(r.organization)}
                  </span>{" "}
                  · 安全{" "}
                  <span role="img" aria-label={`安全${r.safety}分`}>
                    {stars(r.safety)}
                  </span>
                </div>
                {r.comment && <div style={{ whiteSpace: "pre-wrap" }}>{r.comment}</div>}
                {r.reply && (
                  <div style={{ background: "#fafafa", padding: "4px 8px", marginTop: 4, fontSize: 13 }}>
                    基地回复：{r.reply}
                  </div>
                )}
              </li>
            ))}
          </ul>
        )}
      </PlainCard>
    </>
  );
}
