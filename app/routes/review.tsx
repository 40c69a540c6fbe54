import { useSearchParams } from "react-router";
import { STATUS_LABELS } from "#src/modules/applications/applications.rules.ts";
import { listReviewQueue } from "#src/modules/applications/applications.server.ts";
import { listCalls } from "#src/modules/calls/calls.server.ts";
import { listRegions, regionSubtree } from "#src/modules/regions/regions.server.ts";
import { formatShanghai } from "#src/platform/clock.ts";
import { CATEGORIES } from "#src/platform/db/reference-data.ts";
import type { ApplicationStatus } from "#src/platform/db/schema.ts";
import { pageParam } from "#src/platform/paging.rules.ts";
import { FilterBar, FilterCheckbox, FilterInput } from "~/components/filter-bar";
import { FilterSelect } from "~/components/filter-select";
import { ButtonLink, PagerLinks, PageTitle, PlainLink, PlainStatistic, PlainTable } from "~/components/plain";
import { StatusTag } from "~/components/status-tag";
import { actorOf, orFail, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/review";

export const meta: Route.MetaFunction = () => [{ title: "申报审核 - 科普基地服务平台" }];

const PAGE = 20;
const STAGES: ApplicationStatus[] = [
  "county_review",
  "city_review",
  "office_confirmation",
  "returned",
  "proposed",
  "not_recommended",
  "rejected",
  "withdrawn",
];

export async function loader({ request, context }: Route.LoaderArgs) {
  const me = await requireUser(context, request, "applications:review");
  const sp = new URL(request.url).searchParams;
  const calls = await listCalls(context.app);
  const callId = sp.get("call") ?? calls[0]?.id ?? undefined;
  const page = pageParam(sp.get("page"));
  const status = STAGES.find((s) => s === sp.get("status"));
  const result = await orFail(
    listReviewQueue(context.app, actorOf(context), {
      callId,
      regionCode: sp.get("county") || undefined,
      categoryCode: sp.get("category") || undefined,
      status,
      overdue: sp.get("overdue") === "on",
      mine: sp.get("mine") === "on",
      q: sp.get("q")?.trim() || undefined,
      offset: (page - 1) * PAGE,
      limit: PAGE,
    }),
  );
  const scope = await regionSubtree(context.app, me.regionCode);
  const regions = await listRegions(context.app);
  const nameOf = (code: string) => regions.find((r) => r.code === code)?.name ?? code;
  return {
    callId: callId ?? "",
    page,
    calls: calls.map((c) => ({ value: c.id, label: c.title })),
    counties: regions
      .filter((r) => r.level === "county" && scope.includes(r.code))
      .map((r) => ({ value: r.code, label: r.name })),
    total: result.total,
    done: result.done,
    pending: result.pending,
    rows: result.rows.map((r) => ({
      id: r.id,
      applicationNo: r.application_no ?? "",
      baseName: r.base_name,
      unitName: r.unit_name,
      county: nameOf(r.region_code),
      category: CATEGORIES.find((c) => c.code === r.category_code)?.name ?? "",
      status: r.status,
      submittedAt: formatShanghai(r.submitted_at),
      updatedAt: formatShanghai(r.updated_at),
    })),
  };
}

export default function Review({ loaderData }: Route.ComponentProps) {
  const [sp] = useSearchParams();
  const d = loaderData;
  return (
    <>
      <div style={{ display: "flex", flexWrap: "wrap", gap: 8, justifyContent: "space-between" }}>
        <PageTitle style={{ margin: 0 }}>申报审核</PageTitle>
        <div style={{ display: "flex", flexWrap: "wrap", gap: 8 }}>
          <ButtonLink to={`/review/targets?call=${d.callId}`}>各县（市、区）申报目标</ButtonLink>
          <ButtonLink to={`/review/export.xlsx?call=${d.callId}`} reloadDocument>
            导出 Excel
          </ButtonLink>
          <ButtonLink to={`/review/attachments.zip?call=${d.callId}`} reloadDocument>
            下载整批附件
          </ButtonLink>
        </div>
      </div>
      <div style={{ display: "flex", flexWrap: "wrap", gap: 24, margin: "12px 0" }}>
        <PlainStatistic title="本阶段已处理" value={d.done} suffix={`/ ${d.done + d.pending}`} />
        <PlainStatistic title="待我处理" value={d.pending} />
      </div>
      <FilterBar label="筛选申报">
        <FilterSelect
          id="call"
          name="call"
          placeholder="申报项目"
          allowEmpty={false}
          defaultValue={d.callId}
          options={d.calls}
          style={{ width: 240 }}
        />
        <FilterSelect
          id="county"
          name="county"
          placeholder="县（市、区）"
          defaultValue={sp.get("county")}
          options={d.counties}
          style={{ width: 170 }}
        />
        <FilterSelect
          id="category"
          name="category"
          placeholder="申报类别"
          defaultValue={sp.get("category")}
          options={CATEGORIES.map((c) => ({ value: c.code, label: c.name }))}
          style={{ width: 190 }}
        />
        <FilterSelect
          id="status"
          name="status"
          placeholder="状态"
          defaultValue={sp.get("status")}
          options={STAGES.map((s) => ({ value: s, label: STATUS_LABELS[s] }))}
          style={{ width: 170 }}
        />
        <FilterInput
          id="q"
          name="q"
          label="关键词"
          placeholder="基地、单位名称或申报编号"
          defaultValue={sp.get("q")}
          width={180}
        />
        <FilterCheckbox name="mine" label="只看待我处理" defaultChecked={sp.get("mine") === "on"} />
        <FilterCheckbox name="overdue" label="超期未处理" defaultChecked={sp.get("overdue") === "on"} />
      </FilterBar>
      <PlainTable
        rows={d.rows}
        rowKey={(r) => r.id}
        scrollX={1060}
        emptyText="没有符合条件的申报"
        columns={[
          { key: "applicationNo", title: "申报编号", render: (r) => r.applicationNo },
          {
            key: "baseName",
            title: "基地名称",
            render: (r) => <PlainLink to={`/applications/${r.id}`}>{r.baseName || "（未填写）"}</PlainLink>,
          },
          { key: "unitName", title: "申报单位", render: (r) => r.unitName },
          { key: "county", title: "县（市、区）", render: (r) => r.county },
          { key: "category", title: "类别", render: (r) => r.category },
          { key: "status", title: "状态", render: (r) => <StatusTag status={r.status} /> },
          { key: "submittedAt", title: "提交时间", render: (r) => r.submittedAt },
          { key: "updatedAt", title: "最近更新", render: (r) => r.updatedAt },
        ]}
        footer={<PagerLinks page={d.page} pageSize={PAGE} total={d.total} unit="条" inTable />}
      />
    </>
  );
}
