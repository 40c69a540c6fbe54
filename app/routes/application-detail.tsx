import {
  Alert,
  Button,
  Card,
  Descriptions,
  Image,
  Input,
  List,
  Radio,
  Space,
  Tag,
  Timeline,
  Typography,
} from "antd";
import { useState } from "react";
import { Form, Link, useNavigation, useSearchParams } from "react-router";
import { ROLE_LABELS } from "#src/modules/accounts/accounts.policy.ts";
import { APPLICATION_SLOTS } from "#src/modules/applications/application-attachments.server.ts";
import {
  ACTION_LABELS,
  allowedActions,
  BASIC_CONDITIONS,
  NOTICE_ACTION_LABELS,
  opinionRequired,
  type ReviewAction,
} from "#src/modules/applications/applications.rules.ts";
import { inspectionSchema, reviewSchema } from "#src/modules/applications/applications.schema.ts";
import {
  getApplication,
  recordSiteInspection,
  reviewApplication,
  withdrawApplication,
} from "#src/modules/applications/applications.server.ts";
import { formatDeadline } from "#src/modules/calls/calls.rules.ts";
import { listFiles } from "#src/modules/files/files.server.ts";
import { regionName } from "#src/modules/regions/regions.server.ts";
import { formatShanghai } from "#src/platform/clock.ts";
import { CATEGORIES } from "#src/platform/db/reference-data.ts";
import type { Role } from "#src/platform/db/schema.ts";
import { AttachmentUpload } from "~/components/attachment-upload";
import { DeadlineDateInput } from "~/components/deadline-date";
import { FormAlert } from "~/components/form-alert";
import { Field, FieldLayout } from "~/components/form-field";
import { ButtonLink, PageTitle } from "~/components/plain";
import { StatusTag } from "~/components/status-tag";
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
import type { Route } from "./+types/application-detail";

export const meta: Route.MetaFunction = ({ data }) => [
  { title: `${data?.app.baseName || "申报详情"} - 科普基地服务平台` },
];

const ACTION_NAMES: Record<string, string> = {
  ...ACTION_LABELS,
  ...NOTICE_ACTION_LABELS,
  inspect: "实地抽查",
};

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const user = await requireUser(context, request);
  const actor = actorOf(context);
  const { app, events, callTitle } = await orFail(getApplication(context.app, actor, params.id));
  const files = await listFiles(context.app, actor, "application", app.id);
  const conditions: { confirmed: boolean; note: string }[] = JSON.parse(app.conditions || "[]");
  const actions = allowedActions(app, user.role).filter((a) => a !== "submit" && a !== "resubmit");
  return {
    isApplicant: user.role === "org",
    isStaff: user.role !== "org",
    canInspect: user.role === "city" && app.status === "city_review",
    actions,
    editable: user.role === "org" && (app.status === "draft" || app.status === "returned"),
    app: {
      id: app.id,
      version: app.version,
      status: app.status,
      applicationNo: app.application_no ?? "",
      callTitle,
      region: await regionName(context.app, app.region_code),
      category: CATEGORIES.find((c) => c.code === app.category_code)?.name ?? "",
      baseName: app.base_name,
      unitName: app.unit_name,
      address: app.address,
      leader: `${app.leader_name} ${app.leader_phone}`,
      contact: `${app.contact_name} ${app.contact_phone}`,
      bookingPhone: app.booking_phone,
      volunteer: `${app.volunteer_team_name}（${app.volunteer_count ?? "-"}人）`,
      volunteerLeader: `${app.volunteer_leader} ${app.volunteer_leader_phone}`,
      openingForm: app.opening_form ?? "",
      area: app.area_sqm === null ? "" : `${app.area_sqm} 平方米`,
      openDays: app.open_days === null ? "" : `${app.open_days} 天`,
      intro: app.intro,
      honors: app.honors,
      cityScore: app.city_score,
      submittedAt: formatShanghai(app.submitted_at),
      returnDeadline: formatDeadline(app.return_deadline),
      conditions: BASIC_CONDITIONS.map((c, i) => ({
        text: c,
        ...(conditions[i] ?? { confirmed: false, note: "" }),
      })),
    },
    slots: [...APPLICATION_SLOTS, { id: "site_inspection_photos", label: "实地抽查照片" }].map((s) => ({
      id: s.id,
      label: s.label,
      files: files
        .filter((f) => f.slot === s.id)
        .map((f) => ({ id: f.id, name: f.name, kind: f.kind, url: f.url, thumbUrl: f.thumbUrl })),
    })),
    events: events.map((e) => {
      const detail = e.detail ? (JSON.parse(e.detail) as Record<string, string>) : {};
      return {
        id: e.id,
        at: formatShanghai(e.at),
        actor: `${e.actor_label ?? ""}（${ROLE_LABELS[e.actor_role as Role] ?? ""}）`,
        action: ACTION_NAMES[e.action] ?? e.action,
        opinion: e.opinion,
        internalNote: e.internal_note,
        opinionDate: e.opinion_date,
        score: e.score,
        inspection: e.action === "inspect" ? detail : null,
        returnDeadline: detail.returnDeadline ? formatDeadline(detail.returnDeadline) : null,
      };
    }),
  };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  await requireUser(context, request);
  const fd = await readForm(request);
  const intent = fd.get("intent");
  const actor = actorOf(context);
  try {
    if (intent === "withdraw") {
      await withdrawApplication(context.app, actor, params.id, versionOf(fd));
      return { ok: true as const, done: "申报已撤回" };
    }
    if (intent === "inspect") {
      const parsed = parseForm(inspectionSchema, fd);
      if (!parsed.ok) return invalid(parsed.failure);
      await recordSiteInspection(context.app, actor, params.id, parsed.data);
      return { ok: true as const, done: "实地抽查记录已保存" };
    }
    const parsed = parseForm(reviewSchema, fd);
    if (!parsed.ok) return invalid(parsed.failure);
    await reviewApplication(context.app, actor, params.id, parsed.data);
    return { ok: true as const, done: `已${ACTION_LABELS[parsed.data.action]}` };
  } catch (e) {
    return failWith(e, fd);
  }
}

