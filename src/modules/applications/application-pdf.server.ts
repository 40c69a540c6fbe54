import { hasGlyphs } from "#src/platform/pdf/cjk-font.ts";
import {
  createCjkDocument,
  finishDocument,
  type PdfDoc,
  type TextStyle,
  text,
  textWidth,
} from "#src/platform/pdf/cjk-text.ts";
import { type Choice, type FormCell, PageFlow, rowHeight } from "#src/platform/pdf/form-table.ts";
import { OPENING_FORMS } from "./applications.rules.ts";

/**
 * The filled 附件2 "科普教育基地申报表" as an A4 PDF, for the applicant to print, stamp and
 * upload. Chinese text uses the embedded Noto Sans SC fonts, so it prints the same anywhere,
 * offline included.
 */

export interface ApplicationPdfInput {
  /** An unsubmitted draft: every page carries the 草稿 · 未提交 watermark. */
  draft?: boolean;
  /** 所在区域, e.g. "柯城区"; ticks the matching county box. */
  regionName: string;
  /** 基地名称 */
  baseName: string;
  /** 申报单位名称 */
  unitName: string;
  /** 通信地址 */
  address: string;
  leaderName: string;
  leaderPhone: string;
  contactName: string;
  contactPhone: string;
  /** 预约参观电话 */
  bookingPhone: string;
  /** 科技志愿名称 */
  volunteerTeamName: string;
  /** 科技志愿者人数; a string is printed as given, null or "" leaves the cell blank. */
  volunteerCount: number | string | null;
  volunteerLeader: string;
  volunteerLeaderPhone: string;
  /** 开放形式 label, one of applications.rules OPENING_FORMS (another label is shown ticked after them). */
  openingForm: string;
  /** 申报类别 label. */
  categoryName: string;
  /** The call's category list; when given, all are shown as boxes with `categoryName` ticked. */
  categoryOptions?: readonly string[];
  /** The county boxes of 所在区域. Default: Quzhou's six, in the form's order. */
  regionOptions?: readonly string[];
  /** 科普场所面积 in square metres. */
  areaSqm: number | string | null;
  /** 年开放天数 */
  openDays: number | string | null;
  /** 科普教育基地简介, up to 1000 characters. */
  intro: string;
  /** 已获命名（荣誉）情况 */
  honors: string;
  /** 基本条件 (第五条) confirmations. */
  conditions: { label: string; confirmed: boolean; note: string }[];
  /** Uploaded materials per slot. */
  attachments: { slotLabel: string; count: number }[];
  /** The call, e.g. "2023年衢州市第八批科普教育基地项目认定". */
  callTitle: string;
  /** When the PDF was generated, already formatted in Asia/Shanghai, e.g. "2023-02-20 10:30:00". */
  generatedAt: string;
  applicationId: string;
  /** 申报编号 (2023-第八批-龙游-001); null before the first 【提交】. */
  applicationNo: string | null;
}

/** 所在区域 boxes as 附件2 prints them. */
export const QUZHOU_COUNTIES = ["柯城", "衢江", "龙游", "常山", "江山", "开化"] as const;

/** 上传相关证明材料 as 附件2 lists them; printed when no slots are given (a blank form). */
export const FORM_MATERIALS = [
  "盖好章的“科普教育基地申报表”，制成PDF版上传。",
  "基地基本概况照片3～5张。",
  "基地曾开办的科普活动照片3～5张。",
  "“科技志愿服务”微信公众号注册的“科技志愿服务队”和“科技志愿者”。",
  "基地所获得的荣誉。",
  "其他",
] as const;

const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = { left: 56, right: 56, top: 50, bottom: 62 };
const CONTENT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
const LABEL_W = 96;
const HALF_VALUE_W = (CONTENT_WIDTH - 2 * LABEL_W) / 2;
const SPAN_VALUE_W = CONTENT_WIDTH - LABEL_W;
const BODY: TextStyle = { size: 10.5 };
const SECTION: TextStyle = { size: 11, weight: 700 };

/** Matches a county box to a region name: "柯城" ticks for "柯城区". */
function regionChoices(regionName: string, options: readonly string[]): Choice[] {
  const name = regionName.trim();
  const choices = options.map((label) => ({
    label,
    checked: name !== "" && (name === label || name.startsWith(label) || label.startsWith(name)),
  }));
  if (name && !choices.some((c) => c.checked)) choices.push({ label: name, checked: true });
  return choices;
}

function exactChoices(value: string, options: readonly string[]): Choice[] {
  const v = value.trim();
  const choices = options.map((label) => ({ label, checked: label === v }));
  if (v && !choices.some((c) => c.checked)) choices.push({ label: v, checked: true });
  return choices;
}

function circled(n: number): string {
  const ch = n >= 1 && n <= 20 ? String.fromCodePoint(0x2460 + n - 1) : "";
  return ch && hasGlyphs(ch) ? ch : `(${n})`;
}

function formatNumber(n: number | string | null): string {
  if (typeof n === "string") return n.trim();
  return n !== null && Number.isFinite(n) ? String(n) : "";
}

