import { Alert, Button, Card, Input, Space, Typography } from "antd";
import { Form, useNavigation } from "react-router";
import { volunteerSchema } from "#src/modules/volunteers/volunteers.schema.ts";
import { addVolunteer, loadOwnBase } from "#src/modules/volunteers/volunteers.server.ts";
import { FormAlert } from "~/components/form-alert";
import { Field, FieldLayout } from "~/components/form-field";
import { PageTitle, PlainLink, PlainText } from "~/components/plain";
import { toMyBaseWhenMissing } from "~/lib/own-base.server";
import { actorOf, failWith, invalid, orFail, parseForm, readForm, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/my-base-volunteers-new";

export const meta: Route.MetaFunction = () => [{ title: "添加志愿者 - 科普基地服务平台" }];

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "bases:own");
  const base = await orFail(loadOwnBase(context.app, actorOf(context)).catch(toMyBaseWhenMissing));
  return { revoked: base.status === "revoked" };
}

export async function action({ request, context }: Route.ActionArgs) {
  await requireUser(context, request, "bases:own");
  const fd = await readForm(request);
  if (fd.get("intent") !== "add") throw new Response("未知操作", { status: 400 });
  try {
    const parsed = parseForm(volunteerSchema, fd);
    if (!parsed.ok)
      return invalid({ ...parsed.failure, message: "志愿者信息有填写不正确的内容，请按提示修改" });
    const added = await addVolunteer(context.app, actorOf(context), parsed.data);
    // The id keys the form, so it comes back empty for the next one.
    return { ok: true as const, done: `已添加志愿者 ${parsed.data.name}`, id: added.id };
  } catch (e) {
    if (e instanceof Response) throw e;
    return failWith(e, fd);
  }
}

export default function MyBaseVolunteersNew({ loaderData, actionData }: Route.ComponentProps) {
  const busy = useNavigation().state === "submitting";
  const failure = actionData && !actionData.ok ? actionData : undefined;
  const errors = failure?.fieldErrors ?? {};
  const av = (k: string) => failure?.values[k] ?? "";
  return (
    <>
      <PlainText>
        <PlainLink to="/my-base">我的基地</PlainLink> /{" "}
        <PlainLink to="/my-base/volunteers">科技志愿服务队</PlainLink> / 添加志愿者
      </PlainText>
      <PageTitle style={{ margin: "8px 0" }}>添加志愿者</PageTitle>
      {actionData?.ok && (
        <Alert type="success" showIcon role="status" title={actionData.done} style={{ marginBottom: 16 }} />
      )}
      <FormAlert failure={failure} />
      {loaderData.revoked ? (
        <Alert
          type="warning"
          showIcon
          title="该基地已被撤销命名，不能再添加志愿者。"
          style={{ marginBottom: 16 }}
        />
      ) : (
        <Card size="small" title="志愿者信息" style={{ marginBottom: 16 }}>
          <Typography.Paragraph type="secondary">
            不收集身份证号码，只登记与“科技志愿服务”平台核对所需的信息。可以连续添加多名志愿者。
          </Typography.Paragraph>
          <Form method="post" noValidate key={actionData?.ok ? actionData.id : "form"}>
            <input type="hidden" name="intent" value="add" />
            <FieldLayout>
              <Space wrap align="start">
                <Field label="姓名" htmlFor="v-name" error={errors.name} required>
                  <Input id="v-name" name="name" defaultValue={av("name")} style={{ width: 160 }} />
                </Field>
                <Field label="手机号" htmlFor="v-phone" error={errors.phone} required>
                  <Input
                    id="v-phone"
                    name="phone"
                    inputMode="tel"
                    defaultValue={av("phone")}
                    style={{ width: 180 }}
                  />
                </Field>
                <Field label="志愿者编号" htmlFor="v-stvsNo" error={errors.stvsNo}>
                  <Input id="v-stvsNo" name="stvsNo" defaultValue={av("stvsNo")} style={{ width: 200 }} />
                </Field>
                <Field label="专业特长" htmlFor="v-specialty" error={errors.specialty}>
                  <Input
                    id="v-specialty"
                    name="specialty"
                    defaultValue={av("specialty")}
                    style={{ width: 200 }}
                  />
                </Field>
                <Field label="加入日期" htmlFor="v-joinedOn" error={errors.joinedOn}>
                  <Input
                    id="v-joinedOn"
                    name="joinedOn"
                    type="date"
                    defaultValue={av("joinedOn")}
                    style={{ width: 170 }}
                  />
                </Field>
              </Space>
              <Button type="primary" htmlType="submit" loading={busy}>
                添加
              </Button>
            </FieldLayout>
          </Form>
        </Card>
      )}
      <PlainLink to="/my-base/volunteers">← 返回志愿者名册</PlainLink>
    </>
  );
}
