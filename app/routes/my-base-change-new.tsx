import { Alert, Button, Card, Input, Radio, Space, Typography } from "antd";
import { useState } from "react";
import { Form, Link, redirect, useNavigation } from "react-router";
import {
  CHANGE_FIELD_LABELS,
  CHANGE_FIELDS,
  CHANGE_KIND_LABELS,
  CHANGE_KINDS,
  type ChangeField,
  changeReportDeadline,
  isIsoDate,
  MAJOR_CHANGE_KINDS,
  shanghaiDate,
} from "#src/modules/bases/bases.rules.ts";
import { changeReportSchema } from "#src/modules/bases/bases.schema.ts";
import { fileChangeReport, getOwnBase } from "#src/modules/bases/bases.server.ts";
import { slotView } from "#src/modules/bases/bases.view.server.ts";
import { listFiles } from "#src/modules/files/files.server.ts";
import { getOwnTeam } from "#src/modules/volunteers/volunteers.server.ts";
import type { ChangeKind } from "#src/platform/db/schema.ts";
import { AttachmentUpload } from "~/components/attachment-upload";
import { FormAlert } from "~/components/form-alert";
import { Field, FieldLayout } from "~/components/form-field";
import { ButtonLink, PageTitle } from "~/components/plain";
import { actorOf, failWith, invalid, orFail, parseForm, readForm, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/my-base-change-new";

export const meta: Route.MetaFunction = () => [{ title: "变更申报 - 科普基地服务平台" }];

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "bases:own");
  const actor = actorOf(context);
  const own = await orFail(getOwnBase(context.app, actor));
  if (!own || own.base.status === "revoked") throw redirect("/my-base");
  const files = await listFiles(context.app, actor, "base_change", own.base.id);
  const { team } = await getOwnTeam(context.app, actor);
  const b = own.base;
  const kind = new URL(request.url).searchParams.get("kind") ?? "";
  return {
    baseId: b.id,
    // 【科技志愿服务队】 links here with ?kind=volunteer_team.
    kind: (CHANGE_KINDS as readonly string[]).includes(kind) ? (kind as ChangeKind) : "rename",
    today: shanghaiDate(context.app.clock.now()),
    pending: own.reports.some((r) => r.status === "pending"),
    current: {
      name: b.name,
      unitName: b.unit_name,
      address: b.address,
      leaderName: b.leader_name,
      leaderPhone: b.leader_phone,
      contactName: b.contact_name,
      contactPhone: b.contact_phone,
      teamName: team?.name ?? "",
      teamStvsOrgNo: team?.stvs_org_no ?? "",
    } satisfies Record<ChangeField, string>,
    evidence: slotView("change_evidence", files),
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  await requireUser(context, request, "bases:own");
  const fd = await readForm(request);
  const parsed = parseForm(changeReportSchema, fd);
  if (!parsed.ok) return invalid({ ...parsed.failure, message: "变更申报有填写不正确的内容，请按提示修改" });
  try {
    await fileChangeReport(context.app, actorOf(context), parsed.data);
  } catch (e) {
    return failWith(e, fd);
  }
  return redirect("/my-base?filed=1");
}

export default function MyBaseChangeNew({ loaderData, actionData }: Route.ComponentProps) {
  const busy = useNavigation().state === "submitting";
  const failure = actionData && !actionData.ok ? actionData : undefined;
  const errors = failure?.fieldErrors ?? {};
  const values = failure?.values ?? {};
  // The echoed value is what was posted: only a known kind may index CHANGE_FIELDS.
  const [kind, setKind] = useState<ChangeKind>(
    (CHANGE_KINDS as readonly string[]).includes(values.kind ?? "")
      ? (values.kind as ChangeKind)
      : loaderData.kind,
  );
  const [happenedOn, setHappenedOn] = useState(values.happenedOn ?? "");
  const d = loaderData;
  const late = isIsoDate(happenedOn) && d.today > changeReportDeadline(happenedOn);
  return (
    <>
      <Typography.Text>
        <Link to="/my-base">我的基地</Link> / 变更申报
      </Typography.Text>
      <PageTitle>变更申报</PageTitle>
      <Typography.Paragraph type="secondary">
        依据《衢州市科普教育基地创建与认定管理办法》第十八条，基地创建单位发生调整、分立、合并、重组等变更时，应在变更后三个月内向市基地认定办公室通报办理变更手续。
      </Typography.Paragraph>
      {d.pending && (
        <Alert
          type="info"
          showIcon
          title="已有一份变更申报正在审核，请等待审核结果后再申报"
          style={{ marginBottom: 16 }}
        />
      )}
      <FormAlert failure={failure} />
      <Form method="post" noValidate>
        <FieldLayout>
          <Card size="small" style={{ marginBottom: 16 }}>
            <Field label="变更类型" htmlFor="kind" error={errors.kind} required>
              <Radio.Group
                id="kind"
                name="kind"
                value={kind}
                onChange={(e) => setKind(e.target.value)}
                options={CHANGE_KINDS.map((k) => ({ value: k, label: CHANGE_KIND_LABELS[k] }))}
              />
            </Field>
            <Field
              label="变更发生日期"
              htmlFor="happenedOn"
              error={errors.happenedOn}
              required
              extra={isIsoDate(happenedOn) ? `应在 ${changeReportDeadline(happenedOn)} 前报告` : undefined}
            >
              <Input
                id="happenedOn"
                name="happenedOn"
                type="date"
                max={d.today}
                value={happenedOn}
                onChange={(e) => setHappenedOn(e.target.value)}
                aria-invalid={!!errors.happenedOn}
                style={{ maxWidth: 200 }}
              />
            </Field>
            {late && (
              <Alert
                type="warning"
                showIcon
                style={{ marginBottom: 16 }}
                title="已超过变更后三个月的报告期限"
                description={
                  MAJOR_CHANGE_KINDS.includes(kind)
                    ? "改制、重组、分立、合并未在三个月内报告的，审核同意后基地将被列为警示状态（第十八条（三））。仍请如实申报。"
                    : "仍请如实申报并说明原因。"
                }
              />
            )}
          </Card>
          <Card size="small" title="变更后的信息" style={{ marginBottom: 16 }}>
            {CHANGE_FIELDS[kind].map((f) => (
              <Field
                key={`${kind}-${f}`}
                label={CHANGE_FIELD_LABELS[f]}
                htmlFor={f}
                error={errors[f]}
                extra={`当前：${d.current[f] || "（未填写）"}`}
              >
                <Input id={f} name={f} defaultValue={values[f] ?? ""} aria-invalid={!!errors[f]} />
              </Field>
            ))}
            <Field label="变更说明" htmlFor="explanation" error={errors.explanation} required>
              <Input.TextArea
                id="explanation"
                name="explanation"
                rows={4}
                defaultValue={values.explanation ?? ""}
                aria-invalid={!!errors.explanation}
              />
            </Field>
          </Card>
          <Card
            size="small"
            title={`${d.evidence.label}（如批复文件、营业执照等，最多 ${d.evidence.max} 个）`}
            style={{ marginBottom: 16 }}
          >
            <AttachmentUpload
              id="file_change_evidence"
              action={`/files/base_change/${d.baseId}/change_evidence`}
              accept={d.evidence.accept}
              max={d.evidence.max}
              image={false}
              files={d.evidence.files}
            />
          </Card>
          <Space>
            <Button type="primary" htmlType="submit" loading={busy} disabled={d.pending}>
              提交变更申报
            </Button>
            <ButtonLink to="/my-base">返回</ButtonLink>
          </Space>
        </FieldLayout>
      </Form>
    </>
  );
}
