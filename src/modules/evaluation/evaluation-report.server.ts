import { deniedAsNotFound } from "#src/modules/accounts/authorize.server.ts";
import { recordAudit } from "#src/modules/audit/audit.server.ts";
import { chineseDate } from "#src/modules/bases/base-certificate.server.ts";
import { regionName } from "#src/modules/regions/regions.server.ts";
import { formatShanghai } from "#src/platform/clock.ts";
import type { Actor, AppContext } from "#src/platform/context.ts";
import { CATEGORIES } from "#src/platform/db/reference-data.ts";
import {
  createCjkDocument,
  finishDocument,
  type TextStyle,
  text,
  textWidth,
} from "#src/platform/pdf/cjk-text.ts";
import { type FormCell, PageFlow } from "#src/platform/pdf/form-table.ts";
import {
  ENTRY_STATUS_LABELS,
  GRADE_LABELS,
  publicityLabel,
  ROUND_STATUS_LABELS,
} from "./evaluation.rules.ts";
import { figureRows } from "./evaluation.view.server.ts";
import { getEntry } from "./evaluation-entries.server.ts";
import { manualMeans } from "./evaluation-scoring.server.ts";

export interface EvaluationReport {
  roundTitle: string;
  year: number;
  roundStage: string;
  baseName: string;
  uscc: string;
  county: string;
  category: string;
  selfStatus: string;
  late: boolean;
  auto: { name: string; figure: string; max: number; points: number }[];
  /** `mean` is null while the evaluators' scores are hidden from the viewer or none is submitted. */
  manual: { name: string; max: number; self: number | null; mean: number | null }[];
  countyOpinion: string;
  autoScore: number;
  manualScore: number | null;
  finalScore: number | null;
  grade: string;
  publicity: string;
  generatedAt: string;
}

/**
 * 评价报告 of one base in one round, for whoever may see it: staff in scope (a county its own
 * county), the evaluators the base is assigned to (the evaluators' means once every one of them
 * has submitted), and the base itself once the results are published. Anyone else: a 404.
 */
export async function getEvaluationReport(
  ctx: AppContext,
  actor: Actor,
  entryId: string,
): Promise<EvaluationReport> {
  const v = await getEntry(ctx, actor, entryId);
  const { entry, round } = v;
  const published = round.status === "publicity" || round.status === "closed";
  if (v.viewer === "owner" && !published)
    return deniedAsNotFound(ctx, actor, { type: "evaluation_entry", id: entryId, exists: true });
  const meansVisible =
    v.viewer === "staff" ||
    v.viewer === "owner" ||
    (v.evaluatorsTotal > 0 && v.evaluatorsSubmitted === v.evaluatorsTotal);
  const means = meansVisible ? ((await manualMeans(ctx.db, round.id, [entry.id])).get(entry.id) ?? {}) : {};
  const notice = round.notice_id
    ? await ctx.db
        .selectFrom("public_notices")
        .select("ends_at")
        .where("id", "=", round.notice_id)
        .executeTakeFirst()
    : undefined;
  const rows = figureRows(v.rubric, v);
  return {
    roundTitle: round.title,
    year: round.year,
    roundStage: ROUND_STATUS_LABELS[round.status],
    baseName: entry.base_name,
    uscc: entry.uscc,
    county: await regionName(ctx, entry.region_code),
    category: CATEGORIES.find((c) => c.code === entry.category_code)?.name ?? entry.category_code,
    selfStatus: ENTRY_STATUS_LABELS[entry.status],
    late: !!entry.late,
    auto: rows
      .filter((r) => r.source === "auto")
      .map((r) => ({ name: r.name, figure: r.figure ?? "", max: r.max, points: r.points ?? 0 })),
    manual: rows
      .filter((r) => r.source === "manual")
      .map((r) => ({ name: r.name, max: r.max, self: r.selfScore, mean: means[r.key] ?? null })),
    countyOpinion: entry.county_opinion ?? "",
    autoScore: entry.auto_score,
    manualScore: meansVisible ? entry.manual_score : null,
    finalScore: meansVisible ? entry.final_score : null,
    grade: meansVisible && entry.grade ? GRADE_LABELS[entry.grade] : "",
    publicity: publicityLabel(
      round.status,
      notice ? chineseDate(new Date(new Date(notice.ends_at).getTime() - 1)) : null,
    ),
    generatedAt: formatShanghai(ctx.clock.now().toISOString()),
  };
}

const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = { left: 56, top: 56, bottom: 64 };
const WIDTH = PAGE.width - 2 * MARGIN.left;
const BODY: TextStyle = { size: 10.5 };
const SECTION: TextStyle = { size: 12, weight: 700 };
const score = (n: number | null) => (n === null ? "—" : String(n));