const CHINESE_NUMERALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

/** Numbers 第五条's conditions as the measures do: （一）…（八）, unless already numbered. */
function numberedCondition(label: string, index: number): string {
  const l = label.trim();
  if (/^[（(]/.test(l) || index >= CHINESE_NUMERALS.length) return l;
  return `（${CHINESE_NUMERALS[index]}）${l}`;
}

const label = (textValue: string, width = LABEL_W): FormCell => ({
  width,
  text: textValue,
  role: "label",
  style: BODY,
});
const value = (textValue: string, width: number): FormCell => ({
  width,
  text: textValue,
  role: "value",
  style: BODY,
});
const section = (title: string): FormCell[] => [
  { width: CONTENT_WIDTH, text: title, role: "label", align: "center", style: SECTION, fill: "#e8e8e8" },
];

function pair(l1: string, v1: string, l2: string, v2: string): FormCell[] {
  return [label(l1), value(v1, HALF_VALUE_W), label(l2), value(v2, HALF_VALUE_W)];
}

function span(l: string, v: string): FormCell[] {
  return [label(l), value(v, SPAN_VALUE_W)];
}

/** 创建申报单位意见 / 推荐意见: a titled box with room for a stamp, 盖章 and 年 月 日. */
function drawOpinionBox(doc: PdfDoc, x: number, y: number, w: number, h: number, title: string): void {
  doc.save().lineWidth(0.75).strokeColor("#000000").rect(x, y, w, h).stroke().restore();
  const pad = 8;
  text(doc, title, x + pad, y + pad, { ...BODY, width: w - 2 * pad });
  const dateLine = "年　　月　　日";
  const right = x + w - pad * 2;
  const lineBox = 10.5 * 1.5;
  text(doc, dateLine, right - textWidth(dateLine, BODY), y + h - pad - lineBox, BODY);
  text(
    doc,
    "盖章",
    right - textWidth(dateLine, BODY) / 2 - textWidth("盖章", BODY) / 2,
    y + h - pad - 2.4 * lineBox,
    BODY,
  );
}

export const DRAFT_WATERMARK = "草稿 · 未提交";

/** A rotated, light-grey 草稿 · 未提交 across the middle of the current page, so a draft is never mistaken for the form. */
function drawWatermark(doc: PdfDoc): void {
  const style: TextStyle = { size: 64, weight: 700, color: "#bfbfbf" };
  const w = textWidth(DRAFT_WATERMARK, style);
  const cx = PAGE.width / 2;
  const cy = PAGE.height / 2;
  doc
    .save()
    .fillOpacity(0.45)
    .rotate(-35, { origin: [cx, cy] });
  text(doc, DRAFT_WATERMARK, cx - w / 2, cy - style.size! * 0.7, style);
  doc.restore();
}

function drawFooters(doc: PdfDoc, input: ApplicationPdfInput): void {
  const range = doc.bufferedPageRange();
  const style: TextStyle = { size: 8, color: "#555555" };
  const y = PAGE.height - MARGIN.bottom + 26;
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    if (input.draft) drawWatermark(doc);
    doc
      .save()
      .lineWidth(0.5)
      .strokeColor("#999999")
      .moveTo(MARGIN.left, y - 4)
      .lineTo(PAGE.width - MARGIN.right, y - 4)
      .stroke()
      .restore();
    const pageText = `第 ${i - range.start + 1} 页 / 共 ${range.count} 页`;
    const generated = `生成时间：${input.generatedAt}`;
    text(doc, `申报编号：${input.applicationNo ?? "提交后生成"}`, MARGIN.left, y, style);
    text(doc, pageText, (PAGE.width - textWidth(pageText, style)) / 2, y, style);
    text(doc, generated, PAGE.width - MARGIN.right - textWidth(generated, style), y, style);
  }
}

