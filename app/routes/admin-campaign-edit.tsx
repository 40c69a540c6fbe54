import { Alert, Button, Card, Popconfirm, Space } from "antd";
import { Form, Link, redirect, useNavigation, useSubmit } from "react-router";
import { z } from "zod";
import { campaignSchema } from "#src/modules/activities/activities.schema.ts";
import { deleteCampaign, getCampaign, updateCampaign } from "#src/modules/activities/activities.server.ts";
import { CampaignFields } from "~/components/campaign-fields";
import { FormAlert } from "~/components/form-alert";
import { FieldLayout } from "~/components/form-field";
import { PageTitle } from "~/components/plain";
import { actorOf, failWith, invalid, orFail, parseForm, readForm, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/admin-campaign-edit";

export const meta: Route.MetaFunction = () => [{ title: "修改动员活动 - 科普基地服务平台" }];

export async function loader({ params, request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "campaigns:manage");
  const c = await orFail(getCampaign(context.app, params.id));
  return {
    id: c.id,
    version: c.version,
    values: {
      kind: c.kind,
      title: c.title,
      startsOn: c.starts_on,
      endsOn: c.ends_on,
      description: c.description,
      expectations: c.expectations,
    } as Record<string, string>,
  };
}

const editSchema = z.intersection(campaignSchema, z.object({ version: z.coerce.number().int().min(1) }));

export async function action({ params, request, context }: Route.ActionArgs) {
  await requireUser(context, request, "campaigns:manage");
  const fd = await readForm(request);
  try {
    if (fd.get("intent") === "delete") {
      await deleteCampaign(context.app, actorOf(context), params.id);
      throw redirect("/admin/campaigns");
    }
    const parsed = parseForm(editSchema, fd);
    if (!parsed.ok) return invalid({ ...parsed.failure, message: "请按提示修改动员活动信息" });
    const { version, ...input } = parsed.data;
    await updateCampaign(context.app, actorOf(context), params.id, input, version);
    return { ok: true as const };
  } catch (e) {
    if (e instanceof Response) throw e;
    return failWith(e, fd);
  }
}

export default function AdminCampaignEdit({ loaderData, actionData }: Route.ComponentProps) {
  const busy = useNavigation().state === "submitting";
  const submit = useSubmit();
  const failure = actionData && !actionData.ok ? actionData : undefined;
  return (
    <>
      <PageTitle>修改动员活动</PageTitle>
      <p>
        <Link to="/admin/campaigns">返回动员活动管理</Link>
      </p>
      {actionData?.ok && (
        <Alert type="success" showIcon role="status" title="已保存" style={{ marginBottom: 16 }} />
      )}
      <FormAlert failure={failure} />
      <Card size="small">
        <Form method="post" noValidate>
          <input type="hidden" name="version" value={loaderData.version} />
          <FieldLayout>
            <CampaignFields
              values={failure?.values ?? loaderData.values}
              errors={failure?.fieldErrors ?? {}}
            />
            <Space>
              <Button type="primary" htmlType="submit" loading={busy}>
                保存
              </Button>
              <Popconfirm
                title="删除该动员活动？已有基地活动参加的不能删除。"
                okText="删除"
                cancelText="取消"
                onConfirm={() => submit({ intent: "delete" }, { method: "post" })}
              >
                <Button danger>删除</Button>
              </Popconfirm>
            </Space>
          </FieldLayout>
        </Form>
      </Card>
    </>
  );
}
