import { Button, Popconfirm } from "antd";
import { Form, redirect } from "react-router";
import {
  hoursText,
  SERVICE_STATUS_LABELS,
  VOLUNTEER_STATUS_LABELS,
} from "#src/modules/volunteers/volunteers.rules.ts";
import { getVolunteerRecord, removeVolunteer } from "#src/modules/volunteers/volunteers.server.ts";
import { pageParam } from "#src/platform/paging.rules.ts";
import { FormAlert } from "~/components/form-alert";
import {
  ButtonLink,
  PagerLinks,
  PageTitle,
  PlainCard,
  PlainDescriptions,
  PlainLink,
  PlainTable,
  PlainTag,
  PlainText,
} from "~/components/plain";
import { actorOf, failWith, orFail, readForm, requireUser, versionOf } from "~/lib/route.server";
import type { Route } from "./+types/my-base-volunteer";

export const meta: Route.MetaFunction = () => [{ title: "志愿者服务记录 - 科普基地服务平台" }];

const PAGE_SIZE = 20;

export async function loader({ request, params, context }: Route.LoaderArgs) {
  await requireUser(context, request, "bases:own");
  const page = pageParam(new URL(request.url).searchParams.get("page"));
  const r = await orFail(
    getVolunteerRecord(context.app, actorOf(context), params.id, {
      offset: (page - 1) * PAGE_SIZE,
      limit: PAGE_SIZE,
    }),
  );
  return {
    page,
    total: r.total,
    revoked: r.base.status === "revoked",
    volunteer: {
      id: r.volunteer.id,
      version: r.volunteer.version,
      name: r.volunteer.name,
      phone: r.volunteer.phone,
      stvsNo: r.volunteer.stvs_no,
      specialty: r.volunteer.specialty,
      joinedOn: r.volunteer.joined_on ?? "",
      status: r.volunteer.status,
    },
    totals: r.totals.map((t) => ({ ...t, hours: hoursText(t.minutes) })),
    services: r.services.map((s) => ({
      id: s.id,
      activityId: s.activity_id,
      activityName: s.activity_name,
      serviceDate: s.service_date,
      hours: hoursText(s.minutes),
      status: s.status,
    })),
  };
}

/** 退出: the volunteer is anonymized; their hours stay in the totals. */
export async function action({ request, params, context }: Route.ActionArgs) {
  await requireUser(context, request, "bases:own");
  const fd = await readForm(request);
  if (fd.get("intent") !== "leave") throw new Response("未知操作", { status: 400 });
  try {
    await removeVolunteer(context.app, actorOf(context), params.id, versionOf(fd));
  } catch (e) {
    return failWith(e, fd);
  }
  return redirect("/my-base/volunteers?left=1");
}

type Data = Route.ComponentProps["loaderData"];
type Total = Data["totals"][number];
type Service = Data["services"][number];

const SERVICE_COLUMNS = [
  {
    title: "活动名称",
    key: "activity",
    render: (s: Service) => (
      <PlainLink to={`/my-base/volunteers/activities/${s.activityId}`}>{s.activityName}</PlainLink>
    ),
  },
  { title: "服务日期", key: "date", render: (s: Service) => s.serviceDate },
  { title: "服务时长（小时）", key: "hours", render: (s: Service) => s.hours },
  {
    title: "状态",
    key: "status",
    render: (s: Service) => (
      <PlainTag color={s.status === "confirmed" ? "green" : "gold"}>
        {SERVICE_STATUS_LABELS[s.status]}
      </PlainTag>
    ),
  },
];

/** A volunteer's record: display only in plain markup (ADR 0012), but for the one 退出 button. */
export default function MyBaseVolunteer({ loaderData, actionData }: Route.ComponentProps) {
  const { volunteer: v, totals, services } = loaderData;
  const totalColumns = [
    { title: "年度", key: "year", render: (t: Total) => `${t.year}年` },
    { title: "服务次数", key: "count", render: (t: Total) => t.count },
    { title: "服务时长（小时）", key: "hours", render: (t: Total) => t.hours },
    {
      title: "志愿服务证明",
      key: "pdf",
      render: (t: Total) => (
        <ButtonLink
          to={`/my-base/volunteers/${v.id}/certificate.pdf?year=${t.year}`}
          size="small"
          reloadDocument
          newTab
        >
          打印{t.year}年志愿服务证明
        </ButtonLink>
      ),
    },
  ];
  return (
    <>
      <PlainText>
        <PlainLink to="/my-base">我的基地</PlainLink> /{" "}
        <PlainLink to="/my-base/volunteers">科技志愿服务队</PlainLink> / 服务记录
      </PlainText>
      <PageTitle>
        {v.name} <PlainTag>{VOLUNTEER_STATUS_LABELS[v.status]}</PlainTag>
      </PageTitle>
      <FormAlert failure={actionData && !actionData.ok ? actionData : undefined} />
      <PlainCard title="志愿者信息" style={{ marginBottom: 16 }}>
        <PlainDescriptions
          items={[
            { key: "phone", label: "手机号", children: v.phone },
            { key: "stvsNo", label: "志愿者编号", children: v.stvsNo },
            { key: "specialty", label: "专业特长", children: v.specialty },
            { key: "joinedOn", label: "加入日期", children: v.joinedOn },
          ]}
        />
        {v.status === "active" && !loaderData.revoked && (
          <Form method="post" id="leave" style={{ marginTop: 12 }}>
            <input type="hidden" name="intent" value="leave" />
            <input type="hidden" name="version" value={v.version} />
            <Popconfirm
              title="确认该志愿者退出？其姓名、手机号和编号将被删除，服务时长仍计入统计。"
              okText="确认退出"
              cancelText="取消"
              onConfirm={() => (document.getElementById("leave") as HTMLFormElement)?.requestSubmit()}
            >
              <Button danger>退出服务队</Button>
            </Popconfirm>
          </Form>
        )}
      </PlainCard>
      <PlainCard title="年度服务时长（已确认）" style={{ marginBottom: 16 }}>
        <PlainTable
          columns={totalColumns}
          rows={totals}
          rowKey={(t) => String(t.year)}
          emptyText="还没有已确认的服务记录"
        />
      </PlainCard>
      <PlainCard title="服务记录">
        <PlainTable
          columns={SERVICE_COLUMNS}
          rows={services}
          rowKey={(s) => s.id}
          emptyText="还没有服务记录"
          footer={
            loaderData.total > PAGE_SIZE && (
              <PagerLinks
                page={loaderData.page}
                pageSize={PAGE_SIZE}
                total={loaderData.total}
                unit="条"
                inTable
              />
            )
          }
        />
      </PlainCard>
    </>
  );
}
