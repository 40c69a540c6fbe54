import { Alert, Button, Input, Radio, Space } from "antd";
import { Form, Link, redirect, useNavigation } from "react-router";
import { ARTICLE_STATUS_LABELS } from "#src/modules/articles/articles.rules.ts";
import { reviewArticleSchema, unpublishArticleSchema } from "#src/modules/articles/articles.schema.ts";
import {
  getArticleForReview,
  reviewArticle,
  unpublishArticle,
} from "#src/modules/articles/articles.server.ts";
import { formatShanghai } from "#src/platform/clock.ts";
import { UnpublishForm } from "~/components/article-unpublish-form";
import { FormAlert } from "~/components/form-alert";
import { Field, FieldLayout } from "~/components/form-field";
import { PageTitle, PlainTag, SectionTitle } from "~/components/plain";
import { actorOf, failWith, invalid, orFail, parseForm, readForm, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/admin-article-review";

export const meta: Route.MetaFunction = () => [{ title: "文章审核 - 科普基地服务平台" }];

export async function loader({ request, params, context }: Route.LoaderArgs) {
  await requireUser(context, request, "articles:review");
  const a = await orFail(getArticleForReview(context.app, actorOf(context), params.id));
  return {
    article: {
      id: a.id,
      title: a.title,
      columnLabel: a.columnLabel,
      authorName: a.authorName,
      status: a.status,
      returnReason: a.returnReason,
      submittedAt: a.submittedAt ? formatShanghai(a.submittedAt) : null,
      bodyHtml: a.bodyHtml,
      reviewable: a.reviewable,
      unpublishable: a.unpublishable,
      version: a.version,
    },
  };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  await requireUser(context, request, "articles:review");
  const fd = await readForm(request);
  if (fd.get("intent") === "unpublish") {
    const parsed = parseForm(unpublishArticleSchema, fd);
    if (!parsed.ok) return invalid(parsed.failure);
    try {
      await unpublishArticle(context.app, actorOf(context), params.id, parsed.data);
    } catch (e) {
      return failWith(e, fd);
    }
    return redirect("/admin/articles?status=returned");
  }
  const parsed = parseForm(reviewArticleSchema, fd);
  if (!parsed.ok) return invalid(parsed.failure);
  try {
    await reviewArticle(context.app, actorOf(context), params.id, parsed.data);
  } catch (e) {
    return failWith(e, fd);
  }
  return redirect(`/admin/articles?decided=${parsed.data.decision}`);
}

export default function AdminArticleReview({ loaderData, actionData }: Route.ComponentProps) {
  const a = loaderData.article;
  const busy = useNavigation().state === "submitting";
  const err = actionData?.fieldErrors ?? {};
  const v = actionData?.values ?? {};
  return (
    <>
      <p style={{ margin: 0 }}>
        <Link to="/admin/articles">文章审核</Link> / 审核
      </p>
      <PageTitle>{a.title}</PageTitle>
      <p className="kepu-muted kepu-small">
        <PlainTag color="blue">{a.columnLabel}</PlainTag>
        {a.authorName}
        {a.submittedAt && ` · 提交于 ${a.submittedAt}`} · {ARTICLE_STATUS_LABELS[a.status]}
      </p>
      {a.returnReason && <Alert type="warning" showIcon title={`退回理由：${a.returnReason}`} />}
      <section aria-labelledby="body-h" style={{ marginBottom: 24 }}>
        <SectionTitle id="body-h">正文</SectionTitle>
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: the body passed the sanitize-html allowlist on the server when it was read */}
        <div className="kepu-article-body" dangerouslySetInnerHTML={{ __html: a.bodyHtml }} />
      </section>
      {a.reviewable ? (
        <section aria-labelledby="review-h" style={{ maxWidth: 640 }}>
          <SectionTitle id="review-h">审核意见</SectionTitle>
          <FormAlert failure={actionData} labels={{ decision: "审核结果", reason: "退回理由" }} />
          <Form method="post" noValidate>
            <input type="hidden" name="version" value={a.version} />
            <FieldLayout>
              <Field label="审核结果" htmlFor="decision" error={err.decision} required>
                <Radio.Group
                  id="decision"
                  name="decision"
                  defaultValue={v.decision}
                  options={[
                    { value: "approve", label: "通过并发布" },
                    { value: "return", label: "退回修改" },
                  ]}
                />
              </Field>
              <Field label="退回理由" htmlFor="reason" error={err.reason}>
                <Input.TextArea id="reason" name="reason" rows={3} maxLength={500} defaultValue={v.reason} />
              </Field>
              <Space>
                <Button type="primary" htmlType="submit" loading={busy}>
                  提交审核意见
                </Button>
              </Space>
            </FieldLayout>
          </Form>
        </section>
      ) : a.unpublishable ? (
        <UnpublishForm version={a.version} failure={actionData} busy={busy} />
      ) : (
        a.status === "submitted" && (
          <Alert type="info" showIcon title="这是您撰写的文章，须由其他审核人员审核。" />
        )
      )}
    </>
  );
}
