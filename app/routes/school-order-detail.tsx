import { Alert, Button, Card, Descriptions, Input, InputNumber, Radio, Rate, Space, Tag } from "antd";
import { useState } from "react";
import { Form, Link, useNavigation } from "react-router";
import { shanghaiDate } from "#src/modules/notifications/notifications.rules.ts";
import {
  answerOrder,
  cancelOrder,
  closeOrder,
  confirmDelivery,
  getOrder,
  rateOrder,
  reassignOrder,
  replyToRating,
  respondToProposal,
  similarItems,
} from "#src/modules/schools/school-orders.server.ts";
import { ORDER_STATUS_COLORS } from "#src/modules/schools/schools.rules.ts";
import { type OrderStep, orderStepSchema } from "#src/modules/schools/schools.schema.ts";
import type { Actor, AppContext } from "#src/platform/context.ts";
import { Field, FieldLayout } from "~/components/form-field";
import { PageTitle } from "~/components/plain";
import { SelectInput } from "~/components/select-input";
import { actorOf, failWith, invalid, orFail, parseForm, readForm, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/school-order-detail";

export const meta: Route.MetaFunction = () => [{ title: "点单详情 - 科普基地服务平台" }];

export async function loader({ request, params, context }: Route.LoaderArgs) {
  await requireUser(context, request);
  const actor = actorOf(context);
  const { side, order } = await orFail(getOrder(context.app, actor, params.id));
  const similar =
    side === "county" && order.status === "dispatch" ? await similarItems(context.app, actor, order.id) : [];
  return { side, order, similar, today: shanghaiDate(context.app.clock.now()) };
}

function takeStep(app: AppContext, actor: Actor, id: string, s: OrderStep): Promise<void> {
  switch (s.intent) {
    case "accept":
      return answerOrder(app, actor, id, { action: "accept", date: s.date, reason: "", version: s.version });
    case "decline":
      return answerOrder(app, actor, id, {
        action: "decline",
        date: "",
        reason: s.reason,
        version: s.version,
      });
    case "propose":
      return answerOrder(app, actor, id, {
        action: "propose",
        date: s.date,
        reason: s.reason,
        version: s.version,
      });
    case "confirm_proposal":
    case "reject_proposal":
      return respondToProposal(app, actor, id, {
        accept: s.intent === "confirm_proposal",
        version: s.version,
      });
    case "cancel":
      return cancelOrder(app, actor, id, { reason: s.reason, version: s.version });
    case "delivered":
      return confirmDelivery(app, actor, id, { held: true, students: s.students, version: s.version });
    case "not_held":
      return confirmDelivery(app, actor, id, { held: false, students: 0, version: s.version });
    case "rate":
      return rateOrder(app, actor, id, s);
    case "reply":
      return replyToRating(app, actor, id, { reply: s.reply, version: s.version });
    case "reassign":
      return reassignOrder(app, actor, id, { itemId: s.itemId, version: s.version });
    case "close":
      return closeOrder(app, actor, id, { reason: s.reason, version: s.version });
  }
}

export async function action({ request, params, context }: Route.ActionArgs) {
  await requireUser(context, request);
  const fd = await readForm(request);
  const parsed = parseForm(orderStepSchema, fd);
  if (!parsed.ok) return invalid(parsed.failure);
  try {
    await takeStep(context.app, actorOf(context), params.id, parsed.data);
  } catch (e) {
    return failWith(e, fd);
  }
  return { ok: true as const };
}

export default function SchoolOrderDetail({ loaderData, actionData }: Route.ComponentProps) {
  const { side, order: o, similar, today } = loaderData;
  const busy = useNavigation().state === "submitting";
  const failed = actionData && "fieldErrors" in actionData ? actionData : null;
  const err = failed?.fieldErrors ?? {};
  const v = failed?.values ?? {};
  const [answer, setAnswer] = useState(v.intent ?? "accept");
  const hidden = (intent: string) => (
    <>
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="version" value={o.version} />
    </>
  );
  const reasonField = (label: string, id = "reason") => (
    <Field label={label} htmlFor={id} error={err.reason}>
      <Input.TextArea
        id={id}
        name="reason"
        rows={2}
        maxLength={500}
        defaultValue={v.reason}
        aria-invalid={!!err.reason}
      />
    </Field>
  );
  const afterDate = !!o.scheduledDate && today >= o.scheduledDate;
  const canCancel = side !== "county" && ["ordered", "proposed", "accepted"].includes(o.status) && !afterDate;
  return (
    <>
      <PageTitle>点单：{o.itemTitle}</PageTitle>
      {actionData && "ok" in actionData && (
        <Alert type="success" showIcon title="已提交" style={{ marginBottom: 12 }} />
      )}
      {failed?.message && (
        <Alert type="error" showIcon title={failed.message} style={{ marginBottom: 12 }} role="alert" />
      )}
      <Descriptions size="small" bordered column={{ xs: 1, sm: 2 }} style={{ marginBottom: 12 }}>
        <Descriptions.Item label="状态">
          <Tag color={ORDER_STATUS_COLORS[o.status]}>{o.statusLabel}</Tag>
          {o.lateCancel && <Tag color="red">临期取消</Tag>}
        </Descriptions.Item>
        <Descriptions.Item label="项目">
          <Link to={`/special/schools/${o.itemId}`}>{o.itemTitle}</Link>
        </Descriptions.Item>
        <Descriptions.Item label="基地">{o.baseName}</Descriptions.Item>
        <Descriptions.Item label="学校">{o.schoolName}</Descriptions.Item>
        <Descriptions.Item label="意向日期">{o.preferredDates.join("、")}</Descriptions.Item>
        <Descriptions.Item label="开展日期">
          {o.scheduledDate ?? (o.proposedDate ? `基地建议：${o.proposedDate}` : "待定")}
        </Descriptions.Item>
        <Descriptions.Item label="班级与人数">{`${o.classes}个班，${o.students}名学生`}</Descriptions.Item>
        <Descriptions.Item label="联系人">{`${o.contactName} ${o.contactPhone}`}</Descriptions.Item>
        {o.status === "ordered" && (
          <Descriptions.Item label="答复期限">{shanghaiDateOf(o.answerDueAt)}</Descriptions.Item>
        )}
        {o.notes && <Descriptions.Item label="备注">{o.notes}</Descriptions.Item>}
        {o.reason && <Descriptions.Item label="理由/说明">{o.reason}</Descriptions.Item>}
        {o.deliveredStudents !== null && (
          <Descriptions.Item label="实际参加">{`${o.deliveredStudents}名学生`}</Descriptions.Item>
        )}
        {o.activityId && (
          <Descriptions.Item label="活动预告">
            <Link to={`/activities/${o.activityId}`}>查看活动</Link>
          </Descriptions.Item>
        )}
      </Descriptions>
      {o.rating && (
        <Card size="small" title="学校评价" style={{ marginBottom: 12 }}>
          内容 {o.rating.content} 分 · 组织 {o.rating.organization} 分 · 安全 {o.rating.safety} 分
          {o.rating.comment && <div>{o.rating.comment}</div>}
          {o.reply && (
            <div style={{ marginTop: 4, background: "#fafafa", padding: 4 }}>基地回复：{o.reply}</div>
          )}
        </Card>
      )}

      {side === "base" && o.status === "ordered" && (
        <Card size="small" title="接单" style={{ marginBottom: 12 }}>
          <Form method="post">
            <input type="hidden" name="version" value={o.version} />
            <FieldLayout>
              <Field label="答复" htmlFor="intent">
                <Radio.Group
                  id="intent"
                  name="intent"
                  value={answer}
                  onChange={(e) => setAnswer(e.target.value)}
                  options={[
                    { value: "accept", label: "接单" },
                    { value: "propose", label: "建议改期" },
                    { value: "decline", label: "婉拒" },
                  ]}
                />
              </Field>
              {answer === "accept" && (
                <Field label="开展日期" htmlFor="date" error={err.date} required>
                  <Radio.Group
                    id="date"
                    name="date"
                    defaultValue={v.date}
                    options={o.preferredDates.map((d) => ({ value: d, label: d }))}
                  />
                </Field>
              )}
              {answer === "propose" && (
                <Field label="建议日期" htmlFor="date" error={err.date} required>
                  <Input id="date" name="date" type="date" defaultValue={v.date} style={{ width: 200 }} />
                </Field>
              )}
              {answer !== "accept" && reasonField(answer === "decline" ? "婉拒理由" : "说明（选填）")}
              <Button type="primary" htmlType="submit" loading={busy}>
                提交答复
              </Button>
            </FieldLayout>
          </Form>
        </Card>
      )}

      {side === "school" && o.status === "proposed" && (
        <Card size="small" title={`基地建议改在 ${o.proposedDate} 开展`} style={{ marginBottom: 12 }}>
          <Space>
            <Form method="post">
              {hidden("confirm_proposal")}
              <Button type="primary" htmlType="submit" loading={busy}>
                同意改期
              </Button>
            </Form>
            <Form method="post">
              {hidden("reject_proposal")}
              <Button htmlType="submit" loading={busy}>
                不同意（取消点单）
              </Button>
            </Form>
          </Space>
        </Card>
      )}

      {side === "school" && o.status === "accepted" && afterDate && (
        <Card size="small" title="确认开展情况" style={{ marginBottom: 12 }}>
          <Form method="post">
            {hidden("delivered")}
            <FieldLayout>
              <Field label="实际参加学生人数" htmlFor="students" error={err.students} required>
                <InputNumber
                  id="students"
                  name="students"
                  min={1}
                  max={3000}
                  defaultValue={Number(v.students) || o.students}
                />
              </Field>
              <Button type="primary" htmlType="submit" loading={busy}>
                确认已完成
              </Button>
            </FieldLayout>
          </Form>
          <Form method="post" style={{ marginTop: 8 }}>
            {hidden("not_held")}
            <Button danger htmlType="submit" loading={busy}>
              报告未开展
            </Button>
          </Form>
        </Card>
      )}

      {side === "school" && o.status === "delivered" && !o.rating && (
        <Card size="small" title="评价" style={{ marginBottom: 12 }}>
          <Form method="post">
            {hidden("rate")}
            <FieldLayout>
              {(
                [
                  ["content", "内容"],
                  ["organization", "组织"],
                  ["safety", "安全"],
                ] as const
              ).map(([name, label]) => (
                <Field key={name} label={`${label}（1–5分）`} htmlFor={name} error={err[name]} required>
                  <ScoreInput id={name} name={name} label={label} defaultValue={Number(v[name]) || 0} />
                </Field>
              ))}
              <Field label="评价内容（选填）" htmlFor="comment" error={err.comment}>
                <Input.TextArea
                  id="comment"
                  name="comment"
                  rows={3}
                  maxLength={500}
                  defaultValue={v.comment}
                />
              </Field>
              <Button type="primary" htmlType="submit" loading={busy}>
                提交评价
              </Button>
            </FieldLayout>
          </Form>
        </Card>
      )}

      {side === "base" && o.rating && !o.reply && (
        <Card size="small" title="公开回复评价" style={{ marginBottom: 12 }}>
          <Form method="post">
            {hidden("reply")}
            <FieldLayout>
              <Field label="回复" htmlFor="reply" error={err.reply} required>
                <Input.TextArea id="reply" name="reply" rows={2} maxLength={500} defaultValue={v.reply} />
              </Field>
              <Button type="primary" htmlType="submit" loading={busy}>
                发布回复
              </Button>
            </FieldLayout>
          </Form>
        </Card>
      )}

      {side === "county" && o.status === "dispatch" && (
        <Card size="small" title="派单" style={{ marginBottom: 12 }}>
          <Form method="post">
            {hidden("reassign")}
            <FieldLayout>
              <Field label="改派给" htmlFor="itemId" error={err.itemId} required>
                <SelectInput
                  id="itemId"
                  name="itemId"
                  options={similar.map((s) => ({
                    value: s.id,
                    label: `${s.baseName} · ${s.title}（${s.kindLabel}）`,
                  }))}
                  invalid={!!err.itemId}
                />
              </Field>
              <Button type="primary" htmlType="submit" loading={busy}>
                改派
              </Button>
            </FieldLayout>
          </Form>
          <Form method="post" style={{ marginTop: 12 }}>
            {hidden("close")}
            <FieldLayout>
              {reasonField("关闭理由", "closeReason")}
              <Button danger htmlType="submit" loading={busy}>
                关闭点单
              </Button>
            </FieldLayout>
          </Form>
        </Card>
      )}

      {canCancel && (
        <Card size="small" title="取消点单" style={{ marginBottom: 12 }}>
          <Form method="post">
            {hidden("cancel")}
            <FieldLayout>
              {reasonField("取消理由", "cancelReason")}
              <Button danger htmlType="submit" loading={busy}>
                取消点单
              </Button>
            </FieldLayout>
          </Form>
        </Card>
      )}
      <Link
        to={
          side === "school"
            ? "/school-orders"
            : side === "base"
              ? "/my-base/school-orders"
              : "/admin/school-orders"
        }
      >
        返回列表
      </Link>
    </>
  );
}

function shanghaiDateOf(iso: string): string {
  return new Date(new Date(iso).getTime() + 8 * 3600_000 - 1).toISOString().slice(0, 10);
}

/** antd's Rate posts nothing by itself: its value goes with the form in a hidden input. */
function ScoreInput(props: { id: string; name: string; label: string; defaultValue: number }) {
  const [value, setValue] = useState(props.defaultValue);
  return (
    <>
      <Rate id={props.id} value={value} onChange={setValue} aria-label={props.label} />
      <input type="hidden" name={props.name} value={value || ""} />
    </>
  );
}
