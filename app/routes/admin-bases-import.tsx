import { Alert, Button, Card, Checkbox, Space, Statistic, Table, Tag, Typography } from "antd";
import { Form, Link, useNavigation } from "react-router";
import { type ImportReport, importBases, previewImport } from "#src/modules/bases/bases-import.server.ts";
import { isAppError } from "#src/platform/errors.ts";
import { PageTitle, SectionTitle } from "~/components/plain";
import { actorOf, readForm, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/admin-bases-import";

export const meta: Route.MetaFunction = () => [{ title: "基地导入 - 科普基地服务平台" }];

const MAX_BYTES = 10 * 1024 * 1024;
const ACTION_LABELS = { create: "新增", update: "更新", unchanged: "无变化" } as const;

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "bases:import");
  return {};
}

type Answer =
  | { ok: true; intent: "preview" | "import"; report: ImportReport; fileName: string }
  | { ok: false; message: string };

export async function action({ request, context }: Route.ActionArgs): Promise<Answer> {
  await requireUser(context, request, "bases:import");
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > MAX_BYTES) return { ok: false, message: "文件超过 10 MB 的上限，请分批导入" };
  const fd = await readForm(request);
  const file = fd.get("file");
  if (!(file instanceof File) || file.size === 0) return { ok: false, message: "请选择要导入的 Excel 文件" };
  if (file.size > MAX_BYTES) return { ok: false, message: "文件超过 10 MB 的上限，请分批导入" };
  const buffer = Buffer.from(await file.arrayBuffer());
  const intent = fd.get("intent") === "import" ? "import" : "preview";
  try {
    const report =
      intent === "import"
        ? await importBases(context.app, actorOf(context), buffer, {
            skipInvalid: fd.get("skipInvalid") === "on",
          })
        : await previewImport(context.app, actorOf(context), buffer);
    return { ok: true, intent, report, fileName: file.name };
  } catch (e) {
    if (isAppError(e)) return { ok: false, message: e.message };
    throw e;
  }
}

export default function AdminBasesImport({ actionData }: Route.ComponentProps) {
  const busy = useNavigation().state === "submitting";
  const answer = actionData;
  const report = answer?.ok ? answer.report : undefined;
  const imported = answer?.ok && answer.intent === "import" && report?.applied;
  const refused = answer?.ok && answer.intent === "import" && !report?.applied;
  return (
    <>
      <Typography.Text>
        <Link to="/admin/bases">基地管理</Link> / 基地导入
      </Typography.Text>
      <PageTitle>基地导入</PageTitle>
      <Typography.Paragraph>
        用于导入往批次已认定的科普教育基地。请先 <a href="/admin/bases/import/template.xlsx">下载导入模板</a>
        ，按模板填写后上传预览；以统一社会信用代码识别基地，已存在的基地将按文件内容更新，重复导入同一文件不会产生变化。
      </Typography.Paragraph>
      {answer && !answer.ok && (
        <Alert type="error" showIcon role="alert" title={answer.message} style={{ marginBottom: 16 }} />
      )}
      {imported && report && (
        <Alert
          type="success"
          showIcon
          role="status"
          style={{ marginBottom: 16 }}
          title={`导入完成：新增 ${report.created} 个，更新 ${report.updated} 个，无变化 ${report.unchanged} 个${report.skipped ? `，跳过无效行 ${report.skipped} 行` : ""}`}
        />
      )}
      {refused && report && (
        <Alert
          type="error"
          showIcon
          role="alert"
          style={{ marginBottom: 16 }}
          title={`有 ${report.invalidRows.length} 行数据有误，未导入任何数据`}
          description="请按下表修改后重新上传；或勾选“跳过无效行”，只导入正确的行。"
        />
      )}
      <Card size="small" style={{ marginBottom: 16 }}>
        <Form method="post" encType="multipart/form-data">
          <Space orientation="vertical">
            <div>
              <label htmlFor="file" style={{ marginRight: 8 }}>
                Excel 文件（.xlsx）
              </label>
              <input
                id="file"
                name="file"
                type="file"
                accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                required
              />
            </div>
            <Checkbox name="skipInvalid" id="skipInvalid">
              跳过无效行（只导入正确的行；不勾选时，只要有一行有误就不导入任何数据）
            </Checkbox>
            <Space wrap>
              <Button htmlType="submit" name="intent" value="preview" loading={busy}>
                上传并预览
              </Button>
              <Button type="primary" htmlType="submit" name="intent" value="import" loading={busy}>
                确认导入
              </Button>
            </Space>
          </Space>
        </Form>
      </Card>
      {report && answer?.ok && (
        <>
          <SectionTitle>
            {answer.intent === "preview" ? "预览" : "导入结果"}：{answer.fileName}
          </SectionTitle>
          <Space size="large" wrap style={{ marginBottom: 16 }}>
            <Statistic title="数据行" value={report.rows} />
            <Statistic title="新增" value={report.created} />
            <Statistic title="更新" value={report.updated} />
            <Statistic title="无变化" value={report.unchanged} />
            <Statistic title="有误的行" value={report.invalidRows.length} />
          </Space>
          {report.problems.length > 0 && (
            <Card size="small" title="有误的行" style={{ marginBottom: 16 }}>
              <Table
                rowKey={(p) => `${p.row}-${p.column}`}
                size="small"
                dataSource={report.problems}
                pagination={{ pageSize: 50, showSizeChanger: false }}
                columns={[
                  { title: "行号", dataIndex: "row", width: 80 },
                  { title: "列", dataIndex: "column", width: 160 },
                  { title: "问题", dataIndex: "message" },
                ]}
              />
            </Card>
          )}
          {report.notes.length > 0 && (
            <Card size="small" title="请核对" style={{ marginBottom: 16 }}>
              <Table
                rowKey={(p) => `${p.row}-${p.column}`}
                size="small"
                dataSource={report.notes}
                pagination={{ pageSize: 50, showSizeChanger: false }}
                columns={[
                  { title: "行号", dataIndex: "row", width: 80 },
                  { title: "列", dataIndex: "column", width: 160 },
                  { title: "说明", dataIndex: "message" },
                ]}
              />
            </Card>
          )}
          <Card size="small" title="逐行处理">
            <Table
              rowKey="row"
              size="small"
              dataSource={report.plan}
              pagination={{ pageSize: 50, showSizeChanger: false }}
              expandable={{
                rowExpandable: (p) => p.changes.length > 0,
                expandedRowRender: (p) => (
                  <Table
                    rowKey="column"
                    size="small"
                    pagination={false}
                    dataSource={p.changes}
                    columns={[
                      { title: "字段", dataIndex: "column", width: 160 },
                      { title: "原值", dataIndex: "from" },
                      { title: "新值", dataIndex: "to" },
                    ]}
                  />
                ),
              }}
              columns={[
                { title: "行号", dataIndex: "row", width: 80 },
                { title: "统一社会信用代码", dataIndex: "uscc", width: 200 },
                { title: "基地名称", dataIndex: "name" },
                {
                  title: "变更字段",
                  key: "changed",
                  render: (_: unknown, p: (typeof report.plan)[number]) =>
                    p.changes.map((c) => c.column).join("、"),
                },
                {
                  title: report.applied ? "结果" : "将会",
                  dataIndex: "action",
                  width: 100,
                  render: (a: keyof typeof ACTION_LABELS) => (
                    <Tag color={a === "create" ? "green" : a === "update" ? "blue" : "default"}>
                      {ACTION_LABELS[a]}
                    </Tag>
                  ),
                },
              ]}
            />
          </Card>
        </>
      )}
    </>
  );
}
