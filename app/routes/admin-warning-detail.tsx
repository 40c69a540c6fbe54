import { Alert, Button, Card, Descriptions, Input, Radio, Space, Tag, Typography } from "antd";
import { Form, Link, useNavigation, useSearchParams } from "react-router";
import { can } from "#src/modules/accounts/accounts.policy.ts";
import { REVOCATION_REASONS } from "#src/modules/bases/bases.rules.ts";
import {
  RECHECK_FAIL_REASONS,
  WARNING_STATUS_COLORS,
} from "#src/modules/dynamic-management/dynamic-management.rules.ts";
import {
  confirmSchema,
  noteSchema,
  recheckSchema,
  rectifySchema,
} from "#src/modules/dynamic-management/dynamic-management.schema.ts";
import {
  decideWarning,
  getWarning,
  warningWritableRegion,
} from "#src/modules/dynamic-management/dynamic-management.server.ts";
import {
  eventView,
  WARNING_ACCEPT,
  warningView,
} from "#src/modules/dynamic-management/dynamic-management.view.server.ts";
import { listFiles } from "#src/modules/files/files.server.ts";
import { AttachmentUpload } from "~/components/attachment-upload";
import { DeadlineDateInput } from "~/components/deadline-date";
import { FormAlert } from "~/components/form-alert";
import { Field, FieldLayout } from "~/components/form-field";
import { PageTitle, SectionTitle } from "~/components/plain";
import { WarningTimeline } from "~/components/warning-timeline";
import { actorOf, failWith, invalid, orFail, parseForm, readForm, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/admin-warning-detail";

export const meta: Route.MetaFunction = ({ data }) => [
  { title: `${data?.baseName ?? "警示"} - 动态管理 - 科普基地服务平台` },
];

const DONE: Record<string, string> = {
  issued: "已列入警示，并已通知基地",
  proposed: "已提出拟警示，待市科协或市基地认定办公室确认",
  confirm: "已确认警示，并已通知基地",
  dismiss: "已决定不予警示",
  rectify: "已下达限期整改，并已通知基地",
  recheck: "已提交复查结论",
  lift: "已解除警示，并已通知基地",
};

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const me = await requireUser(context, request, "warnings:read");
  const actor = actorOf(context);
  const v = await orFail(getWarning(context.app, actor, params.id));
  const files = await listFiles(context.app, actor, "base_warning", params.id);
  const now = context.app.clock.now().toISOString();
  return {
    warning: warningView(v.warning, now),
    accept: WARNING_ACCEPT,
    baseName: v.baseName,
    baseRevoked: v.baseStatus === "revoked",
    actions: v.actions,
    events: v.events.map(eventView),
    canRevoke: can(me, "bases:manage"),
    canUpload: !!(await warningWritableRegion(context.app, actor, params.id, "warning_evidence")),
    files: files.map((f) => ({ id: f.id, name: f.name, url: f.url, slot: f.slot, thumbUrl: f.thumbUrl })),
  };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  await requireUser(context, request, "warnings:read");
  const fd = await readForm(request);
  const intent = String(fd.get("intent") ?? "");
  const app = context.app;
  const actor = actorOf(context);
  try {
    if (intent === "confirm") {
      const p = parseForm(confirmSchema, fd);
      if (!p.ok) return invalid(p.failure);
      await decideWarning(app, actor, params.id, { action: "confirm", input: p.data });
    } else if (intent === "dismiss" || intent === "lift") {
      const p = parseForm(noteSchema, fd);
      if (!p.ok) return invalid(p.failure);
      await decideWarning(app, actor, params.id, { action: intent, input: p.data });
    } else if (intent === "rectify") {
      const p = parseForm(rectifySchema, fd);
      if (!p.ok) return invalid(p.failure);
      await decideWarning(app, actor, params.id, { action: "rectify", input: p.data });
    } else if (intent === "recheck") {
      const p = parseForm(recheckSchema, fd);
      if (!p.ok) return invalid(p.failure);
      await decideWarning(app, actor, params.id, { action: "recheck", input: p.data });
    } else return invalid({ ok: false, message: "未知操作", fieldErrors: {}, values: {} }, 400);
    return { ok: true as const, done: DONE[intent] };
  } catch (e) {
    return failWith(e, fd);
  }
}