/** The report as an A4 PDF in Chinese (embedded Noto Sans SC), for printing and filing. */
export async function renderEvaluationReportPdf(r: EvaluationReport): Promise<Buffer> {
  const doc = createCjkDocument({
    info: { Title: `${r.baseName} ${r.year}年度评价报告`, Subject: r.roundTitle },
  });
  const flow = new PageFlow(doc, {
    left: MARGIN.left,
    top: MARGIN.top,
    width: WIDTH,
    bottom: PAGE.height - MARGIN.bottom,
  });
  const title: TextStyle = { size: 20, weight: 700, lineHeight: 1.4 };
  const heading = "科普教育基地年度评价报告";
  text(doc, heading, (PAGE.width - textWidth(heading, title)) / 2, flow.y, title);
  flow.y += 36;
  const sub: TextStyle = { size: 12, lineHeight: 1.4 };
  text(doc, r.roundTitle, (PAGE.width - textWidth(r.roundTitle, sub)) / 2, flow.y, sub);
  flow.y += 30;

  const L = 100;
  const V = (WIDTH - 2 * L) / 2;
  const label = (s: string, width = L): FormCell => ({ width, text: s, role: "label", style: BODY });
  const value = (s: string, width = V): FormCell => ({ width, text: s, role: "value", style: BODY });
  flow.row([label("评价年度"), value(`${r.year}年度`), label("评价阶段"), value(r.roundStage)]);
  flow.row([label("基地名称"), value(r.baseName, WIDTH - L)]);
  flow.row([label("所在区域"), value(r.county), label("基地类别"), value(r.category)]);
  flow.row([
    label("统一社会信用代码"),
    value(r.uscc),
    label("自评状态"),
    value(`${r.selfStatus}${r.late ? "（逾期提交）" : ""}`),
  ]);

  const section = (s: string, keep: number) => {
    flow.ensure(28 + keep);
    flow.y += 12;
    text(doc, s, flow.left, flow.y, SECTION);
    flow.y += 22;
  };
  /** A titled table: a header row kept with the first line, then one row per line. */
  const table = (title: string, columns: [string, number][], lines: string[][]) => {
    section(title, 48);
    flow.row(
      columns.map(([s, w]) => label(s, w)),
      { keepWithNext: 24 },
    );
    for (const cells of lines) flow.row(cells.map((c, i) => value(c, columns[i][1])));
  };

  const rest = WIDTH - 150 - 60 - 60;
  table(
    "一、自动计算指标（平台数据）",
    [
      ["指标", 150],
      ["平台数据", rest],
      ["满分", 60],
      ["得分", 60],
    ],
    r.auto.map((a) => [a.name, a.figure, String(a.max), String(a.points)]),
  );
  table(
    "二、人工评价指标",
    [
      ["指标", WIDTH - 3 * 90],
      ["满分", 90],
      ["基地自评分", 90],
      ["评价小组均分", 90],
    ],
    r.manual.map((m) => [m.name, String(m.max), score(m.self), score(m.mean)]),
  );

  section("三、县级初审意见", 40);
  flow.textBlock(r.countyOpinion || "（尚无初审意见）", { style: BODY, minHeight: 40 });

  section("四、评价结果", 100);
  flow.row([
    label("自动计算得分"),
    value(String(r.autoScore)),
    label("人工评价均分"),
    value(score(r.manualScore)),
  ]);
  flow.row([label("总分"), value(score(r.finalScore)), label("等次"), value(r.grade || "—")]);
  flow.row([label("公示情况"), value(r.publicity, WIDTH - L)]);

  flow.ensure(40);
  flow.y += 24;
  const note: TextStyle = { size: 9, color: "#555555" };
  text(doc, `本报告由科普基地服务平台生成（${r.generatedAt}，北京时间）。`, flow.left, flow.y, note);
  return finishDocument(doc);
}

/** The PDF and its file names, for the route. */
export async function prepareEvaluationReportPdf(ctx: AppContext, actor: Actor, entryId: string) {
  const report = await getEvaluationReport(ctx, actor, entryId);
  // Like the other printed records (证书, 志愿服务证明): who printed a base's scores is on record.
  await recordAudit(ctx, ctx.db, actor, {
    action: "evaluation.report_pdf",
    targetType: "evaluation_entry",
    targetId: entryId,
    detail: { year: report.year },
  });
  return {
    pdf: await renderEvaluationReportPdf(report),
    name: {
      ascii: `evaluation-report-${report.year}.pdf`,
      chinese: `${report.baseName}${report.year}年度评价报告.pdf`,
    },
  };
}
