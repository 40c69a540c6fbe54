import { Alert, Button, Card, Checkbox, Input, Typography } from "antd";
import { Form, useNavigation } from "react-router";
import { API_SCOPE_LABELS, API_SCOPES, TOKEN_STATE_LABELS } from "#src/modules/api/api-tokens.rules.ts";
import { issueTokenSchema, revokeTokenSchema } from "#src/modules/api/api-tokens.schema.ts";
import {
  defaultTokenExpiry,
  issueApiToken,
  listApiTokens,
  revokeApiToken,
} from "#src/modules/api/api-tokens.server.ts";
import { listRegions } from "#src/modules/regions/regions.server.ts";
import { FormAlert } from "~/components/form-alert";
import { Field, FieldLayout } from "~/components/form-field";
import { PageTitle, PlainTag, SectionTitle } from "~/components/plain";
import { SelectInput } from "~/components/select-input";
import { StackedTable } from "~/components/stacked-table";
import { actorOf, failWith, orFail, parseForm, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/admin-api-tokens";

export const meta: Route.MetaFunction = () => [{ title: "API令牌 - 科普基地服务平台" }];

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "api-tokens:manage");
  const tokens = await orFail(listApiTokens(context.app, actorOf(context)));
  const regions = (await listRegions(context.app)).map((r) => ({ value: r.code, label: r.name }));
  return { tokens, regions, defaultExpiresOn: defaultTokenExpiry(context.app) };
}

export async function action({ request, context }: Route.ActionArgs) {
  await requireUser(context, request, "api-tokens:manage");
  const fd = await request.formData();
  if (fd.get("intent") === "revoke") {
    const parsed = parseForm(revokeTokenSchema, fd);
    if (!parsed.ok) return parsed.failure;
    try {
      await revokeApiToken(context.app, actorOf(context), parsed.data.id);
      return { ok: true as const, revoked: true as const };
    } catch (e) {
      return failWith(e, fd);
    }
  }
  // The check boxes arrive one value each; the schema reads them joined.
  fd.set("scopes", fd.getAll("scopes").map(String).join(","));
  const parsed = parseForm(issueTokenSchema, fd);
  if (!parsed.ok) return parsed.failure;
  try {
    const issued = await issueApiToken(context.app, actorOf(context), parsed.data);
    return { ok: true as const, token: issued.token, name: parsed.data.name };
  } catch (e) {
    return failWith(e, fd);
  }
}

const fmt = (iso: string | null) =>
  iso ? new Date(iso).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false }) : "—";

