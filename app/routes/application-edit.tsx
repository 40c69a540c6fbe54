import { Alert, Button, Card, Checkbox, Descriptions, Divider, Input, Radio, Space, Typography } from "antd";
import { useEffect, useRef, useState } from "react";
import { Form, Link, redirect, useNavigation, useSubmit } from "react-router";
import { APPLICATION_SLOTS } from "#src/modules/applications/application-attachments.server.ts";
import { BASIC_CONDITIONS, INTRO_MAX, OPENING_FORMS } from "#src/modules/applications/applications.rules.ts";
import { draftFromForm, FIELD_LABELS } from "#src/modules/applications/applications.schema.ts";
import {
  draftOf,
  getApplication,
  saveDraft,
  submitApplication,
} from "#src/modules/applications/applications.server.ts";
import { formatDeadline } from "#src/modules/calls/calls.rules.ts";
import { getCall } from "#src/modules/calls/calls.server.ts";
import { listFiles } from "#src/modules/files/files.server.ts";
import { KIND_EXTENSIONS } from "#src/modules/files/slots.ts";
import { listCounties } from "#src/modules/regions/regions.server.ts";
import { formatShanghai } from "#src/platform/clock.ts";
import { CATEGORIES } from "#src/platform/db/reference-data.ts";
import { isAppError } from "#src/platform/errors.ts";
import { AttachmentUpload } from "~/components/attachment-upload";
import { FormAlert } from "~/components/form-alert";
import { Field, FieldLayout } from "~/components/form-field";
import { PageTitle } from "~/components/plain";
import { actorOf, orFail, readForm, requireUser, versionOf } from "~/lib/route.server";
import type { Route } from "./+types/application-edit";

export const meta: Route.MetaFunction = () => [{ title: "填写申报表 - 科普基地服务平台" }];

/** Autosave after this long without typing. */
const AUTOSAVE_MS = 5000;

export async function loader({ request, params, context }: Route.LoaderArgs) {
  await requireUser(context, request, "applications:apply");
  const actor = actorOf(context);
  const { app, events } = await orFail(getApplication(context.app, actor, params.id));
  if (app.status !== "draft" && app.status !== "returned") throw redirect(`/applications/${app.id}`);
  const call = await getCall(context.app, app.call_id);
  const files = await listFiles(context.app, actor, "application", app.id);
  const lastReturn = [...events].reverse().find((e) => e.action === "return");
  return {
    id: app.id,
    status: app.status,
    version: app.version,
    draft: draftOf(app),
    call: { title: call.title, state: call.state, closesAt: formatDeadline(call.closes_at) },
    returned:
      app.status === "returned" && lastReturn
        ? { opinion: lastReturn.opinion ?? "", deadline: formatDeadline(app.return_deadline) }
        : null,
    counties: (await listCounties(context.app)).map((c) => ({
      value: c.code,
      label: c.name.replace(/[区县市]$/, ""),
    })),
    categories: CATEGORIES.filter((c) => call.categoryCodes.includes(c.code)).map((c) => ({
      value: c.code,
      label: c.name,
    })),
    slots: APPLICATION_SLOTS.map((s) => ({
      id: s.id,
      label: s.label,
      min: s.min,
      max: s.max,
      image: s.kinds.length === 1 && s.kinds[0] === "image",
      accept: s.kinds.flatMap((k) => KIND_EXTENSIONS[k].map((e) => `.${e}`)).join(","),
      files: files
        .filter((f) => f.slot === s.id)
        .map((f) => ({ id: f.id, name: f.name, url: f.url, thumbUrl: f.thumbUrl })),
    })),
  };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  await requireUser(context, request, "applications:apply");
  const fd = await readForm(request);
  const intent = fd.get("intent");
  const actor = actorOf(context);
  const version = versionOf(fd);
  let saved: { version: number; savedAt: string };
  try {
    // Whatever the intent, what was typed is stored first, so an error never loses it.
    saved = await saveDraft(context.app, actor, params.id, draftFromForm(fd), version);
  } catch (e) {
    if (isAppError(e))
      return { ok: false as const, intent, message: e.message, fieldErrors: {} as Record<string, string> };
    throw e;
  }
  if (intent !== "submit")
    return { ok: true as const, intent, version: saved.version, savedAt: formatShanghai(saved.savedAt) };
  try {
    await submitApplication(context.app, actor, params.id, saved.version);
  } catch (e) {
    if (isAppError(e)) {
      return {
        ok: false as const,
        intent,
        version: saved.version,
        message: e.message,
        fieldErrors: e.fieldErrors ?? {},
      };
    }
    throw e;
  }
  return redirect(`/applications/${params.id}?submitted=1`);
}

