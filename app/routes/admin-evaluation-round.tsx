import { Alert, Button, Card, Descriptions, Input, Space, Table, Tag, Typography } from "antd";
import { Form, Link, useNavigation } from "react-router";
import { can } from "#src/modules/accounts/accounts.policy.ts";
import {
  ENTRY_STATUS_LABELS,
  GRADE_LABELS,
  ROUND_ACTIONS,
  ROUND_STATUS_LABELS,
  roundActionFrom,
} from "#src/modules/evaluation/evaluation.rules.ts";
import { evaluatorSchema } from "#src/modules/evaluation/evaluation.schema.ts";
import {
  advanceRound,
  beijingDateOf,
  getRound,
  listEvaluatorCandidates,
  removeRoundEvaluator,
  setRoundEvaluator,
} from "#src/modules/evaluation/evaluation.server.ts";
import { listEntries } from "#src/modules/evaluation/evaluation-entries.server.ts";
import { calculateResults, publishResults } from "#src/modules/evaluation/evaluation-scoring.server.ts";
import { listCounties, listRegions } from "#src/modules/regions/regions.server.ts";
import { CATEGORIES } from "#src/platform/db/reference-data.ts";
import type { EntryStatus, Grade } from "#src/platform/db/schema.ts";
import { EvaluationReportLink } from "~/components/evaluation-figures";
import { Field, FieldLayout } from "~/components/form-field";
import { ButtonLink, PageTitle } from "~/components/plain";
import { SelectInput } from "~/components/select-input";
import { actorOf, failWith, invalid, orFail, readForm, requireUser, versionOf } from "~/lib/route.server";
import type { Route } from "./+types/admin-evaluation-round";

export const meta: Route.MetaFunction = () => [{ title: "年度评价 - 科普基地服务平台" }];

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const user = await requireUser(context, request, "evaluation:read");
  const actor = actorOf(context);
  const { round, evaluators } = await orFail(getRound(context.app, actor, params.id));
  const sp = new URL(request.url).searchParams;
  const entries = await orFail(
    listEntries(context.app, actor, round.id, { flagged: sp.get("flagged") === "1" }),
  );
  const names = new Map((await listRegions(context.app)).map((r) => [r.code, r.name]));
  const manage = can(user, "evaluation:manage");
  const next = roundActionFrom(round.status);
  const today = new Date(context.app.clock.now().getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  return {
    manage,
    // 第十七条: 择优推荐 — 优秀 bases of a round whose results took effect are candidates for recommendation.
    canRecommend: round.status === "closed" && can(user, "bases:manage"),
    today,
    round: {
      id: round.id,
      title: round.title,
      year: round.year,
      status: round.status,
      version: round.version,
      selfDeadline: beijingDateOf(round.self_deadline),
      scoringDeadline: beijingDateOf(round.scoring_deadline),
      noticeId: round.notice_id,
    },
    next: next && { action: next, label: ROUND_ACTIONS[next].label },
    evaluators: manage
      ? evaluators.map((e) => ({
          userId: e.user_id,
          name: e.displayName,
          role: e.role,
          scope: `${e.scope_kind === "county" ? "按县" : "按类别"}：${(JSON.parse(e.scope_values) as string[]).map((c) => names.get(c) ?? c).join("、")}`,
          unit: e.unit_name,
        }))
      : [],
    candidates: manage
      ? (await listEvaluatorCandidates(context.app, actor)).map((u) => ({
          value: u.id,
          label: `${u.display_name}（${u.username ?? ""}）`,
        }))
      : [],
    counties: (await listCounties(context.app)).map((c) => ({ value: c.code, label: c.name })),
    categories: CATEGORIES.map((c) => ({ value: c.code, label: c.name })),
    entries: entries.map((e) => ({
      id: e.id,
      baseId: e.base_id,
      baseName: e.base_name,
      county: names.get(e.region_code) ?? e.region_code,
      status: e.status,
      late: !!e.late,
      autoScore: e.auto_score,
      manualScore: e.manual_score,
      finalScore: e.final_score,
      grade: e.grade,
      flagged: !!e.spread_flag,
    })),
  };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  await requireUser(context, request, "evaluation:manage");
  const fd = await readForm(request);
  const intent = String(fd.get("intent") ?? "");
  const actor = actorOf(context);
  try {
    if (intent === "open" || intent === "start_review" || intent === "start_scoring") {
      await advanceRound(context.app, actor, params.id, intent, versionOf(fd));
      return { ok: true as const, done: `已${ROUND_ACTIONS[intent].label}` };
    }
    if (intent === "evaluator") {
      const raw = {
        ...Object.fromEntries(fd.entries()),
        scopeValues: fd.getAll("scopeValues").map(String).filter(Boolean),
      };
      const parsed = evaluatorSchema.safeParse(raw);
      if (!parsed.success) {
        const fieldErrors: Record<string, string> = {};
        for (const i of parsed.error.issues) fieldErrors[String(i.path[0])] ??= i.message;
        return invalid({ ok: false, message: "请检查评价人员设置", fieldErrors, values: {} });
      }
      await setRoundEvaluator(context.app, actor, params.id, parsed.data);
      return { ok: true as const, done: "评价人员已保存" };
    }
    if (intent === "remove") {
      await removeRoundEvaluator(context.app, actor, params.id, String(fd.get("userId") ?? ""));
      return { ok: true as const, done: "已移除评价人员" };
    }
    if (intent === "calculate") {
      const n = await calculateResults(context.app, actor, params.id);
      return { ok: true as const, done: `已计算 ${n} 个基地的结果` };
    }
    if (intent === "publish") {
      const startDate = String(fd.get("startDate") ?? "");
      const workingDays = Number(fd.get("workingDays"));
      const contact = String(fd.get("contact") ?? "").trim();
      const fieldErrors: Record<string, string> = {};
      if (!/^\d{4}-\d{2}-\d{2}$/.test(startDate)) fieldErrors.startDate = "请选择公示开始日期";
      if (!Number.isInteger(workingDays) || workingDays < 1 || workingDays > 30)
        fieldErrors.workingDays = "公示期为1至30个工作日";
      if (!contact) fieldErrors.contact = "请填写异议受理联系方式";
      if (Object.keys(fieldErrors).length)
        return invalid({
          ok: false,
          message: "请检查公示信息",
          fieldErrors,
          values: { startDate, workingDays: String(fd.get("workingDays") ?? ""), contact },
        });
      await publishResults(context.app, actor, params.id, {
        startDate,
        workingDays,
        contact,
        calendarConfirmed: fd.get("calendarConfirmed") === "1",
        version: versionOf(fd),
      });
      return { ok: true as const, done: "结果已确认并在【公示栏】公示" };
    }
    throw new Response("未知操作", { status: 400 });
  } catch (e) {
    if (e instanceof Response) throw e;
    return failWith(e, fd);
  }
}