function ReviewPanel({
  actions,
  version,
  role,
}: {
  actions: ReviewAction[];
  version: number;
  role: "county" | "city" | "office" | "other";
}) {
  const [choice, setChoice] = useState<ReviewAction | undefined>();
  const busy = useNavigation().state === "submitting";
  return (
    <Card
      title={role === "county" ? "推荐意见" : role === "city" ? "评审意见" : "审核确认"}
      size="small"
      style={{ marginTop: 16 }}
    >
      <Form method="post" noValidate>
        <input type="hidden" name="version" value={version} />
        <FieldLayout>
          <Field label="审核结论" htmlFor="action" required>
            <Radio.Group
              id="action"
              name="action"
              onChange={(e) => setChoice(e.target.value)}
              options={actions.map((a) => ({ value: a, label: ACTION_LABELS[a] }))}
            />
          </Field>
          <Field
            label={choice === "return" ? "退回理由" : "意见"}
            htmlFor="opinion"
            required={!!choice && opinionRequired(choice)}
            extra="申报单位可以看到此意见"
          >
            <Input.TextArea id="opinion" name="opinion" autoSize={{ minRows: 3 }} maxLength={2000} />
          </Field>
          {choice === "return" && (
            <Field label="重新提交期限" htmlFor="returnDeadline" required>
              <DeadlineDateInput id="returnDeadline" name="returnDeadline" />
            </Field>
          )}
          {role === "county" && (
            <Field label="推荐日期" htmlFor="opinionDate">
              <Input id="opinionDate" name="opinionDate" type="date" style={{ width: 200 }} />
            </Field>
          )}
          {role === "city" && choice === "pass" && (
            <Field label="评分（选填，0–100）" htmlFor="score">
              <Input id="score" name="score" inputMode="decimal" style={{ width: 200 }} />
            </Field>
          )}
          <Field label="内部备注" htmlFor="internalNote" extra="仅工作人员可见，申报单位看不到">
            <Input.TextArea
              id="internalNote"
              name="internalNote"
              autoSize={{ minRows: 2 }}
              maxLength={2000}
            />
          </Field>
          <Button type="primary" htmlType="submit" loading={busy} disabled={!choice}>
            确定
          </Button>
        </FieldLayout>
      </Form>
    </Card>
  );
}

