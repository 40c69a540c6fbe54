import { Alert, Button, Card, Input, InputNumber, Typography } from "antd";
import { data, Form, Link, redirect, useNavigation } from "react-router";
import { getPublicItem } from "#src/modules/schools/school-items.server.ts";
import { placeOrder } from "#src/modules/schools/school-orders.server.ts";
import { orderSchema } from "#src/modules/schools/schools.schema.ts";
import { Field, FieldLayout } from "~/components/form-field";
import { PageTitle } from "~/components/plain";
import { actorOf, failWith, invalid, parseForm, readForm, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/school-item-order";

export const meta: Route.MetaFunction = () => [{ title: "我要点单 - 科普基地服务平台" }];

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const me = await requireUser(context, request, "schools:order");
  const found = await getPublicItem(context.app, params.id);
  if (!found) throw data("未找到该项目", { status: 404 });
  const i = found.item;
  return {
    item: {
      id: i.id,
      title: i.title,
      baseName: i.baseName,
      availableFrom: i.availableFrom,
      availableTo: i.availableTo,
      weekdays: i.weekdays,
      studentsPerSession: i.studentsPerSession,
      sessionsPerWeek: i.sessionsPerWeek,
      serves: i.counties.includes(me.regionCode),
    },
  };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  await requireUser(context, request, "schools:order");
  const fd = await readForm(request);
  // Three date fields, posted as one list of preferred dates.
  fd.set(
    "dates",
    ["date1", "date2", "date3"]
      .map((k) => String(fd.get(k) ?? "").trim())
      .filter(Boolean)
      .join(","),
  );
  const parsed = parseForm(orderSchema, fd);
  if (!parsed.ok) return invalid(parsed.failure);
  let id: string;
  try {
    id = await placeOrder(context.app, actorOf(context), params.id, parsed.data);
  } catch (e) {
    return failWith(e, fd);
  }
  return redirect(`/school-orders/${id}`);
}

export default function SchoolItemOrder({ loaderData, actionData }: Route.ComponentProps) {
  const { item } = loaderData;
  const busy = useNavigation().state === "submitting";
  const err = actionData?.fieldErrors ?? {};
  const v = actionData?.values ?? {};
  return (
    <Card style={{ maxWidth: 640, margin: "0 auto" }}>
      <PageTitle style={{ marginTop: 0 }}>点单：{item.title}</PageTitle>
      <Typography.Paragraph type="secondary">
        {item.baseName} · 可预约 {item.availableFrom} 至 {item.availableTo}（{item.weekdays.join("、")}）·
        每场最多
        {item.studentsPerSession}人，每周{item.sessionsPerWeek}场。基地将在3个工作日内答复。
      </Typography.Paragraph>
      {!item.serves && (
        <Alert
          type="warning"
          showIcon
          title="该项目不服务贵校所在的县（市、区）"
          style={{ marginBottom: 16 }}
        />
      )}
      {actionData?.message && (
        <Alert type="error" showIcon title={actionData.message} style={{ marginBottom: 16 }} role="alert" />
      )}
      <Form method="post" noValidate>
        <FieldLayout>
          <Field label="意向日期（最多3个）" htmlFor="date1" error={err.dates} required>
            <div style={{ display: "flex", gap: 8, flexWrap: "wrap" }}>
              {["date1", "date2", "date3"].map((k, n) => (
                <Input
                  key={k}
                  id={k}
                  name={k}
                  type="date"
                  aria-label={`意向日期${n + 1}`}
                  min={item.availableFrom}
                  max={item.availableTo}
                  defaultValue={v[k]}
                  style={{ width: 180 }}
                />
              ))}
            </div>
          </Field>
          <Field label="班级数" htmlFor="classes" error={err.classes} required>
            <InputNumber
              id="classes"
              name="classes"
              min={1}
              max={60}
              defaultValue={Number(v.classes) || undefined}
            />
          </Field>
          <Field label="学生人数" htmlFor="students" error={err.students} required>
            <InputNumber
              id="students"
              name="students"
              min={1}
              max={3000}
              defaultValue={Number(v.students) || undefined}
            />
          </Field>
          <Field label="联系人" htmlFor="contactName" error={err.contactName} required>
            <Input id="contactName" name="contactName" maxLength={50} defaultValue={v.contactName} />
          </Field>
          <Field label="联系电话" htmlFor="contactPhone" error={err.contactPhone} required>
            <Input
              id="contactPhone"
              name="contactPhone"
              maxLength={20}
              inputMode="tel"
              defaultValue={v.contactPhone}
            />
          </Field>
          <Field label="备注" htmlFor="notes" error={err.notes}>
            <Input.TextArea id="notes" name="notes" rows={3} maxLength={500} defaultValue={v.notes} />
          </Field>
          <Button type="primary" htmlType="submit" loading={busy}>
            提交点单
          </Button>{" "}
          <Link to={`/special/schools/${item.id}`}>返回</Link>
        </FieldLayout>
      </Form>
    </Card>
  );
}
