import { Alert, Button, Card, Input, InputNumber, Table, Typography } from "antd";
import { Form, useNavigation } from "react-router";
import { holidayYearSchema } from "#src/modules/notices/holidays.schema.ts";
import { listHolidayYears, saveHolidayYear } from "#src/modules/notices/holidays.server.ts";
import { FormAlert } from "~/components/form-alert";
import { Field, FieldLayout } from "~/components/form-field";
import { PageTitle, SectionTitle } from "~/components/plain";
import { actorOf, failWith, orFail, parseForm, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/admin-holidays";

export const meta: Route.MetaFunction = () => [{ title: "节假日设置 - 科普基地服务平台" }];

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "holidays:manage");
  return orFail(listHolidayYears(context.app, actorOf(context)));
}

export async function action({ request, context }: Route.ActionArgs) {
  await requireUser(context, request, "holidays:manage");
  const fd = await request.formData();
  const parsed = parseForm(holidayYearSchema, fd);
  if (!parsed.ok) return parsed.failure;
  try {
    await saveHolidayYear(context.app, actorOf(context), parsed.data);
    return {
      ok: true as const,
      done: `${parsed.data.year}年的放假和调休安排已保存，公示期将按此计算工作日。`,
    };
  } catch (e) {
    return failWith(e, fd);
  }
}

export default function AdminHolidays({ loaderData: d, actionData }: Route.ComponentProps) {
  const busy = useNavigation().state === "submitting";
  const failed = actionData && "fieldErrors" in actionData ? actionData : null;
  const err: Record<string, string> = failed?.fieldErrors ?? {};
  const v: Record<string, string> = (failed && "values" in failed ? failed.values : undefined) ?? {};
  return (
    <Card style={{ maxWidth: 880, margin: "16px auto" }}>
      <PageTitle style={{ marginTop: 0 }}>节假日设置</PageTitle>
      <Typography.Paragraph type="secondary">
        系统内置国务院办公厅公布的法定节假日和调休安排。新一年的安排公布后、系统数据更新前，请在此录入该年的放假日期和调休上班日期，公示期的工作日将按此计算。
      </Typography.Paragraph>
      {d.missing.length > 0 && (
        <Alert
          type="warning"
          showIcon
          role="alert"
          style={{ marginBottom: 16 }}
          title={`系统内置数据不含${d.missing.map((y) => `${y}年`).join("、")}的节假日安排，请录入。`}
        />
      )}
      {actionData && "done" in actionData && (
        <Alert type="success" showIcon role="status" style={{ marginBottom: 16 }} title={actionData.done} />
      )}
      <FormAlert failure={failed} />
      <Form method="post" noValidate>
        <FieldLayout>
          <Field label="年份" htmlFor="year" error={err.year} required>
            <InputNumber
              id="year"
              name="year"
              min={2000}
              max={2100}
              defaultValue={Number(v.year ?? d.missing[0] ?? "") || undefined}
            />
          </Field>
          <Field
            label="放假日期"
            htmlFor="holidays"
            error={err.holidays}
            required
            extra="每行或用顿号分隔一个日期，如 2027-01-01；含周末放假的日期也可填入"
          >
            <Input.TextArea
              id="holidays"
              name="holidays"
              defaultValue={v.holidays}
              autoSize={{ minRows: 3 }}
            />
          </Field>
          <Field label="调休上班日期" htmlFor="workdays" error={err.workdays} extra="因调休需上班的周末">
            <Input.TextArea
              id="workdays"
              name="workdays"
              defaultValue={v.workdays}
              autoSize={{ minRows: 2 }}
            />
          </Field>
          <Button type="primary" htmlType="submit" loading={busy}>
            保存该年安排
          </Button>
        </FieldLayout>
      </Form>
      <SectionTitle>已录入的年份</SectionTitle>
      <Table
        rowKey="year"
        size="small"
        pagination={false}
        dataSource={d.years}
        locale={{ emptyText: "暂无录入" }}
        columns={[
          { title: "年份", dataIndex: "year", width: 80 },
          { title: "放假日期", key: "h", render: (_, r) => r.holidays.join("、") },
          { title: "调休上班日期", key: "w", render: (_, r) => r.workdays.join("、") || "—" },
        ]}
      />
    </Card>
  );
}