export default function AdminApiTokens({ loaderData: d, actionData }: Route.ComponentProps) {
  const busy = useNavigation().state === "submitting";
  const failed = actionData && "fieldErrors" in actionData ? actionData : null;
  const err: Record<string, string> = failed?.fieldErrors ?? {};
  const v: Record<string, string> = (failed && "values" in failed ? failed.values : undefined) ?? {};
  const issued = actionData && "token" in actionData ? actionData : null;
  const picked = new Set((v.scopes ?? "read:bases").split(","));
  return (
    <Card style={{ maxWidth: 960, margin: "16px auto" }}>
      <PageTitle style={{ marginTop: 0 }}>API令牌</PageTitle>
      <Typography.Paragraph type="secondary">
        开放接口（<a href="/api/docs">接口文档</a>
        ）的公开数据无需令牌即可读取。为省级平台、全国科普日平台或基地报送系统签发令牌后，
        对方可读取令牌区域内基地和活动的非公开字段，或代指定基地发布活动预告和活动小结。个人电话在任何情况下都打码。令牌只显示一次，系统仅保存其摘要；吊销后立即失效。
      </Typography.Paragraph>
      {issued && (
        <Alert
          type="success"
          showIcon
          role="status"
          style={{ marginBottom: 16 }}
          title={`令牌“${issued.name}”已签发。请立即复制保存，离开本页后将无法再次查看：`}
          description={
            <Input.TextArea
              aria-label="新令牌"
              readOnly
              value={issued.token}
              autoSize
              data-testid="issued-token"
              style={{ fontFamily: "monospace" }}
            />
          }
        />
      )}
      {actionData && "revoked" in actionData && (
        <Alert
          type="success"
          showIcon
          role="status"
          style={{ marginBottom: 16 }}
          title="令牌已吊销，立即失效。"
        />
      )}
      <SectionTitle>签发令牌</SectionTitle>
      <FormAlert failure={failed} />
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="issue" />
        <FieldLayout>
          <Field
            label="令牌名称"
            htmlFor="name"
            error={err.name}
            required
            extra="如：浙江省科普平台、某基地报送系统"
          >
            <Input id="name" name="name" defaultValue={v.name} maxLength={50} aria-invalid={!!err.name} />
          </Field>
          <Field label="权限范围" htmlFor={`scope-${API_SCOPES[0]}`} error={err.scopes} required>
            <Checkbox.Group
              name="scopes"
              defaultValue={API_SCOPES.filter((s) => picked.has(s))}
              style={{ display: "flex", flexDirection: "column", gap: 4 }}
              options={API_SCOPES.map((s) => ({
                id: `scope-${s}`,
                value: s,
                label: `${API_SCOPE_LABELS[s]}（${s}）`,
              }))}
            />
          </Field>
          <Field
            label="区域范围"
            htmlFor="regionCode"
            error={err.regionCode}
            extra="不选则为全市；非公开字段只对区域内的记录返回"
          >
            <SelectInput
              id="regionCode"
              name="regionCode"
              options={d.regions}
              defaultValue={v.regionCode}
              allowClear
              placeholder="全市"
              invalid={!!err.regionCode}
            />
          </Field>
          <Field
            label="基地编号"
            htmlFor="baseId"
            error={err.baseId}
            extra="代基地发布活动（write:activities）时必填：基地页面网址 /bases/ 之后的编号"
          >
            <Input id="baseId" name="baseId" defaultValue={v.baseId} aria-invalid={!!err.baseId} />
          </Field>
          <Field label="有效期至" htmlFor="expiresOn" error={err.expiresOn} required extra="含当天，最长一年">
            <Input
              id="expiresOn"
              name="expiresOn"
              type="date"
              defaultValue={v.expiresOn ?? d.defaultExpiresOn}
              aria-invalid={!!err.expiresOn}
              style={{ maxWidth: 200 }}
            />
          </Field>
          <Button type="primary" htmlType="submit" loading={busy}>
            签发令牌
          </Button>
        </FieldLayout>
      </Form>
      <SectionTitle>已签发的令牌</SectionTitle>
      <StackedTable
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={d.tokens}
        locale={{ emptyText: "暂无令牌" }}
        columns={[
          { title: "名称", dataIndex: "name" },
          { title: "令牌开头", key: "prefix", render: (_, t) => <code>{t.prefix}…</code> },
          { title: "权限范围", key: "scopes", render: (_, t) => t.scopes.join("、") },
          { title: "区域", key: "region", render: (_, t) => t.regionName ?? "全市" },
          { title: "基地", key: "base", render: (_, t) => t.baseName ?? "—" },
          { title: "有效期至", key: "expires", render: (_, t) => fmt(t.expiresAt) },
          { title: "最近使用", key: "used", render: (_, t) => fmt(t.lastUsedAt) },
          {
            title: "状态",
            key: "state",
            render: (_, t) => (
              <PlainTag color={t.state === "active" ? "green" : "default"}>
                {TOKEN_STATE_LABELS[t.state]}
              </PlainTag>
            ),
          },
          {
            title: "操作",
            key: "op",
            render: (_, t) =>
              t.state === "active" ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="revoke" />
                  <input type="hidden" name="id" value={t.id} />
                  <Button htmlType="submit" danger size="small" aria-label={`吊销令牌“${t.name}”`}>
                    吊销
                  </Button>
                </Form>
              ) : (
                "—"
              ),
          },
        ]}
      />
    </Card>
  );
}
