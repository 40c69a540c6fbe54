import { Alert, Button, Card, Descriptions, Input, Radio, Space, Table, Tag, Typography } from "antd";
import { Form, Link, useNavigation } from "react-router";
import { STATUS_LABELS } from "#src/modules/applications/applications.rules.ts";
import { listFiles } from "#src/modules/files/files.server.ts";
import { getNoticeCalendar } from "#src/modules/notices/holidays.server.ts";
import {
  noticePhase,
  OBJECTION_STATUS_LABELS,
  UPHELD_ACTION_LABELS,
} from "#src/modules/notices/notices.rules.ts";
import { handleObjectionSchema } from "#src/modules/notices/notices.schema.ts";
import { getStaffNotice, handleObjection, nameBases } from "#src/modules/notices/notices.server.ts";
import { calendarWarning, uncoveredYears } from "#src/modules/notices/working-days.rules.ts";
import { formatShanghai } from "#src/platform/clock.ts";
import type { ApplicationStatus } from "#src/platform/db/schema.ts";
import { FormAlert } from "~/components/form-alert";
import { Field, FieldLayout } from "~/components/form-field";
import { NoticePhaseTag } from "~/components/notice-phase-tag";
import { PageTitle, SectionTitle } from "~/components/plain";
import {
  actorOf,
  failWith,
  invalid,
  orFail,
  parseForm,
  readForm,
  requireUser,
  versionOf,
} from "~/lib/route.server";
import type { Route } from "./+types/admin-notice-detail";

export const meta: Route.MetaFunction = () => [{ title: "公示详情 - 公示管理 - 科普基地服务平台" }];

export async function loader({ request, params, context }: Route.LoaderArgs) {
  await requireUser(context, request, "notices:manage");
  const actor = actorOf(context);
  const { notice, entries, objections, namingNoticeId } = await orFail(
    getStaffNotice(context.app, actor, params.id),
  );
  const start = formatShanghai(notice.starts_at).slice(0, 10);
  const end = formatShanghai(new Date(new Date(notice.ends_at).getTime() - 1)).slice(0, 10);
  return {
    calendarWarning:
      notice.status === "named"
        ? null
        : calendarWarning(uncoveredYears(start, end, await getNoticeCalendar(context.app, actor))),
    notice: {
      id: notice.id,
      kind: notice.kind,
      title: notice.title,
      status: notice.status,
      version: notice.version,
      start,
      end,
      contact: notice.contact,
    },
    phase: noticePhase(notice, context.app.clock.now()),
    namingNoticeId,
    entries: entries.map((e) => ({
      seq: e.seq,
      applicationNo: e.application_no ?? "",
      baseName: e.base_name,
      unitName: e.unit_name,
      applicationId: e.application_id,
      status: e.status as ApplicationStatus | null,
      outcome: e.outcome,
    })),
    objections: await Promise.all(
      objections.map(async (o) => ({
        id: o.id,
        refNo: o.ref_no,
        version: o.version,
        status: o.status,
        baseName: entries.find((e) => e.application_id === o.application_id)?.base_name ?? "（未指明）",
        objector: `${o.objector_name}${o.objector_kind === "unit" ? `（${o.objector_unit}）` : "（个人）"}`,
        phone: o.objector_phone,
        content: o.content,
        reply: o.reply,
        upheldAction: o.upheld_action,
        createdAt: formatShanghai(o.created_at),
        handledAt: formatShanghai(o.handled_at),
        files: (await listFiles(context.app, actor, "objection", o.id)).map((f) => ({
          id: f.id,
          name: f.name,
          url: f.url,
        })),
      })),
    ),
  };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  await requireUser(context, request, "notices:manage");
  const fd = await readForm(request);
  try {
    if (fd.get("intent") === "name") {
      const r = await nameBases(context.app, actorOf(context), params.id, versionOf(fd));
      return { ok: true as const, done: `已命名 ${r.named.length} 家科普教育基地，认定公告已在公示栏发布。` };
    }
    const parsed = parseForm(handleObjectionSchema, fd);
    if (!parsed.ok) return invalid({ ...parsed.failure, values: { ...parsed.failure.values } });
    await handleObjection(context.app, actorOf(context), String(fd.get("objectionId")), parsed.data);
    return { ok: true as const, done: "异议核实结果已保存，答复已在公示页面公开。" };
  } catch (e) {
    return failWith(e, fd);
  }
}

