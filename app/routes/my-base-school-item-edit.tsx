import { Alert, Button, Card, Input, InputNumber, Radio } from "antd";
import { Form, Link, redirect, useNavigation } from "react-router";
import { listFiles } from "#src/modules/files/files.server.ts";
import { KIND_EXTENSIONS } from "#src/modules/files/slots.ts";
import { listCounties } from "#src/modules/regions/regions.server.ts";
import { getOwnItem, listOwnItems, saveItem } from "#src/modules/schools/school-items.server.ts";
import {
  GRADE_HINTS,
  GRADES,
  ITEM_KIND_LABELS,
  ITEM_KINDS,
  ITEM_PHOTO_SLOT,
  ITEM_STATUS_LABELS,
  SUBJECTS,
  WEEKDAYS,
} from "#src/modules/schools/schools.rules.ts";
import { itemSchema } from "#src/modules/schools/schools.schema.ts";
import { AttachmentUpload } from "~/components/attachment-upload";
import { ChoiceGroup } from "~/components/choice-group";
import { Field, FieldLayout } from "~/components/form-field";
import { PageTitle } from "~/components/plain";
import { joinChoices } from "~/lib/form-choices";
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
import type { Route } from "./+types/my-base-school-item-edit";

export const meta: Route.MetaFunction = () => [{ title: "科普助力双减项目 - 科普基地服务平台" }];

const MULTI = ["subjects", "grades", "weekdays", "counties"] as const;

export async function loader({ request, params, context }: Route.LoaderArgs) {
  await requireUser(context, request, "bases:own");
  const actor = actorOf(context);
  await orFail(listOwnItems(context.app, actor).catch(toMyBaseWhenMissing));
  const counties = (await listCounties(context.app)).map((c) => ({ value: c.code, label: c.name }));
  if (!params.id) return { counties, item: null, photos: [] };
  const item = await orFail(getOwnItem(context.app, actor, params.id));
  const photos = await listFiles(context.app, actor, "school_item", item.id);
  return {
    counties,
    item,
    photos: photos.map((p) => ({ id: p.id, name: p.name, url: p.url, thumbUrl: p.thumbUrl })),
  };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  await requireUser(context, request, "bases:own");
  const fd = joinChoices(await readForm(request), MULTI);
  const parsed = parseForm(itemSchema, fd);
  if (!parsed.ok) return invalid(parsed.failure);
  let id: string;
  try {
    id = await saveItem(context.app, actorOf(context), params.id ?? null, parsed.data, versionOf(fd));
  } catch (e) {
    return failWith(e, fd);
  }
  // A new item goes on to its page, where photos can be added.
  return redirect(params.id ? "/my-base/school-items?saved=1" : `/my-base/school-items/${id}?saved=1`);
}

