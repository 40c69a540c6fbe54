import { Alert, Button, Card, Descriptions, Empty, Input, Radio, Space } from "antd";
import { Form, Link, useNavigation, useSearchParams } from "react-router";
import { listItemReviews, reviewItem } from "#src/modules/schools/school-items.server.ts";
import { ITEM_STATUS_LABELS } from "#src/modules/schools/schools.rules.ts";
import { reviewItemSchema } from "#src/modules/schools/schools.schema.ts";
import type { SchoolItemStatus } from "#src/platform/db/schema.ts";
import { PageTitle } from "~/components/plain";
import { actorOf, failWith, invalid, orFail, parseForm, readForm, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/admin-school-items";

export const meta: Route.MetaFunction = () => [{ title: "双减项目审核 - 科普基地服务平台" }];

const TABS: SchoolItemStatus[] = ["pending", "approved", "returned"];

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "school-items:review");
  const sp = new URL(request.url).searchParams;
  const status = TABS.find((s) => s === sp.get("status")) ?? "pending";
  return { status, items: await orFail(listItemReviews(context.app, actorOf(context), status)) };
}

export async function action({ request, context }: Route.ActionArgs) {
  await requireUser(context, request, "school-items:review");
  const fd = await readForm(request);
  const parsed = parseForm(reviewItemSchema, fd);
  if (!parsed.ok) return invalid({ ...parsed.failure, values: { ...parsed.failure.values } });
  try {
    await reviewItem(context.app, actorOf(context), String(fd.get("id") ?? ""), parsed.data);
  } catch (e) {
    return failWith(e, fd);
  }
  return { ok: true as const, decided: parsed.data.decision };
}

export default function AdminSchoolItems({ loaderData, actionData }: Route.ComponentProps) {
  const { items, status } = loaderData;
  const busy = useNavigation().state === "submitting";
  const [sp] = useSearchParams();
  const failed = actionData && "fieldErrors" in actionData ? actionData : null;
  return (
    <>
      <PageTitle>科普助力双减 · 项目审核</PageTitle>
      <Space style={{ marginBottom: 12 }} wrap>
        {TABS.map((s) => (
          <Link key={s} to={`?status=${s}`} aria-current={s === status ? "page" : undefined}>
            {ITEM_STATUS_LABELS[s]}
          </Link>
        ))}
        <Link to="/admin/school-orders">派单与点单</Link>
      </Space>
      {actionData && "decided" in actionData && (
        <Alert
          type="success"
          showIcon
          title={actionData.decided === "approve" ? "已通过，项目已上架" : "已退回"}
          style={{ marginBottom: 12 }}
        />
      )}
      {failed?.message && (
        <Alert type="error" showIcon title={failed.message} style={{ marginBottom: 12 }} role="alert" />
      )}
      {items.length === 0 && <Empty description={sp.get("status") ? "没有项目" : "没有待审核的项目"} />}
      {items.map((i) => {
        const mine = failed?.values.id === i.id;
        return (
          <Card key={i.id} size="small" title={i.title} style={{ marginBottom: 12 }}>
            <Descriptions size="small" column={{ xs: 1, sm: 2 }}>
              <Descriptions.Item label="基地">{i.baseName}</Descriptions.Item>
              <Descriptions.Item label="服务方式">{i.kindLabel}</Descriptions.Item>
              <Descriptions.Item label="适合学段">{i.grades.join("、")}</Descriptions.Item>
              <Descriptions.Item label="学科">{i.subjects.join("、")}</Descriptions.Item>
              <Descriptions.Item label="服务区域">{i.countyNames.join("、")}</Descriptions.Item>
              <Descriptions.Item label="日期">{`${i.availableFrom} 至 ${i.availableTo}（${i.weekdays.join("、")}）`}</Descriptions.Item>
              <Descriptions.Item label="容量">{`每场${i.studentsPerSession}人，每周${i.sessionsPerWeek}场，${i.durationMinutes}分钟`}</Descriptions.Item>
              <Descriptions.Item label="收费">
                {i.feeNote ? `${i.feeLabel}：${i.feeNote}` : i.feeLabel}
              </Descriptions.Item>
              <Descriptions.Item label="安全须知">{i.safetyNotes || "无"}</Descriptions.Item>
              <Descriptions.Item label="简介">{i.description || "无"}</Descriptions.Item>
            </Descriptions>
            {i.status === "pending" && (
              <Form method="post" style={{ marginTop: 8 }}>
                <input type="hidden" name="id" value={i.id} />
                <input type="hidden" name="version" value={i.version} />
                <Radio.Group
                  name="decision"
                  defaultValue={mine ? failed?.values.decision : "approve"}
                  options={[
                    { value: "approve", label: "通过" },
                    { value: "return", label: "退回" },
                  ]}
                />
                <div style={{ marginTop: 8 }}>
                  <label htmlFor={`reason-${i.id}`}>退回理由</label>
                  <Input.TextArea
                    id={`reason-${i.id}`}
                    name="reason"
                    rows={2}
                    maxLength={500}
                    defaultValue={mine ? failed?.values.reason : ""}
                    status={mine && failed?.fieldErrors.reason ? "error" : undefined}
                  />
                  {mine && failed?.fieldErrors.reason && (
                    <div style={{ color: "#ff4d4f" }} role="alert">
                      {failed.fieldErrors.reason}
                    </div>
                  )}
                </div>
                <Button type="primary" htmlType="submit" loading={busy} style={{ marginTop: 8 }}>
                  提交审核意见
                </Button>
              </Form>
            )}
          </Card>
        );
      })}
    </>
  );
}
