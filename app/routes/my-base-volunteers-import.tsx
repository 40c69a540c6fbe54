import { Alert, Button, Card, Typography } from "antd";
import { Form, Link, redirect, useNavigation } from "react-router";
import { loadOwnBase } from "#src/modules/volunteers/volunteers.server.ts";
import {
  importVolunteers,
  type VolunteerImportReport,
} from "#src/modules/volunteers/volunteers-import.server.ts";
import { isAppError } from "#src/platform/errors.ts";
import { PageTitle } from "~/components/plain";
import { StackedTable } from "~/components/stacked-table";
import { toMyBaseWhenMissing } from "~/lib/own-base.server";
import { actorOf, orFail, readForm, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/my-base-volunteers-import";

export const meta: Route.MetaFunction = () => [{ title: "导入志愿者 - 科普基地服务平台" }];

const MAX_BYTES = 10 * 1024 * 1024;

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "bases:own");
  await orFail(loadOwnBase(context.app, actorOf(context)).catch(toMyBaseWhenMissing));
  return {};
}

type Answer = { ok: false; message: string; report?: VolunteerImportReport };

export async function action({ request, context }: Route.ActionArgs): Promise<Answer | Response> {
  await requireUser(context, request, "bases:own");
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > MAX_BYTES) return { ok: false, message: "文件超过 10 MB 的上限，请分批导入" };
  const fd = await readForm(request);
  const file = fd.get("file");
  if (!(file instanceof File) || file.size === 0) return { ok: false, message: "请选择要导入的 Excel 文件" };
  if (file.size > MAX_BYTES) return { ok: false, message: "文件超过 10 MB 的上限，请分批导入" };
  try {
    const report = await importVolunteers(
      context.app,
      actorOf(context),
      Buffer.from(await file.arrayBuffer()),
    );
    if (report.applied) return redirect(`/my-base/volunteers?imported=${report.imported}`);
    return {
      ok: false,
      message: `有 ${report.invalidRows.length} 行数据有误，未导入任何数据。请按下表修改后重新导入。`,
      report,
    };
  } catch (e) {
    if (isAppError(e)) return { ok: false, message: e.message };
    throw e;
  }
}

export default function MyBaseVolunteersImport({ actionData }: Route.ComponentProps) {
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <Typography.Text>
        <Link to="/my-base">我的基地</Link> / <Link to="/my-base/volunteers">科技志愿服务队</Link> /
        导入志愿者
      </Typography.Text>
      <PageTitle>导入志愿者</PageTitle>
      <Typography.Paragraph>
        请先 <a href="/my-base/volunteers/template.xlsx">下载导入模板</a>
        ，按模板填写姓名、手机号、志愿者编号、专业特长和加入日期（不收集身份证号码）。文件中任何一行有误时不导入任何数据，并逐行列出问题。
      </Typography.Paragraph>
      {actionData && !actionData.ok && (
        <Alert type="error" showIcon role="alert" title={actionData.message} style={{ marginBottom: 16 }} />
      )}
      <Card size="small" style={{ marginBottom: 16 }}>
        <Form method="post" encType="multipart/form-data">
          <label htmlFor="file">Excel 文件（.xlsx，不超过 10 MB）</label>
          <div style={{ margin: "8px 0" }}>
            <input id="file" name="file" type="file" accept=".xlsx" required />
          </div>
          <Button type="primary" htmlType="submit" loading={busy}>
            导入
          </Button>
        </Form>
      </Card>
      {actionData?.report && (
        <Card
          size="small"
          title={`检查结果：共 ${actionData.report.rows} 行，有误 ${actionData.report.invalidRows.length} 行`}
        >
          <StackedTable
            rowKey={(p) => `${p.row}-${p.column}`}
            size="small"
            pagination={false}
            dataSource={actionData.report.problems}
            columns={[
              { title: "行号", dataIndex: "row", width: 80 },
              { title: "列", dataIndex: "column", width: 140 },
              { title: "问题", dataIndex: "message" },
            ]}
          />
        </Card>
      )}
    </>
  );
}