/** Renders the filled 科普教育基地申报表 (附件2). */
export async function renderApplicationPdf(input: ApplicationPdfInput): Promise<Buffer> {
  const doc = createCjkDocument({
    bufferPages: true,
    info: {
      Title: `科普教育基地申报表 — ${input.baseName}`,
      Author: input.unitName,
      Subject: input.callTitle,
      Creator: "kepu 科普教育基地服务平台",
    },
  });
  const flow = new PageFlow(doc, {
    left: MARGIN.left,
    top: MARGIN.top,
    width: CONTENT_WIDTH,
    bottom: PAGE.height - MARGIN.bottom,
  });

  // Heading
  text(doc, "附件2", MARGIN.left, flow.y, { size: 12, weight: 700 });
  flow.y += 24;
  text(doc, "科普教育基地申报表", MARGIN.left, flow.y, {
    size: 20,
    weight: 700,
    width: CONTENT_WIDTH,
    align: "center",
  });
  flow.y += 32;
  if (input.callTitle.trim()) {
    const box = text(doc, input.callTitle, MARGIN.left, flow.y, {
      size: 10.5,
      color: "#333333",
      width: CONTENT_WIDTH,
      align: "center",
    });
    flow.y += box.height;
  }
  flow.y += 8;

  // 基地基本信息
  flow.row(section("基地基本信息"));
  flow.row([
    label("所在区域"),
    {
      width: SPAN_VALUE_W,
      choices: regionChoices(input.regionName, input.regionOptions ?? QUZHOU_COUNTIES),
      style: BODY,
    },
  ]);
  flow.row(span("基地名称", input.baseName));
  flow.row(span("申报单位名称", input.unitName));
  flow.row(span("通信地址", input.address));
  flow.row(pair("负责人", input.leaderName, "负责人电话", input.leaderPhone));
  flow.row(pair("联系人", input.contactName, "联系人电话", input.contactPhone));
  flow.row(span("预约参观电话", input.bookingPhone));
  flow.row(
    pair("科技志愿名称", input.volunteerTeamName, "科技志愿者人数", formatNumber(input.volunteerCount)),
  );
  flow.row(pair("志愿者负责人", input.volunteerLeader, "负责人电话", input.volunteerLeaderPhone));
  flow.row([
    label("开放形式"),
    { width: SPAN_VALUE_W, choices: exactChoices(input.openingForm, OPENING_FORMS), style: BODY },
  ]);
  flow.row([
    label("申报类别"),
    {
      width: SPAN_VALUE_W,
      choices: exactChoices(input.categoryName, input.categoryOptions ?? []),
      style: BODY,
    },
  ]);
  flow.row([
    label("科普场所面积"),
    { ...value(`${formatNumber(input.areaSqm)} 平方米`, HALF_VALUE_W), align: "right" },
    label("年开放天数"),
    { ...value(`${formatNumber(input.openDays)} 天`, HALF_VALUE_W), align: "right" },
  ]);

  // 简介 and 荣誉: long text that may continue on the next page
  const twoLines = 2 * 10.5 * 1.5 + 14;
  flow.row(section("科普教育基地简介（不超过1000字）"), { keepWithNext: twoLines });
  flow.textBlock(input.intro, { style: BODY, minHeight: 120 });
  flow.row(section("已获命名（荣誉）情况"), { keepWithNext: twoLines });
  flow.textBlock(input.honors, { style: BODY, minHeight: 60 });

  // 基本条件 (第五条)
  if (input.conditions.length > 0) {
    const noteW = 150;
    const condW = CONTENT_WIDTH - noteW;
    const rows = input.conditions.map((c, i): FormCell[] => [
      {
        width: condW,
        choices: [{ label: numberedCondition(c.label, i), checked: c.confirmed }],
        style: BODY,
      },
      value(c.note, noteW),
    ]);
    const head = [label("条件及确认", condW), label("说明", noteW)];
    flow.row(section("基本条件（《管理办法》第五条）"), {
      keepWithNext: rowHeight(head) + rowHeight(rows[0]),
    });
    flow.row(head, { keepWithNext: rowHeight(rows[0]) });
    for (const r of rows) flow.row(r);
  }

  // 上传相关证明材料
  const countW = 96;
  const materials: FormCell[][] =
    input.attachments.length === 0
      ? [[value(FORM_MATERIALS.map((m, i) => `${circled(i + 1)}${m}`).join("\n"), CONTENT_WIDTH)]]
      : input.attachments.map((a, i) => [
          value(`${circled(i + 1)}${a.slotLabel}`, CONTENT_WIDTH - countW),
          { ...value(a.count > 0 ? `已上传 ${a.count} 份` : "未上传", countW), align: "center" },
        ]);
  flow.row(section("上传相关证明材料"), { keepWithNext: rowHeight(materials[0]) });
  for (const r of materials) flow.row(r);

  // Signature blocks, kept together
  const opinionH = 150;
  flow.ensure(opinionH);
  const half = CONTENT_WIDTH / 2;
  drawOpinionBox(doc, flow.left, flow.y, half, opinionH, "创建申报单位意见");
  drawOpinionBox(
    doc,
    flow.left + half,
    flow.y,
    half,
    opinionH,
    "县（市、区）科协（宣传部/教育局/科技局）推荐意见",
  );
  flow.y += opinionH;

  drawFooters(doc, input);
  return finishDocument(doc);
}

/**
 * The download name for the PDF, e.g. "科普教育基地申报表-某某科普教育基地.pdf", and a
 * Content-Disposition header value carrying it (RFC 6266/5987, with an ASCII fallback).
 */
export function applicationPdfFilename(
  input: Pick<ApplicationPdfInput, "baseName" | "applicationId"> & { applicationNo?: string | null },
): {
  filename: string;
  contentDisposition: string;
} {
  const safe = input.baseName.replace(/[\\/:*?"<>|\p{Cc}]+/gu, "").trim() || input.applicationId;
  const filename = `科普教育基地申报表-${input.applicationNo ? `${input.applicationNo}-` : ""}${safe}.pdf`;
  const ascii = `application-${input.applicationId.replace(/[^A-Za-z0-9_-]/g, "")}.pdf`;
  return {
    filename,
    contentDisposition: `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`,
  };
}
