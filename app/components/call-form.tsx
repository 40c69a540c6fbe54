import { Button, Checkbox, Input, InputNumber, Radio, Space } from "antd";
import { useState } from "react";
import { Form, useNavigation } from "react-router";
import { FormAlert } from "~/components/form-alert";
import { deadlineText } from "./deadline-date";
import { Field, FieldLayout } from "./form-field";

export interface CallFormDefaults {
  kind: string;
  batchNo: string;
  title: string;
  level: string;
  regionCode: string;
  /** "YYYY-MM-DDTHH:mm" in Asia/Shanghai */
  opensAt: string;
  /** "YYYY-MM-DD": the last day of the call, whole (to 24:00 Beijing time). */
  closesAt: string;
  categoryCodes: string[];
  targets: Record<string, number>;
  notice: string;
  /** One issuer a line; "" for the defaults. */
  issuers: string;
  documentNo: string;
}

export function CallForm(props: {
  defaults: CallFormDefaults;
  version?: number;
  regions: { value: string; label: string }[];
  counties: { value: string; label: string }[];
  categories: { value: string; label: string }[];
  errors: Record<string, string>;
  message?: string;
  submitLabel: string;
  /** The issuers used when the field is left empty, per level. */
  defaultIssuers: { city: string[]; county: string };
  /** The levels this user may organize: a county 科协 only its own county level. */
  levels: ("city" | "county")[];
}) {
  const d = props.defaults;
  const err = props.errors;
  const busy = useNavigation().state === "submitting";
  const [closesOn, setClosesOn] = useState(d.closesAt);
  const closesText = deadlineText(closesOn);
  return (
    <Form method="post" noValidate>
      {props.version !== undefined && <input type="hidden" name="version" value={props.version} />}
      <FormAlert failure={{ message: props.message, fieldErrors: err }} />
      <FieldLayout>
        <Field label="项目类型" htmlFor="kind" error={err.kind} required>
          <Input id="kind" name="kind" defaultValue={d.kind} maxLength={50} />
        </Field>
        <Field label="项目名称" htmlFor="title" error={err.title} required>
          <Input id="title" name="title" defaultValue={d.title} maxLength={100} />
        </Field>
        <Field label="批次" htmlFor="batchNo" error={err.batchNo}>
          <Input
            id="batchNo"
            name="batchNo"
            defaultValue={d.batchNo}
            inputMode="numeric"
            style={{ width: 120 }}
          />
        </Field>
        <Field
          label="认定级别"
          htmlFor="level"
          error={err.level}
          required
          extra="县级认定见《管理办法》第十九条"
        >
          <Radio.Group
            id="level"
            name="level"
            defaultValue={d.level}
            options={props.levels.map((v) => ({ value: v, label: v === "city" ? "市级" : "县级" }))}
          />
        </Field>
        <Field label="组织单位所属区域" htmlFor="regionCode" error={err.regionCode} required>
          <Radio.Group
            id="regionCode"
            name="regionCode"
            defaultValue={d.regionCode}
            options={props.regions}
          />
        </Field>
        <Space wrap size="large">
          <Field label="开始申报时间（北京时间）" htmlFor="opensAt" error={err.opensAt} required>
            <Input id="opensAt" name="opensAt" type="datetime-local" defaultValue={d.opensAt} />
          </Field>
          <Field label="截止日期" htmlFor="closesAt" error={err.closesAt} required extra={closesText}>
            <Input
              id="closesAt"
              name="closesAt"
              type="date"
              value={closesOn}
              onChange={(e) => setClosesOn(e.target.value)}
            />
          </Field>
        </Space>
        <Field label="申报类别" htmlFor="categoryCodes" error={err.categoryCodes} required>
          <fieldset id="categoryCodes" style={{ border: 0, margin: 0, padding: 0 }}>
            <legend className="sr-only">申报类别</legend>
            <Checkbox.Group name="categoryCodes" defaultValue={d.categoryCodes} options={props.categories} />
          </fieldset>
        </Field>
        <Field
          label="各县（市、区）新申报数目标"
          htmlFor={`target_${props.counties[0]?.value}`}
          error={err.targets}
        >
          <Space wrap>
            {props.counties.map((c) => (
              <label key={c.value} htmlFor={`target_${c.value}`}>
                {c.label}{" "}
                <InputNumber
                  id={`target_${c.value}`}
                  name={`target_${c.value}`}
                  min={0}
                  max={1000}
                  defaultValue={d.targets[c.value] ?? 6}
                  style={{ width: 80 }}
                />
              </label>
            ))}
          </Space>
        </Field>
        <Field
          label="认定单位（联合发文）"
          htmlFor="issuers"
          error={err.issuers}
          extra={`每行一个，按署名顺序排列；留空则市级项目为${props.defaultIssuers.city.join("、")}（《管理办法》第三条），县级项目为${props.defaultIssuers.county}`}
        >
          <Input.TextArea
            id="issuers"
            name="issuers"
            defaultValue={d.issuers}
            placeholder={props.defaultIssuers.city.join("\n")}
            autoSize={{ minRows: 2, maxRows: 8 }}
          />
        </Field>
        <Field
          label="命名文件文号"
          htmlFor="documentNo"
          error={err.documentNo}
          extra="印在命名文件和证书上，如：衢科协〔2023〕12号"
        >
          <Input
            id="documentNo"
            name="documentNo"
            defaultValue={d.documentNo}
            maxLength={50}
            style={{ width: 280 }}
          />
        </Field>
        <Field label="申报通知" htmlFor="notice" error={err.notice} required>
          <Input.TextArea
            id="notice"
            name="notice"
            defaultValue={d.notice}
            autoSize={{ minRows: 6, maxRows: 20 }}
          />
        </Field>
        <Button type="primary" htmlType="submit" loading={busy}>
          {props.submitLabel}
        </Button>
      </FieldLayout>
    </Form>
  );
}
