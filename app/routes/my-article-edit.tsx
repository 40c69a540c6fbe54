import { Alert, Button, Input, Space } from "antd";
import { lazy, Suspense, useEffect, useRef, useState } from "react";
import { Form, Link, redirect, useNavigation } from "react-router";
import {
  ARTICLE_IMAGE_SLOT,
  ARTICLE_STATUS_LABELS,
  canRecall,
  canUnpublish,
  isEditable,
} from "#src/modules/articles/articles.rules.ts";
import { articleDraftSchema, unpublishArticleSchema } from "#src/modules/articles/articles.schema.ts";
import {
  checkArticleAuthor,
  getOwnArticle,
  recallArticle,
  saveArticleDraft,
  submitArticle,
  unpublishArticle,
} from "#src/modules/articles/articles.server.ts";
import { formatShanghai } from "#src/platform/clock.ts";
import { ArticleHeadFields } from "~/components/article-head-fields";
import { UnpublishForm } from "~/components/article-unpublish-form";
import { FormAlert } from "~/components/form-alert";
import { Field, FieldLayout } from "~/components/form-field";
import { PageTitle } from "~/components/plain";
import { toMyBaseWhenMissing } from "~/lib/own-base.server";
import {
  actorOf,
  failWith,
  invalid,
  orFail,
  parseForm,
  readForm,
  requireUser,
  versionOf,
} from "~/lib/route.server";
import { useDraftAutosave } from "~/lib/use-draft-autosave";
import type { Route } from "./+types/my-article-edit";

// The editor's code is fetched by this page only, in the browser, once the page is interactive.
const RichEditor = lazy(() => import("~/components/rich-editor"));

export const meta: Route.MetaFunction = () => [{ title: "编辑文章 - 科普基地服务平台" }];

export async function loader({ request, params, context }: Route.LoaderArgs) {
  await requireUser(context, request, "articles:write");
  const actor = actorOf(context);
  // An organization without a base is sent to 我的基地; another's article is a 404 like any miss.
  await orFail(checkArticleAuthor(context.app, actor).catch(toMyBaseWhenMissing));
  const a = await orFail(getOwnArticle(context.app, actor, params.id));
  return {
    article: {
      id: a.id,
      column: a.column,
      title: a.title === "（无标题）" ? "" : a.title,
      bodyHtml: a.bodyHtml,
      status: a.status,
      returnReason: a.returnReason,
      editable: isEditable(a.status),
      version: a.version,
      updatedAt: formatShanghai(a.updatedAt),
    },
  };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  await requireUser(context, request, "articles:write");
  const fd = await readForm(request);
  const actor = actorOf(context);
  const intent = fd.get("intent");
  if (intent === "recall" || intent === "unpublish") {
    try {
      if (intent === "recall") await recallArticle(context.app, actor, params.id, versionOf(fd));
      else {
        const parsed = parseForm(unpublishArticleSchema, fd);
        if (!parsed.ok) return invalid(parsed.failure);
        await unpublishArticle(context.app, actor, params.id, parsed.data);
      }
    } catch (e) {
      return failWith(e, fd);
    }
    return redirect(`/my-articles/${params.id}`);
  }
  const parsed = parseForm(articleDraftSchema, fd);
  if (!parsed.ok) return invalid(parsed.failure);
  try {
    if (fd.get("intent") === "submit") {
      await submitArticle(context.app, actor, params.id, parsed.data, versionOf(fd));
      return redirect("/my-articles?submitted=1");
    }
    const saved = await saveArticleDraft(context.app, actor, params.id, parsed.data, versionOf(fd));
    return { ok: true as const, version: saved.version, savedAt: formatShanghai(saved.savedAt) };
  } catch (e) {
    return failWith(e, fd);
  }
}