export default function AdminWarningDetail({ loaderData, actionData }: Route.ComponentProps) {
  const busy = useNavigation().state === "submitting";
  const [sp] = useSearchParams();
  const { warning: w, baseName, actions, events, files } = loaderData;
  const failure = actionData && !actionData.ok ? actionData : undefined;
  const values = failure?.values ?? {};
  // Each form shows its own errors and keeps what was typed into it.
  const errorsOf = (intent: string) => (values.intent === intent ? (failure?.fieldErrors ?? {}) : {});
  const typed = (intent: string, name: string) => (values.intent === intent ? (values[name] ?? "") : "");
  const done = actionData?.ok ? actionData.done : DONE[sp.get("done") ?? ""];
  const has = (a: string) => actions.includes(a as (typeof actions)[number]);
  const evidence = files.filter((f) => f.slot === "warning_evidence");
  const report = files.filter((f) => f.slot === "report_evidence");
  const noteForm = (intent: "dismiss" | "lift", title: string, button: string, danger = false) => {
    const errors = errorsOf(intent);
    return (
      <Card size="small" title={title}>
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value={intent} />
          <input type="hidden" name="version" value={w.version} />
          <FieldLayout>
            <Field label="处理说明" htmlFor={`${intent}-note`} error={errors.note} required>
              <Input.TextArea
                id={`${intent}-note`}
                name="note"
                rows={2}
                maxLength={1000}
                defaultValue={typed(intent, "note")}
                aria-invalid={!!errors.note}
              />
            </Field>
            <Button htmlType="submit" loading={busy} danger={danger}>
              {button}
            </Button>
          </FieldLayout>
        </Form>
      </Card>
    );
  };
  const measuresFields = (intent: "confirm" | "rectify", required: boolean) => {
    const errors = errorsOf(intent);
    return (
      <>
        <Field label="整改要求" htmlFor={`${intent}-measures`} error={errors.measures} required={required}>
          <Input.TextArea
            id={`${intent}-measures`}
            name="measures"
            rows={3}
            maxLength={2000}
            defaultValue={typed(intent, "measures") || w.measures}
            aria-invalid={!!errors.measures}
          />
        </Field>
        <Field label="整改期限" htmlFor={`${intent}-deadline`} error={errors.deadline} required={required}>
          <DeadlineDateInput
            id={`${intent}-deadline`}
            name="deadline"
            defaultValue={typed(intent, "deadline") || w.deadline}
          />
        </Field>
      </>
    );
  };
  const recheckErrors = errorsOf("recheck");
  return (
    <>
      <Typography.Text>
        <Link to="/admin/warnings">动态管理</Link> / {baseName}
      </Typography.Text>
      <div style={{ margin: "8px 0 16px" }}>
        <PageTitle style={{ display: "inline", marginRight: 8 }}>{baseName}</PageTitle>
        <Tag color={WARNING_STATUS_COLORS[w.status]}>{w.statusLabel}</Tag>
        {w.overdue && <Tag color="red">整改逾期</Tag>}
        <Link to={`/admin/bases/${w.baseId}`}>基地详情</Link>
      </div>
      {done && <Alert type="success" showIcon role="status" title={done} style={{ marginBottom: 16 }} />}
      <FormAlert failure={failure} />
      {loaderData.baseRevoked && (
        <Alert type="error" showIcon style={{ marginBottom: 16 }} title="该基地已被撤销命名" />
      )}
      {w.status === "revocation_proposed" && !loaderData.baseRevoked && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={`复查未通过，建议撤销命名：${w.revocationReasonLabel}`}
          description={
            loaderData.canRevoke ? (
              <Link to={`/admin/bases/${w.baseId}?revocation=${w.revocationReason ?? ""}#revoke`}>
                前往基地详情，撤销命名
              </Link>
            ) : (
              "待市基地认定办公室撤销命名。"
            )
          }
        />
      )}
      <Descriptions bordered size="small" column={1} style={{ marginBottom: 16 }}>
        <Descriptions.Item label="来源">{w.source}</Descriptions.Item>
        <Descriptions.Item label="警示理由">
          <span style={{ whiteSpace: "pre-wrap" }}>{w.reason}</span>
        </Descriptions.Item>
        {w.evidence && (
          <Descriptions.Item label="情况说明">
            <span style={{ whiteSpace: "pre-wrap" }}>{w.evidence}</span>
          </Descriptions.Item>
        )}
        <Descriptions.Item label="整改要求">
          <span style={{ whiteSpace: "pre-wrap" }}>{w.measures || "—"}</span>
        </Descriptions.Item>
        <Descriptions.Item label="整改期限">
          {w.deadline ? `${w.deadline} 24:00（北京时间）` : "—"}
        </Descriptions.Item>
        <Descriptions.Item label="整改报告">
          {w.reportAt ? (
            <>
              <div style={{ whiteSpace: "pre-wrap" }}>{w.reportText}</div>
              <div className="kepu-muted">提交于 {w.reportAt}</div>
              {report.map((f) => (
                <div key={f.id}>
                  <a href={f.url}>{f.name}</a>
                </div>
              ))}
            </>
          ) : (
            "未提交"
          )}
        </Descriptions.Item>
        {w.recheckNote && <Descriptions.Item label="复查意见">{w.recheckNote}</Descriptions.Item>}
        {w.inspection && <Descriptions.Item label="实地核查记录">{w.inspection}</Descriptions.Item>}
        <Descriptions.Item label="列入时间">{w.createdAt}</Descriptions.Item>
      </Descriptions>
      <Card size="small" title="警示依据材料" style={{ marginBottom: 16 }}>
        {loaderData.canUpload ? (
          <AttachmentUpload
            id="file_warning_evidence"
            label="警示依据材料"
            action={`/files/base_warning/${w.id}/warning_evidence`}
            accept={loaderData.accept}
            max={10}
            image={false}
            files={evidence}
          />
        ) : evidence.length ? (
          evidence.map((f) => (
            <div key={f.id}>
              <a href={f.url}>{f.name}</a>
            </div>
          ))
        ) : (
          <Typography.Text type="secondary">无</Typography.Text>
        )}
      </Card>
      {actions.length > 0 && (
        <>
          <SectionTitle>处理</SectionTitle>
          <Space orientation="vertical" size="middle" style={{ width: "100%", marginBottom: 16 }}>
            {has("confirm") && (
              <Card size="small" title="确认警示">
                <Form method="post" noValidate>
                  <input type="hidden" name="intent" value="confirm" />
                  <input type="hidden" name="version" value={w.version} />
                  <FieldLayout>
                    <Field label="说明" htmlFor="confirm-note" error={errorsOf("confirm").note}>
                      <Input.TextArea
                        id="confirm-note"
                        name="note"
                        rows={2}
                        maxLength={1000}
                        defaultValue={typed("confirm", "note")}
                      />
                    </Field>
                    {measuresFields("confirm", false)}
                    <Button type="primary" htmlType="submit" loading={busy}>
                      确认警示
                    </Button>
                  </FieldLayout>
                </Form>
              </Card>
            )}
            {has("dismiss") && noteForm("dismiss", "不予警示", "不予警示")}
            {has("rectify") && (
              <Card size="small" title="下达限期整改">
                <Form method="post" noValidate>
                  <input type="hidden" name="intent" value="rectify" />
                  <input type="hidden" name="version" value={w.version} />
                  <FieldLayout>
                    {measuresFields("rectify", true)}
                    <Button type="primary" htmlType="submit" loading={busy}>
                      下达限期整改
                    </Button>
                  </FieldLayout>
                </Form>
              </Card>
            )}
            {(has("recheck_pass") || has("recheck_fail")) && (
              <Card size="small" title="复查">
                <Form method="post" noValidate>
                  <input type="hidden" name="intent" value="recheck" />
                  <input type="hidden" name="version" value={w.version} />
                  <FieldLayout>
                    <Field
                      label="复查结论"
                      htmlFor="recheck-decision"
                      error={recheckErrors.decision}
                      required
                    >
                      <Radio.Group
                        id="recheck-decision"
                        name="decision"
                        defaultValue={typed("recheck", "decision") || undefined}
                        options={[
                          ...(has("recheck_pass") ? [{ value: "pass", label: "通过，解除警示" }] : []),
                          { value: "fail", label: "不通过，建议撤销命名" },
                        ]}
                      />
                    </Field>
                    <Field label="复查意见" htmlFor="recheck-note" error={recheckErrors.note} required>
                      <Input.TextArea
                        id="recheck-note"
                        name="note"
                        rows={3}
                        maxLength={2000}
                        defaultValue={typed("recheck", "note")}
                        aria-invalid={!!recheckErrors.note}
                      />
                    </Field>
                    <Field
                      label="实地核查记录（可选）"
                      htmlFor="recheck-inspection"
                      error={recheckErrors.inspection}
                    >
                      <Input.TextArea
                        id="recheck-inspection"
                        name="inspection"
                        rows={2}
                        maxLength={2000}
                        placeholder="核查日期、人员与情况"
                        defaultValue={typed("recheck", "inspection")}
                      />
                    </Field>
                    <Field
                      label="建议撤销的理由（不通过时）"
                      htmlFor="recheck-revocationReason"
                      error={recheckErrors.revocationReason}
                    >
                      <Radio.Group
                        id="recheck-revocationReason"
                        name="revocationReason"
                        defaultValue={Number(typed("recheck", "revocationReason")) || undefined}
                        style={{ display: "flex", flexDirection: "column", gap: 8 }}
                        options={REVOCATION_REASONS.filter((r) =>
                          (RECHECK_FAIL_REASONS as readonly number[]).includes(r.code),
                        ).map((r) => ({
                          value: r.code,
                          label: `第十八条（${"一二三四五"[r.code - 1]}）${r.label}`,
                        }))}
                      />
                    </Field>
                    <Button type="primary" htmlType="submit" loading={busy}>
                      提交复查结论
                    </Button>
                  </FieldLayout>
                </Form>
              </Card>
            )}
            {has("lift") && noteForm("lift", "解除警示", "解除警示")}
          </Space>
        </>
      )}
      <Card size="small" title="处理记录">
        <WarningTimeline events={events} />
      </Card>
    </>
  );
}