export default function SchoolItemEdit({ loaderData, actionData }: Route.ComponentProps) {
  const { item, counties, photos } = loaderData;
  const busy = useNavigation().state === "submitting";
  const err = actionData?.fieldErrors ?? {};
  const saved = actionData?.values;
  const v: Record<string, string> = saved ?? {
    title: item?.title ?? "",
    kind: item?.kind ?? "",
    subjects: item?.subjects.join(",") ?? "",
    grades: item?.grades.join(",") ?? "",
    weekdays: item?.weekdays.join(",") ?? "周一,周二,周三,周四,周五",
    counties: item?.counties.join(",") ?? "",
    durationMinutes: String(item?.durationMinutes ?? 90),
    studentsPerSession: String(item?.studentsPerSession ?? 50),
    sessionsPerWeek: String(item?.sessionsPerWeek ?? 2),
    availableFrom: item?.availableFrom ?? "",
    availableTo: item?.availableTo ?? "",
    fee: item?.fee ?? "free",
    feeNote: item?.feeNote ?? "",
    description: item?.description ?? "",
    prepare: item?.prepare ?? "",
    safetyNotes: item?.safetyNotes ?? "",
  };
  const text = (name: string, label: string, required = true, props: Record<string, unknown> = {}) => (
    <Field label={label} htmlFor={name} error={err[name]} required={required}>
      <Input id={name} name={name} defaultValue={v[name]} aria-invalid={!!err[name]} {...props} />
    </Field>
  );
  const area = (name: string, label: string, max: number) => (
    <Field label={label} htmlFor={name} error={err[name]}>
      <Input.TextArea
        id={name}
        name={name}
        defaultValue={v[name]}
        maxLength={max}
        rows={3}
        aria-invalid={!!err[name]}
      />
    </Field>
  );
  const number = (name: string, label: string, min: number, max: number) => (
    <Field label={label} htmlFor={name} error={err[name]} required>
      <InputNumber
        id={name}
        name={name}
        min={min}
        max={max}
        defaultValue={Number(v[name]) || undefined}
        style={{ width: 160 }}
      />
    </Field>
  );
  return (
    <Card style={{ maxWidth: 760, margin: "0 auto" }}>
      <PageTitle style={{ marginTop: 0 }}>
        {item ? `编辑项目：${item.title}` : "新增科普助力双减项目"}
      </PageTitle>
      {item && (
        <Alert
          type={item.status === "returned" ? "error" : "info"}
          showIcon
          style={{ marginBottom: 16 }}
          title={`状态：${ITEM_STATUS_LABELS[item.status]}${item.reviewReason ? `（退回理由：${item.reviewReason}）` : ""}`}
          description="修改后须重新经县（市、区）科协审核；已上架的项目在审核期间暂不公开。"
        />
      )}
      {actionData?.message && (
        <Alert type="error" showIcon title={actionData.message} style={{ marginBottom: 16 }} role="alert" />
      )}
      <Form method="post" noValidate>
        <input type="hidden" name="version" value={item?.version ?? 0} />
        <FieldLayout>
          {text("title", "项目名称", true, { maxLength: 60 })}
          <Field label="服务方式" htmlFor="kind" error={err.kind} required>
            <Radio.Group
              id="kind"
              name="kind"
              defaultValue={v.kind}
              options={ITEM_KINDS.map((k) => ({ value: k, label: ITEM_KIND_LABELS[k] }))}
            />
          </Field>
          <Field label="学科标签" htmlFor="subjects" error={err.subjects} required>
            <ChoiceGroup
              id="subjects"
              name="subjects"
              legend="学科标签"
              options={SUBJECTS}
              defaultValue={v.subjects}
            />
          </Field>
          <Field label="适合学段" htmlFor="grades" error={err.grades} required>
            <ChoiceGroup
              id="grades"
              name="grades"
              legend="适合学段"
              options={GRADES.map((g) => ({ value: g, label: `${g}（${GRADE_HINTS[g]}）` }))}
              defaultValue={v.grades}
            />
          </Field>
          {number("durationMinutes", "时长（分钟）", 10, 480)}
          {number("studentsPerSession", "每场人数", 1, 2000)}
          {number("sessionsPerWeek", "每周可接场次", 1, 50)}
          <Field label="可预约开始日期" htmlFor="availableFrom" error={err.availableFrom} required>
            <Input
              id="availableFrom"
              name="availableFrom"
              type="date"
              defaultValue={v.availableFrom}
              style={{ width: 200 }}
            />
          </Field>
          <Field label="可预约结束日期" htmlFor="availableTo" error={err.availableTo} required>
            <Input
              id="availableTo"
              name="availableTo"
              type="date"
              defaultValue={v.availableTo}
              style={{ width: 200 }}
            />
          </Field>
          <Field label="可开展的星期" htmlFor="weekdays" error={err.weekdays} required>
            <ChoiceGroup
              id="weekdays"
              name="weekdays"
              legend="可开展的星期"
              options={WEEKDAYS}
              defaultValue={v.weekdays}
            />
          </Field>
          <Field label="服务区域" htmlFor="counties" error={err.counties} required>
            <ChoiceGroup
              id="counties"
              name="counties"
              legend="服务区域"
              options={counties}
              defaultValue={v.counties}
            />
          </Field>
          <Field label="收费" htmlFor="fee" error={err.fee} required>
            <Radio.Group
              id="fee"
              name="fee"
              defaultValue={v.fee}
              options={[
                { value: "free", label: "免费" },
                { value: "discount", label: "优惠" },
              ]}
            />
          </Field>
          {text("feeNote", "收费说明", false, { maxLength: 200, placeholder: "优惠收费请写明标准" })}
          {area("description", "项目简介", 2000)}
          {area("prepare", "学校需准备", 500)}
          {area("safetyNotes", "安全须知", 1000)}
          <Button type="primary" htmlType="submit" loading={busy}>
            提交审核
          </Button>{" "}
          <Link to="/my-base/school-items">返回</Link>
        </FieldLayout>
      </Form>
      {item && (
        <div style={{ marginTop: 24 }}>
          <FieldLayout>
            <Field
              label={`${ITEM_PHOTO_SLOT.label}（选填，最多${ITEM_PHOTO_SLOT.max}张）`}
              htmlFor="file_photos"
            >
              <AttachmentUpload
                id="file_photos"
                action={`/files/school_item/${item.id}/${ITEM_PHOTO_SLOT.id}`}
                accept={KIND_EXTENSIONS.image.map((e) => `.${e}`).join(",")}
                max={ITEM_PHOTO_SLOT.max}
                image
                files={photos}
              />
            </Field>
          </FieldLayout>
        </div>
      )}
    </Card>
  );
}
