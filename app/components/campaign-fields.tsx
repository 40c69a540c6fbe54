import { Input, Radio } from "antd";
import { CAMPAIGN_KIND_LABELS, CAMPAIGN_KINDS } from "#src/modules/activities/activities.rules.ts";
import { Field } from "~/components/form-field";

/** The fields of a campaign (动员活动), for publishing and editing. */
export function CampaignFields(props: { values: Record<string, string>; errors: Record<string, string> }) {
  const { values: v, errors: e } = props;
  return (
    <>
      <Field label="动员类型" htmlFor="kind" error={e.kind} required>
        <div id="kind" role="radiogroup" aria-label="动员类型">
          <Radio.Group name="kind" defaultValue={v.kind || undefined}>
            {CAMPAIGN_KINDS.map((k) => (
              <Radio key={k} value={k}>
                {CAMPAIGN_KIND_LABELS[k]}
              </Radio>
            ))}
          </Radio.Group>
        </div>
      </Field>
      <Field label="名称" htmlFor="title" error={e.title} required>
        <Input
          id="title"
          name="title"
          maxLength={100}
          defaultValue={v.title}
          placeholder="如：2024年全国科普日"
        />
      </Field>
      <Field label="开始日期" htmlFor="startsOn" error={e.startsOn} required>
        <Input
          id="startsOn"
          name="startsOn"
          type="date"
          defaultValue={v.startsOn}
          style={{ maxWidth: 200 }}
        />
      </Field>
      <Field label="结束日期" htmlFor="endsOn" error={e.endsOn} required>
        <Input id="endsOn" name="endsOn" type="date" defaultValue={v.endsOn} style={{ maxWidth: 200 }} />
      </Field>
      <Field label="活动说明" htmlFor="description" error={e.description} required>
        <Input.TextArea
          id="description"
          name="description"
          rows={4}
          maxLength={2000}
          defaultValue={v.description}
        />
      </Field>
      <Field
        label="工作要求"
        htmlFor="expectations"
        error={e.expectations}
        extra="如：活动期间免费或优惠开放，每个基地至少开展1场活动"
      >
        <Input.TextArea
          id="expectations"
          name="expectations"
          rows={2}
          maxLength={1000}
          defaultValue={v.expectations}
        />
      </Field>
    </>
  );
}
