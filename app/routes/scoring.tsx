import { ROUND_STATUS_LABELS, SCORING_PAGE_SIZE } from "#src/modules/evaluation/evaluation.rules.ts";
import { listMyAssignments } from "#src/modules/evaluation/evaluation-scoring.server.ts";
import { listRegions } from "#src/modules/regions/regions.server.ts";
import {
  PagerLinks,
  PageTitle,
  PlainCard,
  PlainLink,
  PlainTable,
  PlainTag,
  PlainText,
} from "~/components/plain";
import { actorOf, orFail, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/scoring";

export const meta: Route.MetaFunction = () => [{ title: "评价评分 - 科普基地服务平台" }];

/**
 * 【评分】: the rounds the signed-in user evaluates (none for anyone else), and one page of the bases
 * assigned to it in one round (?round=, by default the one in scoring; ?page=).
 */
export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request);
  const sp = new URL(request.url).searchParams;
  const page = Number.parseInt(sp.get("page") ?? "1", 10);
  const a = await orFail(
    listMyAssignments(context.app, actorOf(context), {
      roundId: sp.get("round"),
      page: Number.isFinite(page) ? page : 1,
    }),
  );
  const names = new Map((await listRegions(context.app)).map((r) => [r.code, r.name]));
  return {
    rounds: a.rounds.map(({ round, total, done }) => ({
      id: round.id,
      title: round.title,
      status: round.status,
      total,
      done,
    })),
    current: a.current,
    page: a.page,
    entries: a.entries.map((e) => ({ ...e, county: names.get(e.region_code) ?? e.region_code })),
  };
}

export default function Scoring({ loaderData }: Route.ComponentProps) {
  const { rounds, current, entries } = loaderData;
  const round = rounds.find((r) => r.id === current);
  return (
    <>
      <PageTitle>评价评分</PageTitle>
      {!round && (
        <PlainCard title="评价任务">
          <PlainText secondary>暂无分配给您的评价任务</PlainText>
        </PlainCard>
      )}
      {rounds.length > 1 && (
        <nav aria-label="评价轮次" className="kepu-column-nav">
          {rounds.map((r) => (
            <PlainLink key={r.id} to={`?round=${r.id}`} aria-current={r.id === current ? "page" : undefined}>
              {r.title}（{ROUND_STATUS_LABELS[r.status]}）
            </PlainLink>
          ))}
        </nav>
      )}
      {round && (
        // Display only, and an evaluator opens it between every two bases: plain markup (ADR 0012).
        <PlainCard
          title={`${round.title}（${ROUND_STATUS_LABELS[round.status]}，已评 ${round.done}/${round.total}）`}
          style={{ marginBottom: 16 }}
        >
          <PlainTable
            rows={entries}
            rowKey={(e) => e.id}
            scrollX={520}
            emptyText="本轮没有分配给您的基地"
            columns={[
              {
                title: "基地名称",
                key: "name",
                render: (e) => <PlainLink to={`/scoring/${e.id}`}>{e.base_name}</PlainLink>,
              },
              { title: "区域", key: "county", width: 90, render: (e) => e.county },
              { title: "自动得分", key: "auto", width: 90, render: (e) => e.auto_score },
              { title: "我的评分", key: "mine", width: 90, render: (e) => e.myTotal },
              {
                title: "状态",
                key: "state",
                width: 90,
                render: (e) =>
                  e.mySubmitted ? (
                    <PlainTag color="green">已提交</PlainTag>
                  ) : e.myTotal === null ? (
                    "未评"
                  ) : (
                    "草稿"
                  ),
              },
            ]}
            footer={
              round.total > SCORING_PAGE_SIZE ? (
                <PagerLinks
                  page={loaderData.page}
                  pageSize={SCORING_PAGE_SIZE}
                  total={round.total}
                  unit="个基地"
                  inTable
                />
              ) : undefined
            }
          />
        </PlainCard>
      )}
    </>
  );
}
