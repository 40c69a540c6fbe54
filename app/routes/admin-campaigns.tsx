import { Alert, Button, Card, Space, Tag, Typography } from "antd";
import { Form, Link, useNavigation } from "react-router";
import { CAMPAIGN_KIND_LABELS, campaignIsOpen } from "#src/modules/activities/activities.rules.ts";
import { campaignSchema } from "#src/modules/activities/activities.schema.ts";
import { createCampaign, listCampaigns } from "#src/modules/activities/activities.server.ts";
import { CampaignFields } from "~/components/campaign-fields";
import { FormAlert } from "~/components/form-alert";
import { FieldLayout } from "~/components/form-field";
import { ButtonLink, PageTitle } from "~/components/plain";
import { StackedTable } from "~/components/stacked-table";
import { actorOf, failWith, invalid, parseForm, readForm, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/admin-campaigns";

export const meta: Route.MetaFunction = () => [{ title: "动员活动管理 - 科普基地服务平台" }];

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "campaigns:manage");
  const today = new Date(context.app.clock.now().getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  const campaigns = await listCampaigns(context.app);
  return {
    campaigns: campaigns.map((c) => ({
      id: c.id,
      title: c.title,
      kind: CAMPAIGN_KIND_LABELS[c.kind],
      dates: `${c.starts_on} 至 ${c.ends_on}`,
      open: campaignIsOpen(c, today),
    })),
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  await requireUser(context, request, "campaigns:manage");
  const fd = await readForm(request);
  const parsed = parseForm(campaignSchema, fd);
  if (!parsed.ok) return invalid({ ...parsed.failure, message: "请按提示修改动员活动信息" });
  try {
    await createCampaign(context.app, actorOf(context), parsed.data);
    return { ok: true as const };
  } catch (e) {
    return failWith(e, fd);
  }
}

export default function AdminCampaigns({ loaderData, actionData }: Route.ComponentProps) {
  const busy = useNavigation().state === "submitting";
  const failure = actionData && !actionData.ok ? actionData : undefined;
  return (
    <>
      <Space style={{ width: "100%", justifyContent: "space-between" }} wrap>
        <PageTitle style={{ margin: 0 }}>动员活动管理</PageTitle>
        <ButtonLink to="/admin/campaigns/export.xlsx" reloadDocument>
          导出
        </ButtonLink>
      </Space>
      <Typography.Paragraph type="secondary">
        发布全国科普日、科技活动周等年度动员；基地在工作台看到进行中的动员，并以活动响应。
      </Typography.Paragraph>
      <StackedTable
        rowKey="id"
        size="small"
        dataSource={loaderData.campaigns}
        pagination={false}
        scroll={{ x: 600 }}
        style={{ marginBottom: 16 }}
        locale={{ emptyText: "尚未发布动员活动" }}
        columns={[
          {
            title: "名称",
            dataIndex: "title",
            render: (t: string, r) => <Link to={`/admin/campaigns/${r.id}`}>{t}</Link>,
          },
          { title: "类型", dataIndex: "kind" },
          { title: "日期", dataIndex: "dates" },
          {
            title: "状态",
            dataIndex: "open",
            render: (o: boolean) => (o ? <Tag color="green">进行中</Tag> : <Tag>已结束</Tag>),
          },
        ]}
      />
      <Card size="small" title="发布动员活动">
        {actionData?.ok && (
          <Alert type="success" showIcon role="status" title="动员活动已发布" style={{ marginBottom: 16 }} />
        )}
        <FormAlert failure={failure} />
        <Form method="post" noValidate key={actionData?.ok ? "done" : "form"}>
          <FieldLayout>
            <CampaignFields values={failure?.values ?? {}} errors={failure?.fieldErrors ?? {}} />
            <Button type="primary" htmlType="submit" loading={busy}>
              发布
            </Button>
          </FieldLayout>
        </Form>
      </Card>
    </>
  );
}
