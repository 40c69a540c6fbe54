import { Alert, Button, Card, Input, Space } from "antd";
import { Form, Link, redirect, useNavigation } from "react-router";
import { announcementSchema, usccConfirmSchema } from "#src/modules/activities/activities.schema.ts";
import {
  announceActivity,
  checkAnnouncer,
  listOpenCampaigns,
  startAnnouncement,
} from "#src/modules/activities/activities.server.ts";
import { ActivityFields, joinCampaignIds } from "~/components/activity-fields";
import { FormAlert } from "~/components/form-alert";
import { Field, FieldLayout } from "~/components/form-field";
import { PageTitle } from "~/components/plain";
import { actorOf, failWith, invalid, orFail, parseForm, readForm, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/base-activity-new";

export const meta: Route.MetaFunction = () => [{ title: "新增基地活动 - 科普基地服务平台" }];

/**
 * 【新增基地活动】 (附件3 二): an org login for its own base sees its USCC filled in; anyone else types the
 * base's USCC and confirms with 【确定】; then the 活动预告 form and 【提交】.
 */
export async function loader({ params, request, context }: Route.LoaderArgs) {
  const user = await requireUser(context, request, "activities:announce");
  const { base, own, blocked } = await orFail(startAnnouncement(context.app, actorOf(context), params.id));
  const campaigns = await listOpenCampaigns(context.app);
  return {
    base,
    own,
    ownUscc: own ? user.login : "",
    blocked,
    campaigns: campaigns.map((c) => ({ id: c.id, title: c.title, expectations: c.expectations })),
  };
}

export async function action({ params, request, context }: Route.ActionArgs) {
  await requireUser(context, request, "activities:announce");
  const actor = actorOf(context);
  const fd = await readForm(request);
  const uscc = String(fd.get("uscc") ?? "");
  if (fd.get("intent") === "confirm") {
    const parsed = parseForm(usccConfirmSchema, fd);
    if (!parsed.ok) return invalid(parsed.failure);
    try {
      await checkAnnouncer(context.app, actor, params.id, parsed.data.uscc);
      return { ok: true as const, confirmed: parsed.data.uscc };
    } catch (e) {
      return failWith(e, fd);
    }
  }
  joinCampaignIds(fd);
  const parsed = parseForm(announcementSchema, fd);
  if (!parsed.ok) return invalid({ ...parsed.failure, message: "活动预告有填写不正确的内容，请按提示修改" });
  try {
    await announceActivity(context.app, actor, params.id, { ...parsed.data, uscc: uscc || null });
  } catch (e) {
    return failWith(e, fd);
  }
  throw redirect(`/bases/${params.id}/activities?added=1`);
}

export default function BaseActivityNew({ loaderData, actionData }: Route.ComponentProps) {
  const { base, own, ownUscc, blocked, campaigns } = loaderData;
  const busy = useNavigation().state === "submitting";
  const failure = actionData && !actionData.ok ? actionData : undefined;
  const confirmed = actionData?.ok ? actionData.confirmed : undefined;
  // After a refused 【提交】 the form stays, with the code that was confirmed for it.
  const formUscc = own
    ? ownUscc
    : (confirmed ?? (failure?.values.intent === "announce" ? failure.values.uscc : ""));
  const showForm = !blocked && (own || !!formUscc);
  const values = failure?.values ?? {};
  const errors = failure?.fieldErrors ?? {};
  // The code box is one field: its message shows beside it, once, and is announced once; the
  // server's message is shown above only when it says something the field's does not.
  const confirming = !blocked && !showForm;
  const alert =
    confirming && failure
      ? { fieldErrors: errors, message: errors.uscc ? undefined : failure.message }
      : failure;
  return (
    <>
      <PageTitle style={{ marginBottom: 4 }}>新增基地活动</PageTitle>
      <p style={{ margin: "0 0 16px" }}>
        <Link to={`/bases/${base.id}/activities`}>{base.name} · 活动列表</Link>
      </p>
      {blocked && <Alert type="error" showIcon role="alert" title={blocked} />}
      <FormAlert failure={alert} linkFields={!confirming} />
      {!blocked && !showForm && (
        <Card size="small" title="请输入该基地的统一社会信用代码">
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="confirm" />
            <FieldLayout>
              <Field label="统一社会信用代码" htmlFor="uscc" error={errors.uscc} required live>
                <Input
                  id="uscc"
                  name="uscc"
                  maxLength={20}
                  autoComplete="off"
                  defaultValue={values.uscc}
                  aria-invalid={!!errors.uscc}
                  aria-describedby={errors.uscc ? "uscc-error" : undefined}
                  style={{ maxWidth: 320 }}
                />
              </Field>
              <Button type="primary" htmlType="submit" loading={busy}>
                确定
              </Button>
            </FieldLayout>
          </Form>
        </Card>
      )}
      {showForm && (
        <Card size="small" title="活动预告">
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="announce" />
            <input type="hidden" name="uscc" value={formUscc} />
            <FieldLayout>
              <Field
                label="统一社会信用代码"
                htmlFor="uscc-shown"
                extra={own ? "已按法人登录自动填写" : "已确认"}
              >
                <Input id="uscc-shown" value={formUscc} disabled style={{ maxWidth: 320 }} />
              </Field>
              <ActivityFields
                values={values}
                campaignIds={values.campaignIds ? values.campaignIds.split(",") : []}
                campaigns={campaigns}
                errors={errors}
              />
              <Space>
                <Button type="primary" htmlType="submit" loading={busy}>
                  提交
                </Button>
                <Link to={`/bases/${base.id}/activities`}>取消</Link>
              </Space>
            </FieldLayout>
          </Form>
        </Card>
      )}
    </>
  );
}
