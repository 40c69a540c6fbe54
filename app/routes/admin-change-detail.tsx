import { Alert, Button, Card, Descriptions, Input, Radio, Table, Tag, Typography } from "antd";
import { Form, Link, useNavigation } from "react-router";
import {
  BASE_STATUS_COLORS,
  CHANGE_STATUS_COLORS,
  MAJOR_CHANGE_KINDS,
} from "#src/modules/bases/bases.rules.ts";
import { decideChangeSchema } from "#src/modules/bases/bases.schema.ts";
import { decideChangeReport, getChangeReport } from "#src/modules/bases/bases.server.ts";
import { baseView, changeReportView } from "#src/modules/bases/bases.view.server.ts";
import { listFiles } from "#src/modules/files/files.server.ts";
import { listRegions } from "#src/modules/regions/regions.server.ts";
import { FormAlert } from "~/components/form-alert";
import { Field, FieldLayout } from "~/components/form-field";
import { PageTitle } from "~/components/plain";
import { actorOf, failWith, invalid, orFail, parseForm, readForm, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/admin-change-detail";

export const meta: Route.MetaFunction = () => [{ title: "变更审核 - 科普基地服务平台" }];

export async function loader({ request, params, context }: Route.LoaderArgs) {
  await requireUser(context, request, "bases:manage");
  const actor = actorOf(context);
  const { report, base } = await orFail(getChangeReport(context.app, actor, params.id));
  const names = new Map((await listRegions(context.app)).map((r) => [r.code, r.name]));
  const files = await listFiles(context.app, actor, "change_report", report.id);
  return {
    report: changeReportView({ ...report, base_name: base.name, region_code: base.region_code }),
    base: baseView(base, names),
    major: MAJOR_CHANGE_KINDS.includes(report.kind),
    files: files.map((f) => ({ id: f.id, name: f.name, url: f.url })),
  };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  await requireUser(context, request, "bases:manage");
  const fd = await readForm(request);
  const parsed = parseForm(decideChangeSchema, fd);
  if (!parsed.ok) return invalid(parsed.failure);
  try {
    await decideChangeReport(context.app, actorOf(context), params.id, parsed.data);
    return {
      ok: true as const,
      done: parsed.data.decision === "approve" ? "已同意变更，基地信息已更新" : "已退回",
    };
  } catch (e) {
    return failWith(e, fd);
  }
}

export default function AdminChangeDetail({ loaderData, actionData }: Route.ComponentProps) {
  const busy = useNavigation().state === "submitting";
  const { report: r, base: b, major, files } = loaderData;
  const failure = actionData && !actionData.ok ? actionData : undefined;
  const errors = failure?.fieldErrors ?? {};
  const values = failure?.values ?? {};
  return (
    <>
      <Typography.Text>
        <Link to="/admin/changes">变更审核</Link> / {b.name}
      </Typography.Text>
      <div style={{ margin: "8px 0 16px" }}>
        <PageTitle style={{ display: "inline", marginRight: 8 }}>
          {r.kindLabel}：{b.name}
        </PageTitle>
        <Tag color={CHANGE_STATUS_COLORS[r.status]}>{r.statusLabel}</Tag>
      </div>
      {actionData?.ok && (
        <Alert type="success" showIcon role="status" title={actionData.done} style={{ marginBottom: 16 }} />
      )}
      <FormAlert failure={failure} />
      {r.late && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={`逾期报告：变更发生于 ${r.happenedOn}，应在 ${r.deadline} 前报告，实际提交于 ${r.filedAt}`}
          description={
            major
              ? "依据第十八条（三），改制、重组、分立、合并未在三个月内报告的，同意变更后该基地将被列为警示状态；情节严重的可另行撤销命名。"
              : "该变更不属于改制、重组、分立、合并，同意后不改变基地状态。"
          }
        />
      )}
      <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} style={{ marginBottom: 16 }}>
        <Descriptions.Item label="基地">
          <Link to={`/admin/bases/${b.id}`}>{b.name}</Link>{" "}
          <Tag color={BASE_STATUS_COLORS[b.status]}>{b.statusLabel}</Tag>
        </Descriptions.Item>
        <Descriptions.Item label="所在区域">{b.county}</Descriptions.Item>
        <Descriptions.Item label="变更类型">{r.kindLabel}</Descriptions.Item>
        <Descriptions.Item label="变更发生日期">{r.happenedOn}</Descriptions.Item>
        <Descriptions.Item label="提交时间">{r.filedAt}</Descriptions.Item>
        <Descriptions.Item label="报告期限">{r.deadline}</Descriptions.Item>
        <Descriptions.Item label="变更说明" span={2}>
          <Typography.Paragraph style={{ whiteSpace: "pre-wrap", margin: 0 }}>
            {r.explanation}
          </Typography.Paragraph>
        </Descriptions.Item>
        {r.status !== "pending" && (
          <Descriptions.Item label="审核意见" span={2}>
            {r.reply || "（无）"}（{r.decidedAt}）
          </Descriptions.Item>
        )}
      </Descriptions>
      <Card size="small" title="变更内容" style={{ marginBottom: 16 }}>
        <Table
          rowKey="field"
          size="small"
          pagination={false}
          dataSource={r.changes}
          columns={[
            { title: "项目", dataIndex: "label" },
            { title: "变更前", dataIndex: "before" },
            { title: "变更后", dataIndex: "after" },
          ]}
        />
      </Card>
      <Card size="small" title="变更证明材料" style={{ marginBottom: 16 }}>
        {files.length === 0 ? (
          <Typography.Text type="secondary">未上传</Typography.Text>
        ) : (
          <ul style={{ margin: 0 }}>
            {files.map((f) => (
              <li key={f.id}>
                <a href={f.url}>{f.name}</a>
              </li>
            ))}
          </ul>
        )}
      </Card>
      {r.status === "pending" && (
        <Card size="small" title="审核">
          <Form method="post" noValidate>
            <input type="hidden" name="version" value={r.version} />
            <FieldLayout>
              <Field label="审核结论" htmlFor="decision" error={errors.decision} required>
                <Radio.Group
                  id="decision"
                  name="decision"
                  defaultValue={values.decision}
                  options={[
                    { value: "approve", label: "同意变更（更新基地信息）" },
                    { value: "return", label: "退回" },
                  ]}
                />
              </Field>
              <Field label="审核意见" htmlFor="reply" error={errors.reply} extra="退回时必填，基地单位可见">
                <Input.TextArea
                  id="reply"
                  name="reply"
                  rows={3}
                  defaultValue={values.reply ?? ""}
                  aria-invalid={!!errors.reply}
                />
              </Field>
              <Button type="primary" htmlType="submit" loading={busy}>
                提交审核结论
              </Button>
            </FieldLayout>
          </Form>
        </Card>
      )}
    </>
  );
}
