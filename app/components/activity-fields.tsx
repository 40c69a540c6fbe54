import { Checkbox, Input, Radio } from "antd";
import {
  ACTIVITY_FORM_LABELS,
  ACTIVITY_FORMS,
  ACTIVITY_TYPE_LABELS,
  ACTIVITY_TYPES,
  DIRECTION_LABELS,
  DIRECTIONS,
  FEE_LABELS,
  FEES,
} from "#src/modules/activities/activities.rules.ts";
import { Field } from "~/components/form-field";

export type ActivityValues = Record<string, string>;

/**
 * The 活动预告 fields, shared by 新增基地活动 and 编辑. Native radios and check boxes post with a
 * plain form and work before the scripts load; the times are Shanghai wall-clock datetime-local.
 */
export function ActivityFields(props: {
  values: ActivityValues;
  /** Campaign ids already tagged. */
  campaignIds: string[];
  campaigns: { id: string; title: string; expectations: string }[];
  errors: Record<string, string>;
  disabled?: boolean;
}) {
  const { values: v, errors: e, disabled } = props;
  const radios = (name: string, keys: readonly string[], labels: Record<string, string>) => (
    <Radio.Group name={name} defaultValue={v[name] || undefined} disabled={disabled}>
      {keys.map((k) => (
        <Radio key={k} value={k}>
          {labels[k]}
        </Radio>
      ))}
    </Radio.Group>
  );
  return (
    <>
      <Field label="活动名称" htmlFor="name" error={e.name} required>
        <Input
          id="name"
          name="name"
          maxLength={100}
          defaultValue={v.name}
          disabled={disabled}
          aria-invalid={!!e.name}
        />
      </Field>
      <Field label="活动类型" htmlFor="type" error={e.type} required>
        <div id="type" role="radiogroup" aria-label="活动类型">
          {radios("type", ACTIVITY_TYPES, ACTIVITY_TYPE_LABELS)}
        </div>
      </Field>
      <Field label="活动形式" htmlFor="form" error={e.form} required>
        <div id="form" role="radiogroup" aria-label="活动形式">
          {radios("form", ACTIVITY_FORMS, ACTIVITY_FORM_LABELS)}
        </div>
      </Field>
      <Field label="开始时间" htmlFor="startsAt" error={e.startsAt} required>
        <Input
          id="startsAt"
          name="startsAt"
          type="datetime-local"
          defaultValue={v.startsAt}
          disabled={disabled}
          style={{ maxWidth: 260 }}
          aria-invalid={!!e.startsAt}
        />
      </Field>
      <Field label="结束时间" htmlFor="endsAt" error={e.endsAt} required>
        <Input
          id="endsAt"
          name="endsAt"
          type="datetime-local"
          defaultValue={v.endsAt}
          disabled={disabled}
          style={{ maxWidth: 260 }}
          aria-invalid={!!e.endsAt}
        />
      </Field>
      <Field label="活动地点" htmlFor="place" error={e.place} extra="线下或线上+线下活动必填">
        <Input id="place" name="place" maxLength={200} defaultValue={v.place} disabled={disabled} />
      </Field>
      <Field
        label="线上参与链接"
        htmlFor="link"
        error={e.link}
        extra="线上或线上+线下活动必填，以 https:// 开头"
      >
        <Input id="link" name="link" inputMode="url" defaultValue={v.link} disabled={disabled} />
      </Field>
      <Field label="面向对象" htmlFor="audience" error={e.audience} required extra="如：中小学生、社区居民">
        <Input id="audience" name="audience" maxLength={100} defaultValue={v.audience} disabled={disabled} />
      </Field>
      <Field label="预计参与人数" htmlFor="expectedParticipants" error={e.expectedParticipants}>
        <Input
          id="expectedParticipants"
          name="expectedParticipants"
          inputMode="numeric"
          defaultValue={v.expectedParticipants}
          disabled={disabled}
          style={{ maxWidth: 160 }}
        />
      </Field>
      <Field label="收费方式" htmlFor="fee" error={e.fee} required>
        <div id="fee" role="radiogroup" aria-label="收费方式">
          {radios("fee", FEES, FEE_LABELS)}
        </div>
      </Field>
      <Field
        label="服务方式"
        htmlFor="direction"
        error={e.direction}
        required
        extra="请进来：学校到基地；走出去：基地进校园"
      >
        <div id="direction" role="radiogroup" aria-label="服务方式">
          {radios("direction", DIRECTIONS, DIRECTION_LABELS)}
        </div>
      </Field>
      {props.campaigns.length > 0 && (
        <Field label="参加的动员活动" htmlFor="campaignIds" error={e.campaignIds}>
          <div id="campaignIds">
            {props.campaigns.map((c) => (
              <div key={c.id}>
                <Checkbox
                  name="campaignIds"
                  value={c.id}
                  defaultChecked={props.campaignIds.includes(c.id)}
                  disabled={disabled}
                >
                  {c.title}
                </Checkbox>
                {c.expectations && <span className="kepu-muted kepu-small">（{c.expectations}）</span>}
              </div>
            ))}
          </div>
        </Field>
      )}
      <Field label="联系人" htmlFor="contactName" error={e.contactName} required>
        <Input
          id="contactName"
          name="contactName"
          maxLength={50}
          defaultValue={v.contactName}
          disabled={disabled}
          style={{ maxWidth: 260 }}
        />
      </Field>
      <Field label="联系电话" htmlFor="contactPhone" error={e.contactPhone} required>
        <Input
          id="contactPhone"
          name="contactPhone"
          inputMode="tel"
          defaultValue={v.contactPhone}
          disabled={disabled}
          style={{ maxWidth: 260 }}
        />
      </Field>
      <Field label="活动简介" htmlFor="description" error={e.description} required>
        <Input.TextArea
          id="description"
          name="description"
          rows={5}
          maxLength={2000}
          defaultValue={v.description}
          disabled={disabled}
        />
      </Field>
    </>
  );
}

/** Check boxes post one value each; the schema takes them joined. */
export function joinCampaignIds(fd: FormData): void {
  fd.set(
    "campaignIds",
    fd
      .getAll("campaignIds")
      .filter((x): x is string => typeof x === "string")
      .join(","),
  );
}
