import { Input } from "antd";
import { ARTICLE_COLUMNS, COLUMN_LABELS } from "#src/modules/articles/articles.rules.ts";
import { TITLE_MAX } from "#src/modules/articles/articles.schema.ts";
import { Field } from "~/components/form-field";
import { SelectInput } from "~/components/select-input";

/** An article's 栏目 and 标题, as the new-article form and the editor both ask for them. */
export function ArticleHeadFields(props: {
  errors: Record<string, string>;
  values: { column?: string; title?: string };
}) {
  const { errors: err, values: v } = props;
  return (
    <>
      <Field label="栏目" htmlFor="column" error={err.column} required>
        <SelectInput
          id="column"
          name="column"
          defaultValue={v.column}
          invalid={!!err.column}
          options={ARTICLE_COLUMNS.map((c) => ({ value: c, label: COLUMN_LABELS[c] }))}
        />
      </Field>
      <Field label="标题" htmlFor="title" error={err.title} required>
        <Input
          id="title"
          name="title"
          defaultValue={v.title}
          maxLength={TITLE_MAX}
          aria-invalid={!!err.title}
        />
      </Field>
    </>
  );
}