export default function MyArticleEdit({ loaderData, actionData }: Route.ComponentProps) {
  const a = loaderData.article;
  const nav = useNavigation();
  const bodyRef = useRef<HTMLInputElement>(null);
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const draft = useDraftAutosave({
    url: `/my-articles/${a.id}/autosave`,
    enabled: true,
    versions: [a.version, actionData && "version" in actionData ? actionData.version : 0],
    savedAt: null,
    actionSavedAt: actionData?.ok ? actionData.savedAt : undefined,
  });
  const failure = actionData && !actionData.ok ? actionData : null;
  const err = failure?.fieldErrors ?? {};
  const v = failure?.values ?? { column: a.column, title: a.title, body: a.bodyHtml };

  if (!a.editable)
    return (
      <>
        <PageTitle>{a.title}</PageTitle>
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={
            canRecall(a.status)
              ? "该文章待审核，不能修改；撤回后可继续编辑。"
              : `该文章${ARTICLE_STATUS_LABELS[a.status]}，不能再修改。`
          }
          description={a.status === "published" && <Link to={`/articles/${a.id}`}>查看文章</Link>}
        />
        {failure?.message && !failure.fieldErrors && (
          <Alert type="error" showIcon title={failure.message} role="alert" style={{ marginBottom: 16 }} />
        )}
        {canRecall(a.status) && (
          <Form method="post">
            <input type="hidden" name="version" value={a.version} />
            <Button htmlType="submit" name="intent" value="recall" loading={nav.state === "submitting"}>
              撤回
            </Button>
          </Form>
        )}
        {canUnpublish(a.status) && (
          <UnpublishForm
            version={a.version}
            failure={failure ?? undefined}
            busy={nav.state === "submitting"}
          />
        )}
      </>
    );

  const busy = nav.state === "submitting";
  return (
    <>
      <p style={{ margin: 0 }}>
        <Link to="/my-articles">我的文章</Link> / 编辑
      </p>
      <PageTitle>编辑文章</PageTitle>
      {a.status === "returned" && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title="文章被退回，请修改后重新提交"
          description={`退回理由：${a.returnReason ?? ""}`}
        />
      )}
      <FormAlert failure={failure} labels={{ column: "栏目", title: "标题", body: "正文" }} />
      {draft.failed && (
        <Alert type="error" showIcon title={draft.failed} style={{ marginBottom: 16 }} role="alert" />
      )}
      <Form method="post" ref={draft.formRef} noValidate onChange={draft.onChange} onSubmit={draft.onSubmit}>
        <input type="hidden" name="version" value={draft.version} />
        <FieldLayout>
          <ArticleHeadFields errors={err} values={v} />
          <Field label="正文" htmlFor="body" error={err.body} required>
            <span id="body-label" hidden>
              正文
            </span>
            {hydrated ? (
              <>
                <input type="hidden" name="body" ref={bodyRef} defaultValue={v.body} />
                <Suspense fallback={<p className="kepu-muted">正在加载编辑器…</p>}>
                  <RichEditor
                    id="body"
                    labelledBy="body-label"
                    initialHtml={v.body ?? ""}
                    uploadUrl={`/files/article/${a.id}/${ARTICLE_IMAGE_SLOT.id}`}
                    onChange={(html) => {
                      if (bodyRef.current) bodyRef.current.value = html;
                      draft.onChange();
                    }}
                  />
                </Suspense>
              </>
            ) : (
              <Input.TextArea id="body" name="body" defaultValue={v.body} rows={12} />
            )}
          </Field>
          <p className="kepu-muted kepu-small" aria-live="polite">
            {draft.savedAt ? `已自动保存（${draft.savedAt}）` : `上次保存：${a.updatedAt}`}
          </p>
          <Space wrap>
            <Button htmlType="submit" name="intent" value="save" loading={busy}>
              保存草稿
            </Button>
            <Button type="primary" htmlType="submit" name="intent" value="submit" loading={busy}>
              提交审核
            </Button>
          </Space>
        </FieldLayout>
      </Form>
    </>
  );
}
