import { Button, Card, Descriptions, Popconfirm, Table, Tag, Typography } from "antd";
import { Form, Link, redirect } from "react-router";
import {
  hoursText,
  SERVICE_STATUS_LABELS,
  VOLUNTEER_STATUS_LABELS,
} from "#src/modules/volunteers/volunteers.rules.ts";
import { getVolunteerRecord, removeVolunteer } from "#src/modules/volunteers/volunteers.server.ts";
import { pageParam } from "#src/platform/paging.rules.ts";
import { FormAlert } from "~/components/form-alert";
import { PageTitle } from "~/components/plain";
import { useUrlPagination } from "~/components/url-pagination";
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

export default function MyBaseVolunteer({ loaderData, actionData }: Route.ComponentProps) {
  const { volunteer: v, totals, services } = loaderData;
  const pagination = useUrlPagination({
    page: loaderData.page,
    pageSize: PAGE_SIZE,
    total: loaderData.total,
    unit: "条",
  });
  return (
    <>
      <Typography.Text>
        <Link to="/my-base">我的基地</Link> / <Link to="/my-base/volunteers">科技志愿服务队</Link> / 服务记录
      </Typography.Text>
      <PageTitle>
        {v.name} <Tag>{VOLUNTEER_STATUS_LABELS[v.status]}</Tag>
      </PageTitle>
      <FormAlert failure={actionData && !actionData.ok ? actionData : undefined} />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={{ xs: 1, md: 2 }}>
          <Descriptions.Item label="手机号">{v.phone}</Descriptions.Item>
          <Descriptions.Item label="志愿者编号">{v.stvsNo}</Descriptions.Item>
          <Descriptions.Item label="专业特长">{v.specialty}</Descriptions.Item>
          <Descriptions.Item label="加入日期">{v.joinedOn}</Descriptions.Item>
        </Descriptions>
        {v.status === "active" && !loaderData.revoked && (
          <Form method="post" id="leave">
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
      </Card>
      <Card size="small" title="年度服务时长（已确认）" style={{ marginBottom: 16 }}>
        <Table
          rowKey="year"
          size="small"
          pagination={false}
          dataSource={totals}
          locale={{ emptyText: "还没有已确认的服务记录" }}
          columns={[
            { title: "年度", dataIndex: "year", render: (y: number) => `${y}年` },
            { title: "服务次数", dataIndex: "count" },
            { title: "服务时长（小时）", dataIndex: "hours" },
            {
              title: "志愿服务证明",
              key: "pdf",
              render: (_: unknown, t) => (
                <a
                  href={`/my-base/volunteers/${v.id}/certificate.pdf?year=${t.year}`}
                  target="_blank"
                  rel="noreferrer"
                >
                  <Button size="small">打印{t.year}年志愿服务证明</Button>
                </a>
              ),
            },
          ]}
        />
      </Card>
      <Card size="small" title="服务记录">
        <Table
          rowKey="id"
          size="small"
          dataSource={services}
          pagination={loaderData.total > PAGE_SIZE ? pagination : false}
          locale={{ emptyText: "还没有服务记录" }}
          columns={[
            {
              title: "活动名称",
              dataIndex: "activityName",
              render: (n: string, s) => (
                <Link to={`/my-base/volunteers/activities/${s.activityId}`}>{n}</Link>
              ),
            },
            { title: "服务日期", dataIndex: "serviceDate" },
            { title: "服务时长（小时）", dataIndex: "hours" },
            {
              title: "状态",
              dataIndex: "status",
              render: (s: "recorded" | "confirmed") => (
                <Tag color={s === "confirmed" ? "green" : "gold"}>{SERVICE_STATUS_LABELS[s]}</Tag>
              ),
            },
          ]}
        />
      </Card>
    </>
  );
}