export default function AdminEvaluationRound({ loaderData, actionData }: Route.ComponentProps) {
  const d = loaderData;
  const busy = useNavigation().state === "submitting";
  const failure = actionData && !actionData.ok ? actionData : undefined;
  const errors = failure?.fieldErrors ?? {};
  return (
    <>
      <Typography.Text>
        <Link to="/admin/evaluation">绩效评价</Link> / {d.round.title}
      </Typography.Text>
      <PageTitle>{d.round.title}</PageTitle>
      {actionData?.ok && (
        <Alert type="success" showIcon role="status" title={actionData.done} style={{ marginBottom: 16 }} />
      )}
      {failure?.message && (
        <Alert type="error" showIcon role="alert" title={failure.message} style={{ marginBottom: 16 }} />
      )}
      <Card size="small" style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={{ xs: 1, sm: 2 }}>
          <Descriptions.Item label="阶段">{ROUND_STATUS_LABELS[d.round.status]}</Descriptions.Item>
          <Descriptions.Item label="年度">{d.round.year}</Descriptions.Item>
          <Descriptions.Item label="自评截止">{d.round.selfDeadline}</Descriptions.Item>
          <Descriptions.Item label="评分截止">{d.round.scoringDeadline}</Descriptions.Item>
          {d.round.noticeId && (
            <Descriptions.Item label="结果公示">
              <Link to={`/notices/${d.round.noticeId}`}>查看公示</Link>
            </Descriptions.Item>
          )}
        </Descriptions>
        <Space wrap style={{ marginTop: 8 }}>
          {d.manage && d.next && d.next.action !== "publish" && d.next.action !== "close" && (
            <Form method="post">
              <input type="hidden" name="version" value={d.round.version} />
              <Button type="primary" htmlType="submit" name="intent" value={d.next.action} loading={busy}>
                {d.next.label}
              </Button>
            </Form>
          )}
          {d.manage && d.round.status === "scoring" && (
            <Form method="post">
              <Button htmlType="submit" name="intent" value="calculate" loading={busy}>
                计算结果
              </Button>
            </Form>
          )}
          <ButtonLink to={`/admin/evaluation/${d.round.id}/scores.xlsx`} reloadDocument>
            导出全部评分
          </ButtonLink>
          {d.manage && (d.round.status === "publicity" || d.round.status === "closed") && (
            <ButtonLink to={`/admin/evaluation/${d.round.id}/subsidies.xlsx`} reloadDocument>
              导出补助名单
            </ButtonLink>
          )}
          <ButtonLink to={d.entries.some((e) => e.flagged) ? "?flagged=1" : "?"}>
            只看评分差异较大的基地
          </ButtonLink>
        </Space>
      </Card>
      {d.manage && d.round.status === "scoring" && (
        <Card size="small" title="确认结果并公示" style={{ marginBottom: 16 }}>
          <Form method="post" noValidate>
            <input type="hidden" name="version" value={d.round.version} />
            <FieldLayout>
              <Space wrap>
                <Field label="公示开始日期" htmlFor="startDate" error={errors.startDate} required>
                  <Input
                    id="startDate"
                    name="startDate"
                    type="date"
                    defaultValue={failure?.values.startDate ?? d.today}
                  />
                </Field>
                <Field label="公示期（工作日）" htmlFor="workingDays" error={errors.workingDays} required>
                  <Input
                    type="number"
                    style={{ width: 120 }}
                    id="workingDays"
                    name="workingDays"
                    min={1}
                    max={30}
                    defaultValue={failure?.values.workingDays ?? "5"}
                  />
                </Field>
                <Field label="异议受理联系方式" htmlFor="contact" error={errors.contact} required>
                  <Input id="contact" name="contact" defaultValue={failure?.values.contact ?? ""} />
                </Field>
              </Space>
              {errors.calendarConfirmed && <input type="hidden" name="calendarConfirmed" value="1" />}
              <Typography.Paragraph type="secondary">
                确认后结果在【公示栏】公示，不能再修改评分；公示期满结果生效。
              </Typography.Paragraph>
              <Button type="primary" htmlType="submit" name="intent" value="publish" loading={busy}>
                确认结果并公示
              </Button>
            </FieldLayout>
          </Form>
        </Card>
      )}
      {d.manage && (
        <Card size="small" title="评价人员" style={{ marginBottom: 16 }}>
          <Table
            size="small"
            rowKey="userId"
            pagination={false}
            dataSource={d.evaluators}
            scroll={{ x: 560 }}
            locale={{ emptyText: "尚无评价人员" }}
            columns={[
              { title: "姓名", dataIndex: "name" },
              { title: "分配", dataIndex: "scope" },
              { title: "工作单位（回避）", dataIndex: "unit" },
              {
                title: "操作",
                key: "op",
                render: (_, e) => (
                  <Form method="post">
                    <input type="hidden" name="userId" value={e.userId} />
                    <Button size="small" htmlType="submit" name="intent" value="remove">
                      移除
                    </Button>
                  </Form>
                ),
              },
            ]}
          />
          <Form method="post" noValidate style={{ marginTop: 12 }}>
            <input type="hidden" name="intent" value="evaluator" />
            <FieldLayout>
              <Space wrap align="start">
                <Field label="评价人员" htmlFor="userId" error={errors.userId} required>
                  <SelectInput id="userId" name="userId" options={d.candidates} style={{ width: 260 }} />
                </Field>
                <Field label="分配方式" htmlFor="scopeKind" error={errors.scopeKind} required>
                  <SelectInput
                    id="scopeKind"
                    name="scopeKind"
                    defaultValue="county"
                    options={[
                      { value: "county", label: "按县（市、区）" },
                      { value: "category", label: "按类别" },
                    ]}
                    style={{ width: 160 }}
                  />
                </Field>
              </Space>
              <Field
                label="负责的县（市、区）或类别"
                htmlFor="scopeValues"
                error={errors.scopeValues}
                required
              >
                <Space wrap>
                  {[...d.counties, ...d.categories].map((o) => (
                    <label key={o.value}>
                      <input type="checkbox" name="scopeValues" value={o.value} /> {o.label}
                    </label>
                  ))}
                </Space>
              </Field>
              <Space wrap>
                <Field
                  label="工作单位统一社会信用代码（回避本单位基地）"
                  htmlFor="unitUscc"
                  error={errors.unitUscc}
                >
                  <Input id="unitUscc" name="unitUscc" style={{ width: 240 }} />
                </Field>
                <Field label="工作单位" htmlFor="unitName" error={errors.unitName}>
                  <Input id="unitName" name="unitName" style={{ width: 240 }} />
                </Field>
              </Space>
              <Button htmlType="submit" loading={busy}>
                保存评价人员
              </Button>
            </FieldLayout>
          </Form>
        </Card>
      )}
      <Card size="small" title={`参评基地（${d.entries.length}）`}>
        <Table
          size="small"
          rowKey="id"
          dataSource={d.entries}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          scroll={{ x: 720 }}
          columns={[
            {
              title: "基地名称",
              dataIndex: "baseName",
              render: (t: string, e) => <Link to={`/admin/evaluation/entries/${e.id}`}>{t}</Link>,
            },
            { title: "区域", dataIndex: "county", width: 90 },
            {
              title: "报告",
              dataIndex: "id",
              width: 70,
              render: (id: string) => <EvaluationReportLink entryId={id} label="评价报告" />,
            },
            {
              title: "自评",
              dataIndex: "status",
              render: (s: EntryStatus, e) => (
                <Space>
                  {ENTRY_STATUS_LABELS[s]}
                  {e.late && <Tag color="orange">逾期</Tag>}
                </Space>
              ),
            },
            { title: "自动得分", dataIndex: "autoScore", width: 80 },
            { title: "评分均分", dataIndex: "manualScore", width: 80 },
            { title: "总分", dataIndex: "finalScore", width: 70 },
            {
              title: "等次",
              dataIndex: "grade",
              width: 110,
              render: (g: Grade | null, e) => (
                <Space wrap>
                  {g ? GRADE_LABELS[g] : ""}
                  {e.flagged && <Tag color="red">评分差异大</Tag>}
                  {d.canRecommend && g === "excellent" && (
                    <ButtonLink
                      to={`/admin/bases/${e.baseId}#recommend`}
                      size="small"
                      label={`推荐：${e.baseName}`}
                    >
                      推荐
                    </ButtonLink>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
    </>
  );
}