export default function ApplicationEdit({ loaderData, actionData }: Route.ComponentProps) {
  const d = loaderData.draft;
  const nav = useNavigation();
  const submit = useSubmit();
  const formRef = useRef<HTMLFormElement>(null);
  const [dirty, setDirty] = useState(false);
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const [autosaving, setAutosaving] = useState(false);
  const [autosaveFailed, setAutosaveFailed] = useState<string | null>(null);
  // A 保存/提交 pressed while an autosave is on its way: it waits for that answer.
  const [held, setHeld] = useState<string | null>(null);
  // The newest version the server has answered with, whichever save answered last: an older one
  // would be refused as a conflict. A ref, so a save sent right after an autosave settles reads
  // the autosave's version without waiting for a render.
  const latestVersion = useRef(0);
  const versionOf = (d: unknown) =>
    d && typeof d === "object" && "version" in d && typeof d.version === "number" ? d.version : 0;
  latestVersion.current = Math.max(latestVersion.current, loaderData.version, versionOf(actionData));
  const autosaveTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const autosaveInFlight = useRef<Promise<void> | null>(null);
  const errors: Record<string, string> = actionData && !actionData.ok ? actionData.fieldErrors : {};
  const [introLength, setIntroLength] = useState([...d.intro].length);

  useEffect(() => {
    if (!actionData) return;
    if (actionData.ok) setSavedAt(actionData.savedAt);
    // A refused submission still stored the draft first: only a refused save leaves changes unsaved.
    if ("version" in actionData) setDirty(false);
    if (!actionData.ok) {
      const first = Object.keys(actionData.fieldErrors)[0];
      const el = first ? document.getElementById(first) : null;
      el?.scrollIntoView({ block: "center" });
      if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) el.focus();
    }
  }, [actionData]);
  useEffect(() => {
    if (!dirty || autosaving || held || nav.state !== "idle") return;
    autosaveTimer.current = setTimeout(() => {
      autosaveTimer.current = undefined;
      if (!formRef.current) return;
      const fd = new FormData(formRef.current);
      fd.set("version", String(latestVersion.current));
      setDirty(false);
      setAutosaving(true);
      autosaveInFlight.current = fetch(`/applications/${loaderData.id}/autosave`, {
        method: "POST",
        body: fd,
        headers: { Accept: "application/json" },
      })
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
            // A conflict stays a conflict: trying again with the same version would only repeat it.
            if (res.status !== 409) setDirty(true);
            setAutosaveFailed(answer.message ?? "自动保存失败，请点【保存草稿】");
          }
        })
        .catch(() => {
          setDirty(true);
          setAutosaveFailed("自动保存失败，请检查网络后点【保存草稿】");
        })
        .finally(() => {
          autosaveInFlight.current = null;
          setAutosaving(false);
        });
    }, AUTOSAVE_MS);
    return () => clearTimeout(autosaveTimer.current);
  }, [dirty, autosaving, held, nav.state, loaderData.id]);

  const text = (name: keyof typeof d & string, props: Record<string, unknown> = {}) => (
    <Field
      label={FIELD_LABELS[name as keyof typeof FIELD_LABELS]}
      htmlFor={name}
      error={errors[name]}
      required
    >
      <Input
        id={name}
        name={name}
        defaultValue={String(d[name] ?? "")}
        aria-invalid={!!errors[name]}
        {...props}
      />
    </Field>
  );
  const busy = nav.state === "submitting";
  // The error summary names each field as its label does.
  const summaryLabels: Record<string, string> = {
    ...FIELD_LABELS,
    ...Object.fromEntries(
      BASIC_CONDITIONS.map((_, i) => [`cond_${i}`, `基本条件（${"一二三四五六七八"[i]}）`]),
    ),
    ...Object.fromEntries(loaderData.slots.map((s) => [`file_${s.id}`, s.label])),
  };

  return (
    <>
      <Typography.Text>
        <Link to="/applications">我的申报</Link> / 填写申报表
      </Typography.Text>
      <PageTitle>科普教育基地申报表</PageTitle>
      <Descriptions size="small" column={{ xs: 1, md: 2 }} style={{ marginBottom: 16 }}>
        <Descriptions.Item label="申报项目">{loaderData.call.title}</Descriptions.Item>
        <Descriptions.Item label="申报截止">{loaderData.call.closesAt}</Descriptions.Item>
      </Descriptions>
      {loaderData.returned && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={`申报被退回修改，请修改后重新提交（${loaderData.returned.deadline}）`}
          description={`退回理由：${loaderData.returned.opinion}`}
        />
      )}
      <FormAlert failure={actionData && !actionData.ok ? actionData : null} labels={summaryLabels} />
      {autosaveFailed && (
        <Alert type="error" showIcon title={autosaveFailed} style={{ marginBottom: 16 }} role="alert" />
      )}
      <Form
        method="post"
        ref={formRef}
        noValidate
        onChange={() => setDirty(true)}
        // An explicit save or submit carries everything typed, with the newest version. One pressed
        // while an autosave is on its way waits for that answer instead of racing it.
        onSubmit={(e) => {
          e.preventDefault();
          if (held) return;
          // Synchronously: a timer that fired before the next render would race this save.
          clearTimeout(autosaveTimer.current);
          const submitter = (e.nativeEvent as SubmitEvent).submitter;
          const fd = new FormData(e.currentTarget, submitter);
          const send = () => {
            setHeld(null);
            fd.set("version", String(latestVersion.current));
            submit(fd, { method: "post" });
          };
          setDirty(false);
          if (autosaveInFlight.current) {
            setHeld(String(fd.get("intent")));
            autosaveInFlight.current.then(send);
          } else send();
        }}
      >
        <input type="hidden" name="version" value={latestVersion.current} />
        <FieldLayout>
          <Card title="基地基本信息" size="small" style={{ marginBottom: 16 }}>
            <Field label="所在区域" htmlFor="regionCode" error={errors.regionCode} required>
              <Radio.Group
                id="regionCode"
                name="regionCode"
                defaultValue={d.regionCode}
                options={loaderData.counties}
              />
            </Field>
            {text("baseName", {
              maxLength: 100,
              placeholder: "单位名称+科普教育基地（例：中国观赏石博览园科普教育基地）",
            })}
            <Field
              label="申报单位名称"
              htmlFor="unitName"
              error={errors.unitName}
              required
              extra="单位名称必须与公章一致"
            >
              <Input id="unitName" name="unitName" defaultValue={d.unitName} maxLength={100} />
            </Field>
            {text("address", { maxLength: 200 })}
            {text("leaderName", { maxLength: 50 })}
            {text("leaderPhone", { maxLength: 20, inputMode: "tel" })}
            {text("contactName", { maxLength: 50 })}
            {text("contactPhone", { maxLength: 20, inputMode: "tel" })}
            {text("bookingPhone", { maxLength: 20, inputMode: "tel" })}
            {text("volunteerTeamName", { maxLength: 100, placeholder: "单位名称+科技志愿服务队" })}
            {text("volunteerCount", { maxLength: 6, inputMode: "numeric" })}
            {text("volunteerLeader", { maxLength: 50 })}
            {text("volunteerLeaderPhone", { maxLength: 20, inputMode: "tel" })}
            <Field label="开放形式" htmlFor="openingForm" error={errors.openingForm} required>
              <Radio.Group
                id="openingForm"
                name="openingForm"
                defaultValue={d.openingForm}
                options={OPENING_FORMS.map((o) => ({ value: o, label: o }))}
              />
            </Field>
            <Field label="申报类别" htmlFor="categoryCode" error={errors.categoryCode} required>
              <Radio.Group
                id="categoryCode"
                name="categoryCode"
                defaultValue={d.categoryCode}
                options={loaderData.categories}
              />
            </Field>
            {text("areaSqm", { maxLength: 12, inputMode: "decimal", suffix: "平方米" })}
            {text("openDays", { maxLength: 3, inputMode: "numeric", suffix: "天" })}
            <Field
              label={`科普教育基地简介（不超过${INTRO_MAX}字）`}
              htmlFor="intro"
              error={errors.intro}
              required
              extra={`${introLength} / ${INTRO_MAX} 字`}
            >
              <Input.TextArea
                id="intro"
                name="intro"
                defaultValue={d.intro}
                autoSize={{ minRows: 6, maxRows: 16 }}
                status={introLength > INTRO_MAX ? "error" : undefined}
                onChange={(e) => setIntroLength([...e.target.value].length)}
              />
            </Field>
            <Field label="已获命名（荣誉）情况" htmlFor="honors" error={errors.honors}>
              <Input.TextArea
                id="honors"
                name="honors"
                defaultValue={d.honors}
                autoSize={{ minRows: 3, maxRows: 10 }}
                placeholder="例：2020年，被表彰为衢州市全国科普日优秀组织单位。"
              />
            </Field>
          </Card>

          <Card title="基本条件（《管理办法》第五条）" size="small" style={{ marginBottom: 16 }}>
            <Typography.Paragraph type="secondary">请逐条确认，可补充说明。</Typography.Paragraph>
            {BASIC_CONDITIONS.map((c, i) => (
              <div key={c} style={{ marginBottom: 12 }}>
                <Checkbox id={`cond_${i}`} name={`cond_${i}`} defaultChecked={d.conditions[i]?.confirmed}>
                  （{"一二三四五六七八"[i]}）{c}
                </Checkbox>
                {errors[`cond_${i}`] && (
                  <div className="kepu-error-text" id={`cond_${i}-error`}>
                    {errors[`cond_${i}`]}
                  </div>
                )}
                <label htmlFor={`condNote_${i}`} className="sr-only">
                  第{i + 1}条说明
                </label>
                <Input
                  id={`condNote_${i}`}
                  name={`condNote_${i}`}
                  defaultValue={d.conditions[i]?.note}
                  placeholder="说明（选填）"
                  maxLength={200}
                  size="small"
                  style={{ marginTop: 4 }}
                />
              </div>
            ))}
          </Card>

          <Card title="上传相关证明材料" size="small" style={{ marginBottom: 16 }}>
            <Typography.Paragraph type="secondary">
              请先<a href={`/applications/${loaderData.id}/pdf`}>下载打印申报表（PDF）</a>，盖章后扫描为 PDF
              上传。照片每张不超过 10MB，PDF 不超过 20MB。
            </Typography.Paragraph>
            {loaderData.slots.map((s) => (
              <Field
                key={s.id}
                label={`${s.label}（${s.min === s.max ? `${s.min}个` : s.min > 0 ? `${s.min}～${s.max}个` : `最多${s.max}个`}）`}
                htmlFor={`file_${s.id}`}
                error={errors[`file_${s.id}`]}
                required={s.min > 0}
              >
                <AttachmentUpload
                  id={`file_${s.id}`}
                  label={s.label}
                  action={`/files/application/${loaderData.id}/${s.id}`}
                  accept={s.accept}
                  max={s.max}
                  image={s.image}
                  files={s.files}
                />
              </Field>
            ))}
          </Card>
          <Divider />
          <Space wrap>
            <Button
              htmlType="submit"
              name="intent"
              value="save"
              loading={held === "save" || (busy && nav.formData?.get("intent") === "save")}
            >
              保存草稿
            </Button>
            <Button
              type="primary"
              htmlType="submit"
              name="intent"
              value="submit"
              loading={held === "submit" || (busy && nav.formData?.get("intent") === "submit")}
            >
              提交
            </Button>
            <output aria-live="polite" className="kepu-muted">
              {autosaving ? "正在自动保存…" : savedAt ? `已保存 ${savedAt}` : dirty ? "有未保存的修改" : ""}
            </output>
          </Space>
        </FieldLayout>
      </Form>
    </>
  );
}