export default function AdminNoticeDetail({ loaderData: d, actionData }: Route.ComponentProps) {
  const nav = useNavigation();
  const busy = nav.state === "submitting";
  const failed = actionData && !actionData.ok ? actionData : null;
  const err = failed?.fieldErrors ?? {};
  const v = failed?.values ?? {};
  const pending = d.objections.filter((o) => o.status === "pending").length;
  const canName = d.notice.kind === "proposed" && d.notice.status === "closed" && pending === 0;
  return (
    <>
      <Typography.Text>
        <Link to="/admin/notices">公示管理</Link> / 公示详情
      </Typography.Text>
      <PageTitle>{d.notice.title}</PageTitle>
      {actionData?.ok && (
        <Alert type="success" showIcon title={actionData.done} style={{ marginBottom: 16 }} role="status" />
      )}
      <FormAlert failure={failed} />
      {d.calendarWarning && (
        <Alert type="warning" showIcon title={d.calendarWarning} style={{ marginBottom: 16 }} role="alert" />
      )}
      <Descriptions size="small" column={{ xs: 1, md: 2 }} style={{ marginBottom: 16 }}>
        <Descriptions.Item label="状态">
          <NoticePhaseTag phase={d.phase} />
        </Descriptions.Item>
        <Descriptions.Item label="公示期">
          {d.notice.start} 至 {d.notice.end}
        </Descriptions.Item>
        <Descriptions.Item label="联系方式">{d.notice.contact}</Descriptions.Item>
        <Descriptions.Item label="公开页面">
          <Link to={`/notices/${d.notice.id}`}>在公示栏中查看</Link>
        </Descriptions.Item>
      </Descriptions>

      {d.notice.kind === "proposed" && (
        <Card size="small" title="认定命名" style={{ marginBottom: 16 }}>
          {d.notice.status === "named" ? (
            <Space wrap>
              <span>已完成命名。</span>
              {d.namingNoticeId && (
                <>
                  <Link to={`/notices/${d.namingNoticeId}`}>查看认定公告</Link>
                  <a href={`/notices/${d.namingNoticeId}/naming.pdf`}>下载命名文件（PDF）</a>
                </>
              )}
            </Space>
          ) : canName ? (
            <Form method="post">
              <input type="hidden" name="intent" value="name" />
              <input type="hidden" name="version" value={d.notice.version} />
              <Typography.Paragraph>
                公示期已满，异议均已核实。命名后，名单中的单位成为科普教育基地，生成证书编号，并在公示栏发布认定公告。
              </Typography.Paragraph>
              <Button
                type="primary"
                htmlType="submit"
                loading={busy && nav.formData?.get("intent") === "name"}
              >
                认定命名
              </Button>
            </Form>
          ) : (
            <Typography.Text type="secondary">
              {d.notice.status === "open"
                ? `公示期至 ${d.notice.end} 24时止，期满后系统自动结束公示，即可命名。`
                : `尚有 ${pending} 件异议未核实，核实后即可命名。`}
            </Typography.Text>
          )}
        </Card>
      )}

      <Table
        rowKey="seq"
        dataSource={d.entries}
        pagination={false}
        scroll={{ x: 640 }}
        style={{ marginBottom: 24 }}
        columns={[
          { title: "序号", dataIndex: "seq", width: 64 },
          { title: "申报编号", dataIndex: "applicationNo" },
          {
            title: "基地名称",
            dataIndex: "baseName",
            render: (n: string, e: (typeof d.entries)[number]) =>
              e.applicationId ? <Link to={`/applications/${e.applicationId}`}>{n}</Link> : n,
          },
          { title: "申报单位", dataIndex: "unitName" },
          {
            title: "申报状态",
            dataIndex: "status",
            render: (s: ApplicationStatus | null) => (s ? STATUS_LABELS[s] : ""),
          },
        ]}
      />

      <SectionTitle>异议（{d.objections.length}）</SectionTitle>
      {d.objections.length === 0 && <Typography.Text type="secondary">暂无异议。</Typography.Text>}
      {d.objections.map((o) => (
        <Card
          key={o.id}
          size="small"
          style={{ marginBottom: 12 }}
          title={
            <Space wrap>
              <span>{o.refNo}</span>
              <span>涉及：{o.baseName}</span>
              <Tag color={o.status === "pending" ? "orange" : o.status === "upheld" ? "red" : "default"}>
                {OBJECTION_STATUS_LABELS[o.status]}
              </Tag>
            </Space>
          }
        >
          <Descriptions size="small" column={1}>
            <Descriptions.Item label="提出人">
              {o.objector} {o.phone}
            </Descriptions.Item>
            <Descriptions.Item label="提出时间">{o.createdAt}</Descriptions.Item>
            <Descriptions.Item label="异议内容">
              <span style={{ whiteSpace: "pre-wrap" }}>{o.content}</span>
            </Descriptions.Item>
            <Descriptions.Item label="证明材料">
              {o.files.length
                ? o.files.map((f) => (
                    <a key={f.id} href={f.url} style={{ marginRight: 12 }}>
                      {f.name}
                    </a>
                  ))
                : "无"}
            </Descriptions.Item>
            {o.reply && (
              <Descriptions.Item label="答复">
                {o.reply}
                {o.upheldAction ? `（${UPHELD_ACTION_LABELS[o.upheldAction]}）` : ""}
              </Descriptions.Item>
            )}
          </Descriptions>
          {o.status === "pending" && (
            <Form method="post" noValidate>
              <input type="hidden" name="objectionId" value={o.id} />
              <input type="hidden" name="version" value={o.version} />
              <FieldLayout>
                <Field
                  label="核实结论"
                  htmlFor={`decision-${o.id}`}
                  error={v.objectionId === o.id ? err.decision : undefined}
                  required
                >
                  <Radio.Group
                    id={`decision-${o.id}`}
                    name="decision"
                    defaultValue={v.objectionId === o.id ? v.decision : undefined}
                    options={[
                      { value: "upheld", label: "异议成立" },
                      { value: "dismissed", label: "异议不成立" },
                    ]}
                  />
                </Field>
                <Field
                  label="异议成立时的处理"
                  htmlFor={`upheldAction-${o.id}`}
                  error={v.objectionId === o.id ? err.upheldAction : undefined}
                >
                  <Radio.Group
                    id={`upheldAction-${o.id}`}
                    name="upheldAction"
                    defaultValue={v.objectionId === o.id ? v.upheldAction : undefined}
                    options={Object.entries(UPHELD_ACTION_LABELS).map(([value, label]) => ({ value, label }))}
                  />
                </Field>
                <Field
                  label="答复（公开发布，请勿包含个人信息）"
                  htmlFor={`reply-${o.id}`}
                  error={v.objectionId === o.id ? err.reply : undefined}
                  required
                >
                  <Input.TextArea
                    id={`reply-${o.id}`}
                    name="reply"
                    defaultValue={v.objectionId === o.id ? v.reply : undefined}
                    autoSize={{ minRows: 3, maxRows: 8 }}
                  />
                </Field>
                <Button
                  type="primary"
                  htmlType="submit"
                  loading={busy && nav.formData?.get("objectionId") === o.id}
                >
                  确定
                </Button>
              </FieldLayout>
            </Form>
          )}
        </Card>
      ))}
    </>
  );
}
