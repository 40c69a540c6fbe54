import { Alert, Button, Card, Empty, Input, Radio, Space, Tag, Typography } from "antd";
import { Form, Link, useNavigation, useSearchParams } from "react-router";
import { listFiles } from "#src/modules/files/files.server.ts";
import { listRegions } from "#src/modules/regions/regions.server.ts";
import { VERIFICATION_STATUS_LABELS } from "#src/modules/verification/verification.rules.ts";
import { decideVerificationSchema } from "#src/modules/verification/verification.schema.ts";
import { decideVerification, listVerificationQueue } from "#src/modules/verification/verification.server.ts";
import { FormAlert } from "~/components/form-alert";
import { PageTitle } from "~/components/plain";
import { actorOf, failWith, invalid, orFail, parseForm, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/admin-verifications";

export const meta: Route.MetaFunction = () => [{ title: "单位认证审核 - 科普基地服务平台" }];

const STATUSES = ["pending", "returned", "verified"] as const;

/** 单位认证审核: org accounts of the reviewer's region, with their documents, 通过 or 退回. */
export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "orgs:verify");
  const actor = actorOf(context);
  const sp = new URL(request.url).searchParams;
  const status = STATUSES.find((s) => s === sp.get("status")) ?? "pending";
  const rows = await orFail(listVerificationQueue(context.app, actor, { status }));
  const names = new Map((await listRegions(context.app)).map((r) => [r.code, r.name]));
  const withFiles = [];
  for (const r of rows) {
    const files = await listFiles(context.app, actor, "org_verification", r.userId);
    withFiles.push({
      ...r,
      regionName: names.get(r.regionCode) ?? r.regionCode,
      files: files.map((f) => ({ id: f.id, name: f.name, url: f.url, slot: f.slot })),
    });
  }
  return { status, rows: withFiles };
}

export async function action({ request, context }: Route.ActionArgs) {
  await requireUser(context, request, "orgs:verify");
  const fd = await request.formData();
  const parsed = parseForm(decideVerificationSchema, fd);
  if (!parsed.ok)
    return invalid({ ...parsed.failure, message: parsed.failure.fieldErrors.reason ?? "请检查填写内容" });
  try {
    const { userId, ...input } = parsed.data;
    const r = await decideVerification(context.app, actorOf(context), userId, input);
    return {
      ok: true as const,
      done:
        input.decision === "approve"
          ? `已通过认证${r.linked.length ? `，并关联基地：${r.linked.join("、")}` : ""}。`
          : "已退回，申报单位会看到退回理由。",
    };
  } catch (e) {
    return failWith(e, fd);
  }
}

const SLOT_LABELS: Record<string, string> = {
  org_license: "营业执照/法人证书",
  org_authorization: "授权委托书",
};

export default function AdminVerifications({ loaderData, actionData }: Route.ComponentProps) {
  const { status, rows } = loaderData;
  const [sp] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const failure = actionData && !actionData.ok ? actionData : undefined;
  return (
    <>
      <PageTitle>单位认证审核</PageTitle>
      <Typography.Paragraph type="secondary">
        核对营业执照或事业单位法人证书与授权委托书，确认账号经办人代表该单位后【通过】；通过时，本辖区内统一社会信用代码相同的基地将关联到该账号。
        材料不符的请【退回】并写明理由。已认定基地也可在【基地管理】的基地详情中开具认领码。
      </Typography.Paragraph>
      <Space style={{ marginBottom: 16 }} wrap>
        {STATUSES.map((s) => (
          <Link key={s} to={`?${new URLSearchParams({ ...Object.fromEntries(sp), status: s })}`}>
            <Tag color={s === status ? "blue" : "default"}>{VERIFICATION_STATUS_LABELS[s]}</Tag>
          </Link>
        ))}
      </Space>
      {actionData?.ok && (
        <Alert type="success" showIcon role="status" title={actionData.done} style={{ marginBottom: 16 }} />
      )}
      <FormAlert failure={failure} />
      {rows.length === 0 && <Empty description="暂无记录" />}
      {rows.map((r) => (
        <Card key={r.userId} size="small" title={r.unitName} style={{ marginBottom: 12 }}>
          <p style={{ margin: "0 0 8px" }}>
            统一社会信用代码 {r.uscc} · {r.regionName} · 联系人 {r.contactName ?? "—"} {r.phone ?? ""}
          </p>
          <p style={{ margin: "0 0 8px" }}>
            材料：
            {r.files.length
              ? r.files.map((f) => (
                  <a
                    key={f.id}
                    href={`${f.url}?inline=1`}
                    target="_blank"
                    rel="noreferrer"
                    style={{ marginRight: 12 }}
                  >
                    {SLOT_LABELS[f.slot] ?? f.slot}：{f.name}
                  </a>
                ))
              : "无"}
          </p>
          {r.status === "returned" && r.reason && <p style={{ margin: "0 0 8px" }}>退回理由：{r.reason}</p>}
          {r.status === "pending" && (
            <>
              <p style={{ margin: "0 0 8px" }}>
                通过后关联基地：{r.basesToLink.length ? r.basesToLink.map((b) => b.name).join("、") : "无"}
              </p>
              <Form method="post" noValidate>
                <input type="hidden" name="userId" value={r.userId} />
                <input type="hidden" name="version" value={r.version} />
                <Space wrap align="start">
                  <Radio.Group
                    name="decision"
                    aria-label={`${r.unitName}的审核结果`}
                    options={[
                      { value: "approve", label: "通过" },
                      { value: "return", label: "退回" },
                    ]}
                  />
                  <Input
                    name="reason"
                    aria-label={`${r.unitName}的退回理由`}
                    placeholder="退回理由（申报单位可见）"
                    maxLength={500}
                    style={{ width: 320 }}
                  />
                  <Button type="primary" htmlType="submit" loading={busy}>
                    确定
                  </Button>
                </Space>
              </Form>
            </>
          )}
        </Card>
      ))}
    </>
  );
}
