import { Alert, Button, Card, Checkbox, Input, InputNumber } from "antd";
import { Form, redirect, useNavigation } from "react-router";
import { fieldErrorsOf } from "#src/modules/accounts/accounts.schema.ts";
import { getNoticeCalendar } from "#src/modules/notices/holidays.server.ts";
import { DEFAULT_WORKING_DAYS, MAX_WORKING_DAYS } from "#src/modules/notices/notices.rules.ts";
import { publishNoticeSchema } from "#src/modules/notices/notices.schema.ts";
import {
  listNoticeCalls,
  listProposedApplications,
  publishNotice,
} from "#src/modules/notices/notices.server.ts";
import { calendarWarning, noticeEndsAt, uncoveredYears } from "#src/modules/notices/working-days.rules.ts";
import { regionName } from "#src/modules/regions/regions.server.ts";
import { CATEGORIES } from "#src/platform/db/reference-data.ts";
import { batchLabel } from "#src/platform/numbering.rules.ts";
import { FilterSelect } from "~/components/filter-select";
import { FormAlert } from "~/components/form-alert";
import { Field, FieldLayout } from "~/components/form-field";
import { PageTitle } from "~/components/plain";
import { actorOf, failWith, formValues, invalid, orFail, readForm, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/admin-notice-new";

export const meta: Route.MetaFunction = () => [{ title: "发布公示 - 科普基地服务平台" }];

const shanghaiDate = (t: Date) => new Date(t.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "notices:manage");
  const calls = await listNoticeCalls(context.app, actorOf(context));
  const callId = new URL(request.url).searchParams.get("call") || calls[0]?.id || "";
  const call = calls.find((c) => c.id === callId);
  const proposed = callId
    ? await orFail(listProposedApplications(context.app, actorOf(context), callId))
    : [];
  const tomorrow = shanghaiDate(new Date(context.app.clock.now().getTime() + 86400_000));
  const extra = await getNoticeCalendar(context.app, actorOf(context));
  const endsOn = noticeEndsAt(tomorrow, DEFAULT_WORKING_DAYS, extra).lastDay;
  // Looks a month ahead too: a period started a little later may reach the next year.
  const horizon = shanghaiDate(new Date(context.app.clock.now().getTime() + 45 * 86400_000));
  return {
    calendarWarning: calendarWarning(uncoveredYears(tomorrow, endsOn > horizon ? endsOn : horizon, extra)),
    callId,
    calls: calls.map((c) => ({ value: c.id, label: c.title })),
    proposed: await Promise.all(
      proposed.map(async (a) => ({
        id: a.id,
        label: `${a.application_no ? `${a.application_no} ` : ""}${a.base_name}（${a.unit_name}，${await regionName(context.app, a.region_code)}，${
          CATEGORIES.find((c) => c.code === a.category_code)?.name ?? "未填类别"
        }）`,
      })),
    ),
    defaults: {
      title: `${batchLabel(call?.batch_no)}${call?.region_name ?? "衢州市"}科普教育基地拟认定名单公示`,
      body: "根据《衢州市科普教育基地认定与管理办法》，经单位申报、县（市、区）推荐、市科协评审和认定办公室审核，现将拟认定名单予以公示。公示期间，如有异议，请以真实姓名或单位名义提出，并提供必要的证明材料。",
      contact: "衢州市科普教育基地认定与管理工作办公室（市科协科普部），电话：0570-3027351",
      startDate: tomorrow,
      workingDays: DEFAULT_WORKING_DAYS,
      endsOn,
    },
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  await requireUser(context, request, "notices:manage");
  const fd = await readForm(request);
  const parsed = publishNoticeSchema.safeParse({
    ...Object.fromEntries(fd.entries()),
    applicationIds: fd.getAll("applicationIds").map(String),
  });
  if (!parsed.success)
    return invalid({ ok: false, fieldErrors: fieldErrorsOf(parsed.error), values: formValues(fd) });
  try {
    const id = await publishNotice(context.app, actorOf(context), parsed.data);
    return redirect(`/admin/notices/${id}?published=1`);
  } catch (e) {
    return failWith(e, fd);
  }
}

export default function AdminNoticeNew({ loaderData: d, actionData }: Route.ComponentProps) {
  const busy = useNavigation().state === "submitting";
  const err = actionData?.fieldErrors ?? {};
  const v = actionData?.values ?? {};
  return (
    <Card style={{ maxWidth: 820, margin: "16px auto" }}>
      <PageTitle style={{ marginTop: 0 }}>发布公示</PageTitle>
      <Form method="get" style={{ marginBottom: 16 }}>
        <FilterSelect
          id="call"
          name="call"
          placeholder="申报项目"
          allowEmpty={false}
          defaultValue={d.callId}
          options={d.calls}
          style={{ width: 320 }}
        />{" "}
        <Button htmlType="submit">切换</Button>
      </Form>
      <FormAlert failure={actionData} />
      {d.proposed.length === 0 ? (
        <Alert type="info" showIcon title="该申报项目暂无拟认定的申报（认定办公室确认后进入拟认定名单）。" />
      ) : (
        <Form method="post" noValidate>
          <input type="hidden" name="callId" value={d.callId} />
          <FieldLayout>
            <Field label="拟认定名单" htmlFor="applicationIds" error={err.applicationIds} required>
              <div id="applicationIds">
                <Checkbox.Group
                  name="applicationIds"
                  defaultValue={d.proposed.map((p) => p.id)}
                  options={d.proposed.map((p) => ({ value: p.id, label: p.label }))}
                  style={{ display: "flex", flexDirection: "column", gap: 4 }}
                />
              </div>
            </Field>
            <Field label="公示标题" htmlFor="title" error={err.title} required>
              <Input id="title" name="title" defaultValue={v.title ?? d.defaults.title} maxLength={100} />
            </Field>
            <Field label="公示内容" htmlFor="body" error={err.body} required>
              <Input.TextArea
                id="body"
                name="body"
                defaultValue={v.body ?? d.defaults.body}
                autoSize={{ minRows: 4, maxRows: 12 }}
              />
            </Field>
            <Field label="联系方式" htmlFor="contact" error={err.contact} required>
              <Input
                id="contact"
                name="contact"
                defaultValue={v.contact ?? d.defaults.contact}
                maxLength={200}
              />
            </Field>
            <Field label="公示开始日期" htmlFor="startDate" error={err.startDate} required>
              <Input
                id="startDate"
                name="startDate"
                type="date"
                defaultValue={v.startDate ?? d.defaults.startDate}
              />
            </Field>
            <Field
              label="公示期（工作日）"
              htmlFor="workingDays"
              error={err.workingDays}
              required
              extra={`按国家法定节假日和调休安排计算工作日；自 ${d.defaults.startDate} 起 ${d.defaults.workingDays} 个工作日，至 ${d.defaults.endsOn} 24时止。公示期满由系统自动结束。`}
            >
              <InputNumber
                id="workingDays"
                name="workingDays"
                min={1}
                max={MAX_WORKING_DAYS}
                defaultValue={Number(v.workingDays ?? d.defaults.workingDays)}
              />
            </Field>
            {(d.calendarWarning || err.calendarConfirmed) && (
              <Field label="节假日数据" htmlFor="calendarConfirmed" error={err.calendarConfirmed}>
                <Alert
                  type="warning"
                  showIcon
                  role="alert"
                  title={d.calendarWarning ?? err.calendarConfirmed}
                  style={{ marginBottom: 8 }}
                />
                <Checkbox id="calendarConfirmed" name="calendarConfirmed">
                  我已知悉，该年份暂按周一至周五计算工作日，仍然发布
                </Checkbox>
              </Field>
            )}
            <Button type="primary" htmlType="submit" loading={busy}>
              发布公示
            </Button>
          </FieldLayout>
        </Form>
      )}
    </Card>
  );
}
