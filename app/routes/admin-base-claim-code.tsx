import { Alert, Button, Card, Descriptions, Table, Typography } from "antd";
import { Form, Link, useNavigation } from "react-router";
import { claimCodeStatus, issueClaimCode } from "#src/modules/verification/verification.server.ts";
import { FormAlert } from "~/components/form-alert";
import { PageTitle } from "~/components/plain";
import { actorOf, failWith, orFail, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/admin-base-claim-code";

export const meta: Route.MetaFunction = () => [{ title: "账号认领码 - 科普基地服务平台" }];

const STATE_LABELS = { active: "有效", used: "已使用", voided: "已作废", expired: "已过期" } as const;
const VIA_LABELS: Record<string, string> = {
  application: "申报认定",
  claim_code: "认领码",
  verification: "材料审核",
  demo: "演示数据",
};

/**
 * 账号认领码: county staff issue a one-time code for a base in scope and print its letter. The code is
 * shown once, right after issuing: only its hash is stored, so the letter can be printed only now.
 */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  await requireUser(context, request, "bases:claim_codes");
  return orFail(claimCodeStatus(context.app, actorOf(context), params.id));
}

export async function action({ request, params, context }: Route.ActionArgs) {
  await requireUser(context, request, "bases:claim_codes");
  const fd = await request.formData();
  try {
    const issued = await issueClaimCode(context.app, actorOf(context), params.id);
    return { ok: true as const, code: issued.code, expiresAt: issued.expiresAt };
  } catch (e) {
    return failWith(e, fd);
  }
}

const shanghai = (iso: string) =>
  new Date(iso).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false });

export default function AdminBaseClaimCode({ loaderData, actionData }: Route.ComponentProps) {
  const { base, latest, accounts } = loaderData;
  const busy = useNavigation().state === "submitting";
  const issued = actionData?.ok ? actionData : undefined;
  const failure = actionData && !actionData.ok ? actionData : undefined;
  return (
    <>
      <Typography.Text>
        <Link to="/admin/bases">基地管理</Link> / <Link to={`/admin/bases/${base.id}`}>{base.name}</Link> /
        账号认领码
      </Typography.Text>
      <PageTitle>账号认领码</PageTitle>
      <FormAlert failure={failure} />
      {issued && (
        <Alert
          type="success"
          showIcon
          role="status"
          style={{ marginBottom: 16 }}
          title={
            <>
              新认领码：<strong data-testid="claim-code">{issued.code}</strong>（有效期至{" "}
              {shanghai(issued.expiresAt)}）
            </>
          }
          description={
            <>
              认领码只在此显示一次，平台不保存原码。请立即打印认领函交给基地单位；旧认领码已作废。
              <Form
                method="post"
                action={`/admin/bases/${base.id}/claim-letter.pdf`}
                reloadDocument
                style={{ marginTop: 8 }}
              >
                <input type="hidden" name="code" value={issued.code} />
                <Button htmlType="submit">打印认领函（PDF）</Button>
              </Form>
            </>
          }
        />
      )}
      <Descriptions size="small" bordered column={1} style={{ marginBottom: 16 }}>
        <Descriptions.Item label="基地">{base.name}</Descriptions.Item>
        <Descriptions.Item label="单位">{base.unitName}</Descriptions.Item>
        <Descriptions.Item label="统一社会信用代码">{base.uscc}</Descriptions.Item>
        <Descriptions.Item label="最近一次认领码">
          {latest
            ? `${STATE_LABELS[latest.state]}（开具于 ${shanghai(latest.issuedAt)}，有效期至 ${shanghai(latest.expiresAt)}）`
            : "未开具"}
        </Descriptions.Item>
      </Descriptions>
      <Card size="small" title="已关联的法人账号" style={{ marginBottom: 16 }}>
        <Table
          rowKey={(r) => `${r.uscc}-${r.at}`}
          size="small"
          pagination={false}
          dataSource={accounts}
          locale={{ emptyText: "尚无账号关联本基地" }}
          columns={[
            { title: "单位", dataIndex: "unitName" },
            { title: "统一社会信用代码", dataIndex: "uscc" },
            { title: "关联方式", dataIndex: "via", render: (v: string) => VIA_LABELS[v] ?? v },
            { title: "关联时间", dataIndex: "at", render: (v: string) => shanghai(v) },
          ]}
        />
      </Card>
      {!base.revoked && (
        <Form method="post">
          <Button type="primary" htmlType="submit" loading={busy}>
            {latest ? "重新开具认领码" : "开具认领码"}
          </Button>
        </Form>
      )}
    </>
  );
}
