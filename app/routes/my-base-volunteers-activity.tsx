import { Alert, Button, Card, Checkbox, Input, Space, Tag, Typography } from "antd";
import { Form, Link, useNavigation } from "react-router";
import { fieldErrorsOf } from "#src/modules/accounts/accounts.schema.ts";
import {
  beijingLocal,
  defaultServiceMinutes,
  hoursText,
  SERVICE_STATUS_LABELS,
} from "#src/modules/volunteers/volunteers.rules.ts";
import { serviceSchema } from "#src/modules/volunteers/volunteers.schema.ts";
import {
  confirmServices,
  deleteService,
  listActivityServices,
  listOwnVolunteers,
  recordServices,
} from "#src/modules/volunteers/volunteers.server.ts";
import { FormAlert } from "~/components/form-alert";
import { Field, FieldLayout } from "~/components/form-field";
import { PageTitle } from "~/components/plain";
import { StackedTable } from "~/components/stacked-table";
import { actorOf, failWith, formValues, invalid, orFail, readForm, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/my-base-volunteers-activity";

export const meta: Route.MetaFunction = () => [{ title: "登记服务时长 - 科普基地服务平台" }];

export async function loader({ request, params, context }: Route.LoaderArgs) {
  await requireUser(context, request, "bases:own");
  const actor = actorOf(context);
  const { activity, rows } = await orFail(listActivityServices(context.app, actor, params.id));
  // The form lists the team's active volunteers (up to 500 at a time, by name).
  const roster = await listOwnVolunteers(context.app, actor, { limit: 100 });
  return {
    activity: {
      id: activity.id,
      name: activity.name,
      startsAt: beijingLocal(activity.starts_at),
      endsAt: beijingLocal(activity.ends_at),
      defaultHours: hoursText(defaultServiceMinutes(activity.starts_at, activity.ends_at)),
    },
    volunteers: roster.rows.map((v) => ({ id: v.id, name: v.name, stvsNo: v.stvs_no })),
    moreVolunteers: roster.total > roster.rows.length,
    services: rows.map((r) => ({
      id: r.id,
      name: r.volunteer_name,
      stvsNo: r.stvs_no,
      startsAt: beijingLocal(r.starts_at).replace("T", " "),
      hours: hoursText(r.minutes),
      status: r.status,
    })),
  };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  await requireUser(context, request, "bases:own");
  const fd = await readForm(request);
  const intent = fd.get("intent");
  const actor = actorOf(context);
  try {
    if (intent === "record") {
      const parsed = serviceSchema.safeParse({
        volunteerIds: fd.getAll("volunteerId").map(String),
        startsAt: String(fd.get("startsAt") ?? ""),
        hours: String(fd.get("hours") ?? ""),
      });
      if (!parsed.success) {
        return invalid({
          ok: false,
          message: "服务时长登记有填写不正确的内容，请按提示修改",
          fieldErrors: fieldErrorsOf(parsed.error),
          values: formValues(fd),
        });
      }
      const n = await recordServices(context.app, actor, params.id, parsed.data);
      return { ok: true as const, done: `已为 ${n} 名志愿者登记服务时长，待确认` };
    }
    if (intent === "confirm") {
      const n = await confirmServices(context.app, actor, params.id);
      return { ok: true as const, done: `已确认 ${n} 条服务记录` };
    }
    if (intent === "delete") {
      await deleteService(context.app, actor, params.id, String(fd.get("serviceId") ?? ""));
      return { ok: true as const, done: "已删除该服务记录" };
    }
    throw new Response("未知操作", { status: 400 });
  } catch (e) {
    if (e instanceof Response) throw e;
    return failWith(e, fd);
  }
}

export default function MyBaseVolunteersActivity({ loaderData, actionData }: Route.ComponentProps) {
  const { activity, volunteers, services } = loaderData;
  const busy = useNavigation().state === "submitting";
  const failure = actionData && !actionData.ok ? actionData : undefined;
  const errors = failure?.fieldErrors ?? {};
  const pending = services.filter((s) => s.status === "recorded").length;
  return (
    <>
      <Typography.Text>
        <Link to="/my-base">我的基地</Link> / <Link to="/my-base/volunteers">科技志愿服务队</Link> /
        登记服务时长
      </Typography.Text>
      <PageTitle>{activity.name}</PageTitle>
      <Typography.Paragraph type="secondary">
        活动时间：{activity.startsAt.replace("T", " ")} 至 {activity.endsAt.replace("T", " ")}
        。服务时长默认为活动时长；每位志愿者每天不超过 24 小时，同一人的服务时间不能重叠。
      </Typography.Paragraph>
      {actionData?.ok && (
        <Alert type="success" showIcon role="status" title={actionData.done} style={{ marginBottom: 16 }} />
      )}
      <FormAlert failure={failure} />
      <Card size="small" title="登记" style={{ marginBottom: 16 }}>
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="record" />
          <FieldLayout>
            <Field label="服务的志愿者" htmlFor="volunteerIds" error={errors.volunteerIds} required>
              <fieldset
                id="volunteerIds"
                style={{ border: 0, padding: 0, margin: 0 }}
                aria-label="服务的志愿者"
              >
                {volunteers.length === 0 ? (
                  <Typography.Text type="secondary">
                    名册中还没有志愿者，请先在 <Link to="/my-base/volunteers">科技志愿服务队</Link>{" "}
                    添加或导入。
                  </Typography.Text>
                ) : (
                  <Checkbox.Group
                    name="volunteerId"
                    style={{ display: "flex", flexWrap: "wrap", gap: 8 }}
                    options={volunteers.map((v) => ({
                      value: v.id,
                      label: `${v.name}${v.stvsNo ? `（${v.stvsNo}）` : ""}`,
                    }))}
                  />
                )}
              </fieldset>
            </Field>
            <Space wrap align="start">
              <Field label="服务开始时间" htmlFor="startsAt" error={errors.startsAt} required>
                <Input
                  id="startsAt"
                  name="startsAt"
                  type="datetime-local"
                  defaultValue={failure?.values.startsAt ?? activity.startsAt}
                  aria-invalid={!!errors.startsAt}
                  style={{ width: 220 }}
                />
              </Field>
              <Field label="服务时长（小时）" htmlFor="hours" error={errors.hours} required>
                <Input
                  id="hours"
                  name="hours"
                  inputMode="decimal"
                  defaultValue={failure?.values.hours ?? activity.defaultHours}
                  aria-invalid={!!errors.hours}
                  style={{ width: 140 }}
                />
              </Field>
            </Space>
            <Button type="primary" htmlType="submit" loading={busy}>
              登记
            </Button>
          </FieldLayout>
        </Form>
      </Card>
      <Card
        size="small"
        title={`服务记录（${services.length} 条，待确认 ${pending} 条）`}
        extra={
          pending > 0 && (
            <Form method="post">
              <input type="hidden" name="intent" value="confirm" />
              <Button type="primary" htmlType="submit" loading={busy}>
                确认全部待确认记录
              </Button>
            </Form>
          )
        }
      >
        <StackedTable
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={services}
          locale={{ emptyText: "还没有服务记录" }}
          columns={[
            { title: "志愿者", dataIndex: "name" },
            { title: "志愿者编号", dataIndex: "stvsNo" },
            { title: "开始时间", dataIndex: "startsAt" },
            { title: "时长（小时）", dataIndex: "hours" },
            {
              title: "状态",
              dataIndex: "status",
              render: (s: "recorded" | "confirmed") => (
                <Tag color={s === "confirmed" ? "green" : "gold"}>{SERVICE_STATUS_LABELS[s]}</Tag>
              ),
            },
            {
              title: "操作",
              key: "op",
              render: (_: unknown, r) =>
                r.status === "recorded" && (
                  <Form method="post">
                    <input type="hidden" name="intent" value="delete" />
                    <input type="hidden" name="serviceId" value={r.id} />
                    <Button size="small" htmlType="submit" aria-label={`删除 ${r.name} 的记录`}>
                      删除
                    </Button>
                  </Form>
                ),
            },
          ]}
        />
      </Card>
    </>
  );
}
