import { Alert, Button, Card, Descriptions, Input, Space, Tag, Typography } from "antd";
import { Form, Link, useNavigation } from "react-router";
import { slotView } from "#src/modules/bases/bases.view.server.ts";
import { listFiles } from "#src/modules/files/files.server.ts";
import { HOW_TO_VERIFY, VERIFICATION_STATUS_LABELS } from "#src/modules/verification/verification.rules.ts";
import { claimCodeSchema } from "#src/modules/verification/verification.schema.ts";
import {
  claimBaseWithCode,
  getMyVerification,
  submitVerification,
  VERIFICATION_SLOTS,
} from "#src/modules/verification/verification.server.ts";
import { AttachmentUpload } from "~/components/attachment-upload";
import { FormAlert } from "~/components/form-alert";
import { Field, FieldLayout } from "~/components/form-field";
import { PageTitle } from "~/components/plain";
import { actorOf, failWith, invalid, orFail, parseForm, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/verification";

export const meta: Route.MetaFunction = () => [{ title: "单位认证 - 科普基地服务平台" }];

const STATUS_COLORS = {
  unverified: "default",
  pending: "blue",
  returned: "orange",
  verified: "green",
} as const;

/** 单位认证: the org's status, its documents for county review, and the claim-code form. */
export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "verification:submit");
  const actor = actorOf(context);
  const v = await orFail(getMyVerification(context.app, actor));
  const files = await listFiles(context.app, actor, "org_verification", v.userId);
  return {
    v: { ...v, statusLabel: VERIFICATION_STATUS_LABELS[v.status] },
    slots: VERIFICATION_SLOTS.map((id) => slotView(id, files)),
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  await requireUser(context, request, "verification:submit");
  const fd = await request.formData();
  const actor = actorOf(context);
  if (fd.get("intent") === "claim") {
    const parsed = parseForm(claimCodeSchema, fd);
    if (!parsed.ok) return invalid({ ...parsed.failure, message: "请输入认领码" });
    try {
      const r = await claimBaseWithCode(context.app, actor, parsed.data.code);
      return { ok: true as const, done: `认领成功：已关联“${r.baseName}”，可在【我的基地】中维护。` };
    } catch (e) {
      return failWith(e, fd);
    }
  }
  try {
    await submitVerification(context.app, actor);
    return { ok: true as const, done: "认证材料已提交，请等待所在县（市、区）科协审核。" };
  } catch (e) {
    return failWith(e, fd);
  }
}

export default function Verification({ loaderData, actionData }: Route.ComponentProps) {
  const { v, slots } = loaderData;
  const busy = useNavigation().state === "submitting";
  const failure = actionData && !actionData.ok ? actionData : undefined;
  const errors = failure?.fieldErrors ?? {};
  return (
    <>
      <PageTitle>单位认证</PageTitle>
      {actionData?.ok && (
        <Alert type="success" showIcon role="status" title={actionData.done} style={{ marginBottom: 16 }} />
      )}
      <FormAlert failure={failure} />
      <Descriptions size="small" bordered column={1} style={{ marginBottom: 16 }}>
        <Descriptions.Item label="认证状态">
          <Tag color={STATUS_COLORS[v.status]}>{v.statusLabel}</Tag>
        </Descriptions.Item>
        <Descriptions.Item label="审核单位">{v.regionName}科协</Descriptions.Item>
        {v.status === "returned" && v.reason && (
          <Descriptions.Item label="退回理由">{v.reason}</Descriptions.Item>
        )}
        <Descriptions.Item label="已关联基地">
          {v.bases.length ? (
            <Space wrap>
              {v.bases.map((b) => (
                <Link key={b.id} to="/my-base">
                  {b.name}
                </Link>
              ))}
            </Space>
          ) : (
            "无"
          )}
        </Descriptions.Item>
      </Descriptions>
      {v.status === "verified" ? (
        <Alert
          type="success"
          showIcon
          title="贵单位账号已通过认证，可以提交申报。"
          description="如有已认定的基地尚未关联，请向基地所在县（市、区）科协索取认领码，在下方输入。"
          style={{ marginBottom: 16 }}
        />
      ) : v.status === "pending" ? (
        <Alert
          type="info"
          showIcon
          title="认证材料已提交，等待所在县（市、区）科协审核。审核结果会通过【消息】通知您。"
          style={{ marginBottom: 16 }}
        />
      ) : (
        <Alert
          type="warning"
          showIcon
          title="贵单位账号尚未认证：可以填写和保存申报草稿，但不能提交申报，也不能管理基地。"
          description={HOW_TO_VERIFY}
          style={{ marginBottom: 16 }}
        />
      )}
      {v.status !== "verified" && (
        <Card size="small" title="方式一：上传认证材料，由县（市、区）科协审核" style={{ marginBottom: 16 }}>
          <Typography.Paragraph type="secondary">
            请上传加盖公章的营业执照或事业单位法人证书，以及单位授权本账号经办人的授权委托书（PDF 或图片）。
          </Typography.Paragraph>
          {/* The owner of the uploads: the files module's address for each slot is built from it. */}
          <Form method="post" noValidate data-upload-owner={v.userId}>
            <FieldLayout>
              {slots.map((s) => (
                <Field key={s.id} label={s.label} htmlFor={`file_${s.id}`} error={errors[s.id]} required>
                  <AttachmentUpload
                    id={`file_${s.id}`}
                    action={`/files/org_verification/${v.userId}/${s.id}`}
                    accept={s.accept}
                    max={s.max}
                    image={false}
                    files={s.files}
                    disabled={!v.editable}
                  />
                </Field>
              ))}
              {v.editable && (
                <Button type="primary" htmlType="submit" name="intent" value="submit" loading={busy}>
                  提交认证
                </Button>
              )}
            </FieldLayout>
          </Form>
        </Card>
      )}
      <Card size="small" title={v.status === "verified" ? "输入认领码关联基地" : "方式二：输入认领码"}>
        <Typography.Paragraph type="secondary">
          已认定的基地可向所在县（市、区）科协索取《科普教育基地账号认领函》，输入函中的认领码即完成认证并关联基地。
        </Typography.Paragraph>
        <Form method="post" noValidate>
          <FieldLayout>
            <Field label="认领码" htmlFor="code" error={errors.code} required>
              <Input
                id="code"
                name="code"
                autoComplete="off"
                maxLength={40}
                placeholder="如 ABCD-EFGH-JKMN-PQRS"
                aria-invalid={!!errors.code}
                style={{ maxWidth: 320 }}
              />
            </Field>
            <Button htmlType="submit" name="intent" value="claim" loading={busy}>
              认领
            </Button>
          </FieldLayout>
        </Form>
      </Card>
    </>
  );
}
