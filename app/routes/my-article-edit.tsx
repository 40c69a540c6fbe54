import { Alert, Button, Input, Space } from "antd";
import { lazy, Suspense, useEffect, useRef, useState } from "react";
import { Form, Link, redirect, useNavigation, useSubmit } from "react-router";
import {
  ARTICLE_IMAGE_SLOT,
  ARTICLE_STATUS_LABELS,
  isEditable,
} from "#src/modules/articles/articles.rules.ts";
import { articleDraftSchema } from "#src/modules/articles/articles.schema.ts";
import {
  checkArticleAuthor,
  getOwnArticle,
  saveArticleDraft,
  submitArticle,
} from "#src/modules/articles/articles.server.ts";
import { formatShanghai } from "#src/platform/clock.ts";
import { ArticleHeadFields } from "~/components/article-head-fields";
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
import type { Route } from "./+types/my-article-edit";

// The editor's code is fetched by this page only, in the browser, once the page is interactive.
const RichEditor = lazy(() => import("~/components/rich-editor"));

const AUTOSAVE_MS = 3000;

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
  const parsed = parseForm(articleDraftSchema, fd);
  if (!parsed.ok) return invalid(parsed.failure);
  const actor = actorOf(context);
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
  const submit = useSubmit();
  const formRef = useRef<HTMLFormElement>(null);
  const bodyRef = useRef<HTMLInputElement>(null);
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const [dirty, setDirty] = useState(false);
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const [autosaveFailed, setAutosaveFailed] = useState<string | null>(null);
  const latestVersion = useRef(a.version);
  if (actionData && "version" in actionData && typeof actionData.version === "number")
    latestVersion.current = Math.max(latestVersion.current, actionData.version);
  const autosaveTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const inFlight = useRef<Promise<void> | null>(null);
  const failure = actionData && !actionData.ok ? actionData : null;
  const err = failure?.fieldErrors ?? {};
  const v = failure?.values ?? { column: a.column, title: a.title, body: a.bodyHtml };

  useEffect(() => {
    if (actionData?.ok) setSavedAt(actionData.savedAt);
  }, [actionData]);

  useEffect(() => {
    if (!dirty || nav.state !== "idle") return;
    autosaveTimer.current = setTimeout(() => {
      if (!formRef.current) return;
      const fd = new FormData(formRef.current);
      fd.set("version", String(latestVersion.current));
      setDirty(false);
      inFlight.current = fetch(`/my-articles/${a.id}/autosave`, { method: "POST", body: fd })
        .then(async (res) => {
          const answer = (await res.json()) as {
            ok: boolean;
            version?: number;
            savedAt?: string;
            message?: string;
          };
          if (answer.ok && answer.version) {
            latestVersion.current = Math.max(latestVersion.current, answer.version);
            setSavedAt(answer.savedAt ?? null);
            setAutosaveFailed(null);
          } else {
            if (res.status !== 409) setDirty(true);
            setAutosaveFailed(answer.message ?? "自动保存失败，请点【保存草稿】");
          }
        })
        .catch(() => {
          setDirty(true);
          setAutosaveFailed("自动保存失败，请检查网络后点【保存草稿】");
        })
        .finally(() => {
          inFlight.current = null;
        });
    }, AUTOSAVE_MS);
    return () => clearTimeout(autosaveTimer.current);
  }, [dirty, nav.state, a.id]);

  if (!a.editable)
    return (
      <>
        <PageTitle>{a.title}</PageTitle>
        <Alert
          type="info"
          showIcon
          title={`该文章${ARTICLE_STATUS_LABELS[a.status]}，不能再修改。`}
          description={<Link to={`/articles/${a.id}`}>查看文章</Link>}
        />
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
      {autosaveFailed && (
        <Alert type="error" showIcon title={autosaveFailed} style={{ marginBottom: 16 }} role="alert" />
      )}
      <Form
        method="post"
        ref={formRef}
        noValidate
        onChange={() => setDirty(true)}
        onSubmit={(e) => {
          e.preventDefault();
          clearTimeout(autosaveTimer.current);
          const fd = new FormData(e.currentTarget, (e.nativeEvent as SubmitEvent).submitter);
          const send = () => {
            fd.set("version", String(latestVersion.current));
            submit(fd, { method: "post" });
          };
          setDirty(false);
          if (inFlight.current) inFlight.current.then(send);
          else send();
        }}
      >
        <input type="hidden" name="version" value={latestVersion.current} />
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
                      setDirty(true);
                    }}
                  />
                </Suspense>
              </>
            ) : (
              <Input.TextArea id="body" name="body" defaultValue={v.body} rows={12} />
            )}
          </Field>
          <p className="kepu-muted kepu-small" aria-live="polite">
            {savedAt ? `已自动保存（${savedAt}）` : `上次保存：${a.updatedAt}`}
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