export default function ApplicationDetail({ loaderData, actionData }: Route.ComponentProps) {
  const { app, slots, events } = loaderData;
  const [sp] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const failure = actionData && !actionData.ok ? actionData : undefined;
  const reviewRole = loaderData.actions.includes("recommend")
    ? "county"
    : loaderData.actions.includes("pass")
      ? "city"
      : loaderData.actions.includes("confirm")
        ? "office"
        : "other";
  return (
    <>
      <Typography.Text>
        <Link to={loaderData.isApplicant ? "/applications" : "/review"}>
          {loaderData.isApplicant ? "我的申报" : "申报审核"}
        </Link>{" "}
        / {app.baseName || "申报详情"}
      </Typography.Text>
      <Space align="center" wrap style={{ display: "flex", margin: "8px 0 16px" }}>
        <PageTitle style={{ margin: 0 }}>{app.baseName || "（未填写基地名称）"}</PageTitle>
        <StatusTag status={app.status} />
        {app.applicationNo && (
          <Typography.Text type="secondary">申报编号 {app.applicationNo}</Typography.Text>
        )}
      </Space>
      {sp.get("submitted") && !actionData && (
        <Alert
          type="success"
          showIcon
          title="申报已提交，请等待县（市、区）推荐。审核进度会在此页和消息中通知您。"
          style={{ marginBottom: 16 }}
        />
      )}
      {actionData?.ok && (
        <Alert type="success" showIcon title={actionData.done} style={{ marginBottom: 16 }} role="status" />
      )}
      <FormAlert failure={failure} />
      {failure && Object.keys(failure.fieldErrors).length > 0 && (
        <Alert
          type="error"
          showIcon
          title={Object.values(failure.fieldErrors).join("；")}
          style={{ marginBottom: 16 }}
          role="alert"
        />
      )}
      <Space wrap style={{ marginBottom: 16 }}>
        {loaderData.editable && (
          <ButtonLink to={`/applications/${app.id}/edit`} type="primary">
            {app.status === "returned" ? "修改后重新提交" : "继续填写"}
          </ButtonLink>
        )}
        <ButtonLink to={`/applications/${app.id}/pdf`} reloadDocument>
          打印申报表（PDF）
        </ButtonLink>
        {loaderData.isStaff && (
          <ButtonLink to={`/applications/${app.id}/attachments.zip`} reloadDocument>
            下载全部附件（ZIP）
          </ButtonLink>
        )}
        {loaderData.actions.includes("withdraw") && (
          <Form method="post">
            <input type="hidden" name="version" value={app.version} />
            <Button danger htmlType="submit" name="intent" value="withdraw" loading={busy}>
              撤回申报
            </Button>
          </Form>
        )}
      </Space>

      <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} title="基地基本信息">
        <Descriptions.Item label="申报编号">{app.applicationNo || "提交后生成"}</Descriptions.Item>
        <Descriptions.Item label="申报项目">{app.callTitle}</Descriptions.Item>
        <Descriptions.Item label="所在区域">{app.region}</Descriptions.Item>
        <Descriptions.Item label="申报单位名称">{app.unitName}</Descriptions.Item>
        <Descriptions.Item label="申报类别">{app.category}</Descriptions.Item>
        <Descriptions.Item label="通信地址">{app.address}</Descriptions.Item>
        <Descriptions.Item label="负责人">{app.leader}</Descriptions.Item>
        <Descriptions.Item label="联系人">{app.contact}</Descriptions.Item>
        <Descriptions.Item label="预约参观电话">{app.bookingPhone}</Descriptions.Item>
        <Descriptions.Item label="科技志愿服务队">{app.volunteer}</Descriptions.Item>
        <Descriptions.Item label="志愿者负责人">{app.volunteerLeader}</Descriptions.Item>
        <Descriptions.Item label="开放形式">{app.openingForm}</Descriptions.Item>
        <Descriptions.Item label="科普场所面积">{app.area}</Descriptions.Item>
        <Descriptions.Item label="年开放天数">{app.openDays}</Descriptions.Item>
        <Descriptions.Item label="提交时间">{app.submittedAt}</Descriptions.Item>
        {app.cityScore !== null && loaderData.isStaff && (
          <Descriptions.Item label="市级评分">{app.cityScore}</Descriptions.Item>
        )}
        {app.returnDeadline && (
          <Descriptions.Item label="重新提交期限">{app.returnDeadline}</Descriptions.Item>
        )}
      </Descriptions>
      <Card size="small" title="科普教育基地简介" style={{ marginTop: 16 }}>
        <Typography.Paragraph style={{ whiteSpace: "pre-wrap", margin: 0 }}>{app.intro}</Typography.Paragraph>
      </Card>
      <Card size="small" title="已获命名（荣誉）情况" style={{ marginTop: 16 }}>
        <Typography.Paragraph style={{ whiteSpace: "pre-wrap", margin: 0 }}>
          {app.honors || "无"}
        </Typography.Paragraph>
      </Card>
      <Card size="small" title="基本条件（第五条）" style={{ marginTop: 16 }}>
        <List
          size="small"
          dataSource={app.conditions}
          renderItem={(c, i) => (
            <List.Item>
              <Space orientation="vertical" size={0}>
                <span>
                  {c.confirmed ? <Tag color="green">已确认</Tag> : <Tag>未确认</Tag>}（{"一二三四五六七八"[i]}
                  ）{c.text}
                </span>
                {c.note && <Typography.Text type="secondary">说明：{c.note}</Typography.Text>}
              </Space>
            </List.Item>
          )}
        />
      </Card>
      <Card size="small" title="证明材料" style={{ marginTop: 16 }}>
        {slots
          .filter((s) => s.files.length > 0 || s.id !== "site_inspection_photos")
          .map((s) => (
            <div key={s.id} style={{ marginBottom: 12 }}>
              <Typography.Text strong>{s.label}</Typography.Text>（{s.files.length}）
              <div style={{ marginTop: 8 }}>
                <Image.PreviewGroup>
                  <Space wrap>
                    {s.files.map((f) =>
                      f.kind === "image" ? (
                        <Image
                          key={f.id}
                          width={120}
                          height={90}
                          style={{ objectFit: "cover" }}
                          src={f.thumbUrl ?? `${f.url}?inline=1`}
                          preview={{ src: `${f.url}?inline=1` }}
                          alt={f.name}
                        />
                      ) : (
                        <Space key={f.id}>
                          <span>{f.name}</span>
                          {f.kind === "pdf" && (
                            <a href={`${f.url}?inline=1`} target="_blank" rel="noreferrer">
                              预览
                            </a>
                          )}
                          <a href={f.url}>下载</a>
                        </Space>
                      ),
                    )}
                  </Space>
                </Image.PreviewGroup>
              </div>
            </div>
          ))}
      </Card>
      <Card size="small" title="审核进度" style={{ marginTop: 16 }}>
        {events.length === 0 ? (
          <Typography.Text type="secondary">尚未提交</Typography.Text>
        ) : (
          <Timeline
            items={events.map((e) => ({
              key: e.id,
              content: (
                <>
                  <div>
                    <strong>{e.action}</strong> · {e.actor} · {e.at}
                  </div>
                  {e.opinion && <div>意见：{e.opinion}</div>}
                  {e.opinionDate && <div>日期：{e.opinionDate}</div>}
                  {e.returnDeadline && <div>重新提交期限：{e.returnDeadline}</div>}
                  {e.score !== null && loaderData.isStaff && <div>评分：{e.score}</div>}
                  {e.inspection && (
                    <div>
                      抽查日期：{e.inspection.inspectedOn}；抽查人员：{e.inspection.inspectors}；情况：
                      {e.inspection.findings}
                    </div>
                  )}
                  {e.internalNote && !e.inspection && (
                    <div className="kepu-muted">内部备注：{e.internalNote}</div>
                  )}
                </>
              ),
            }))}
          />
        )}
      </Card>
      {loaderData.isStaff && loaderData.actions.length > 0 && (
        <ReviewPanel actions={loaderData.actions} version={app.version} role={reviewRole} />
      )}
      {loaderData.canInspect && (
        <Card title="实地抽查" size="small" style={{ marginTop: 16 }}>
          <Form method="post" noValidate>
            <input type="hidden" name="version" value={app.version} />
            <input type="hidden" name="intent" value="inspect" />
            <FieldLayout>
              <Field label="抽查日期" htmlFor="inspectedOn" required error={failure?.fieldErrors.inspectedOn}>
                <Input id="inspectedOn" name="inspectedOn" type="date" style={{ width: 200 }} />
              </Field>
              <Field label="抽查人员" htmlFor="inspectors" required error={failure?.fieldErrors.inspectors}>
                <Input id="inspectors" name="inspectors" maxLength={200} />
              </Field>
              <Field label="抽查情况" htmlFor="findings" required error={failure?.fieldErrors.findings}>
                <Input.TextArea id="findings" name="findings" autoSize={{ minRows: 3 }} maxLength={2000} />
              </Field>
              <Field label="抽查照片（选填，最多10张）" htmlFor="file_site_inspection_photos">
                <AttachmentUpload
                  id="file_site_inspection_photos"
                  action={`/files/application/${app.id}/site_inspection_photos`}
                  accept=".jpg,.jpeg,.png,.webp"
                  max={10}
                  image
                  files={slots.find((s) => s.id === "site_inspection_photos")?.files ?? []}
                />
              </Field>
              <Button htmlType="submit" loading={busy}>
                保存抽查记录
              </Button>
            </FieldLayout>
          </Form>
        </Card>
      )}
    </>
  );
}
