import QRCode from "qrcode";
import { can } from "#src/modules/accounts/accounts.policy.ts";
import { deniedAsNotFound } from "#src/modules/accounts/authorize.server.ts";
import { defaultIssuers } from "#src/modules/calls/calls.rules.ts";
import { callIssuance } from "#src/modules/calls/calls.server.ts";
import { listRegions, regionSubtree } from "#src/modules/regions/regions.server.ts";
import type { Config } from "#src/platform/config.ts";
import type { Actor, AppContext } from "#src/platform/context.ts";
import { CATEGORIES } from "#src/platform/db/reference-data.ts";
import { AppError } from "#src/platform/errors.ts";
import { batchLabel } from "#src/platform/numbering.rules.ts";
import {
  createCjkDocument,
  finishDocument,
  type PdfDoc,
  type TextStyle,
  text,
  textWidth,
  wrapText,
} from "#src/platform/pdf/cjk-text.ts";
import { isLinkedToBase } from "./base-accounts.server.ts";

/**
 * The certificate and plaque (证书、牌匾) of a recognized base, and the naming document (命名文件)
 * of a batch, as PDFs with the embedded Chinese fonts. Every certificate carries a QR code of the
 * base's public page, which says whether the base is still recognized: that page is the check.
 */

export interface CertificateBase {
  id: string;
  name: string;
  unitName: string;
  regionName: string;
  categoryName: string;
  batchNo: number | null;
  recognizedYear: number;
  /** ISO instant of the naming, if known. */
  recognizedAt: string | null;
  certificateNo: string | null;
  /** The bodies that named it, in signing order (第三条): the call's issuers, or the defaults. */
  issuers: string[];
  /** 文号 of the naming document; "" when the call has none. */
  documentNo: string;
  /** Whose base it is: 衢州市 (a city call) or 龙游县 (a county call) → 衢州市科普教育基地. */
  levelName: string;
}

/** The base's public page, as its QR codes link to it. */
export function publicBaseUrl(config: Pick<Config, "publicUrl">, baseId: string): string {
  return `${config.publicUrl}/bases/${encodeURIComponent(baseId)}`;
}

/**
 * The base for its certificate: an org account linked to the base (`base_accounts`) and staff
 * who may read bases in their region. Everyone else, anonymous included, gets the same 404.
 */
export async function getCertificateBase(
  ctx: AppContext,
  actor: Actor,
  id: string,
): Promise<CertificateBase> {
  const user = actor.user;
  if (!user) throw new AppError("NOT_FOUND", "未找到该记录");
  const row = await ctx.db
    .selectFrom("bases")
    .where("id", "=", id)
    .select([
      "id",
      "name",
      "unit_name",
      "region_code",
      "category_code",
      "batch_no",
      "recognized_year",
      "recognized_at",
      "certificate_no",
      "naming_notice_id",
      "status",
    ])
    .executeTakeFirst();
  if (!row) throw new AppError("NOT_FOUND", "未找到该记录");
  const mayRead =
    user.role === "org"
      ? await isLinkedToBase(ctx.db, user.id, row.id)
      : can(user, "bases:read") && (await regionSubtree(ctx, user.regionCode)).includes(row.region_code);
  if (!mayRead) return deniedAsNotFound(ctx, actor, { type: "base", id, exists: true });
  if (row.status === "revoked") throw new AppError("NOT_FOUND", "该基地已被撤销命名，不再提供证书");
  const regions = await listRegions(ctx);
  const region = regions.find((r) => r.code === row.region_code);
  const call = row.naming_notice_id
    ? await ctx.db
        .selectFrom("public_notices")
        .innerJoin("calls", "calls.id", "public_notices.call_id")
        .select(["calls.issuers", "calls.document_no", "calls.level", "calls.region_code"])
        .where("public_notices.id", "=", row.naming_notice_id)
        .executeTakeFirst()
    : undefined;
  const issuance = await callIssuance(ctx, call ?? null, row.region_code);
  return {
    id: row.id,
    name: row.name,
    unitName: row.unit_name,
    regionName: region?.name ?? row.region_code,
    categoryName: CATEGORIES.find((c) => c.code === row.category_code)?.name ?? row.category_code,
    batchNo: row.batch_no,
    recognizedYear: row.recognized_year,
    recognizedAt: row.recognized_at,
    certificateNo: row.certificate_no,
    issuers: issuance.issuers,
    documentNo: issuance.documentNo,
    levelName: issuance.regionName,
  };
}

/** Whether the actor may open the base's certificate (for showing the link). */
export async function canSeeCertificate(ctx: AppContext, actor: Actor, id: string): Promise<boolean> {
  const user = actor.user;
  if (!user || (user.role !== "org" && !can(user, "bases:read"))) return false;
  const row = await ctx.db
    .selectFrom("bases")
    .where("id", "=", id)
    .select(["region_code", "status"])
    .executeTakeFirst();
  if (!row || row.status === "revoked") return false;
  if (user.role === "org") return isLinkedToBase(ctx.db, user.id, id);
  return (await regionSubtree(ctx, user.regionCode)).includes(row.region_code);
}

// ── drawing ─────────────────────────────────────────────────────────────

const A4_LANDSCAPE = { width: 841.89, height: 595.28 };
const A4 = { width: 595.28, height: 841.89 };
const RED = "#b3121c";
const GOLD = "#a8832f";

/** Draws a QR code with vector squares (sharp at any print size). */
function drawQr(doc: PdfDoc, url: string, x: number, y: number, size: number): void {
  const qr = QRCode.create(url, { errorCorrectionLevel: "M" });
  const n = qr.modules.size;
  const quiet = 2;
  const cell = size / (n + 2 * quiet);
  doc.save();
  doc.rect(x, y, size, size).fill("#ffffff");
  doc.fillColor("#000000");
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      if (qr.modules.get(r, c)) doc.rect(x + (c + quiet) * cell, y + (r + quiet) * cell, cell, cell);
    }
  }
  doc.fill();
  doc.restore();
}

function centered(doc: PdfDoc, str: string, y: number, pageWidth: number, style: TextStyle): number {
  const w = textWidth(str, style);
  return text(doc, str, (pageWidth - w) / 2, y, style).height;
}

/** 2023年6月1日, in Asia/Shanghai. */
export function chineseDate(instant: string | Date): string {
  const d = new Date(new Date(instant).getTime() + 8 * 3600_000);
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
}

const batchTitle = (b: Pick<CertificateBase, "batchNo">) => batchLabel(b.batchNo);

function certificatePage(doc: PdfDoc, base: CertificateBase, publicUrl: string): void {
  const { width, height } = A4_LANDSCAPE;
  doc.save();
  doc
    .lineWidth(6)
    .strokeColor(RED)
    .rect(24, 24, width - 48, height - 48)
    .stroke();
  doc
    .lineWidth(1.2)
    .strokeColor(GOLD)
    .rect(36, 36, width - 72, height - 72)
    .stroke();
  doc.restore();
  centered(doc, "荣 誉 证 书", 70, width, { size: 40, weight: 700, color: RED, lineHeight: 1.3 });
  const left = 110;
  const bodyWidth = width - 2 * left;
  let y = 160;
  y += text(doc, `${base.unitName}：`, left, y, { size: 18, weight: 700, width: bodyWidth }).height + 8;
  const body =
    `经审核认定，贵单位“${base.name}”被命名为${base.recognizedYear}年度` +
    `${batchTitle(base)}${base.levelName}科普教育基地（${base.categoryName}类）。特发此证。`;
  y += text(doc, `　　${body}`, left, y, {
    size: 18,
    width: bodyWidth,
    lineHeight: 1.8,
    align: "justify",
  }).height;
  // The issuing bodies sign side by side, two a line (第三条: four bodies name the city's bases).
  const issuerStyle: TextStyle = { size: base.issuers.length > 2 ? 14 : 16, weight: 700 };
  const dateStyle: TextStyle = { size: 15 };
  const right = width - left;
  const date = chineseDate(base.recognizedAt ?? `${base.recognizedYear}-01-01T00:00:00+08:00`);
  const signLines: string[] = [];
  for (let i = 0; i < base.issuers.length; i += 2) signLines.push(base.issuers.slice(i, i + 2).join("　　"));
  const lineGap = 24;
  let issuerTop = Math.max(y + 24, height - 150 - signLines.length * lineGap);
  for (const l of signLines) {
    text(doc, l, right - textWidth(l, issuerStyle), issuerTop, issuerStyle);
    issuerTop += lineGap;
  }
  text(doc, date, right - textWidth(date, dateStyle), issuerTop + 6, dateStyle);
  const qr = 92;
  drawQr(doc, publicUrl, left, height - 80 - qr, qr);
  const small: TextStyle = { size: 9, color: "#555555" };
  text(doc, "扫码核验基地认定状态", left, height - 78, small);
  if (base.certificateNo) text(doc, `证书编号：${base.certificateNo}`, left + qr + 14, height - 96, small);
  if (base.documentNo) text(doc, `命名文件：${base.documentNo}`, left + qr + 14, height - 110, small);
}

function plaquePage(doc: PdfDoc, base: CertificateBase, publicUrl: string): void {
  const { width, height } = A4_LANDSCAPE;
  doc.save();
  doc.rect(0, 0, width, height).fill("#fbf6ea");
  doc
    .lineWidth(10)
    .strokeColor(GOLD)
    .rect(30, 30, width - 60, height - 60)
    .stroke();
  doc.restore();
  centered(doc, `${base.levelName}科普教育基地`, 120, width, {
    size: 46,
    weight: 700,
    color: RED,
    lineHeight: 1.3,
  });
  // Long base names wrap onto a second line instead of running off the plaque.
  const nameStyle: TextStyle = { size: 26, weight: 700, lineHeight: 1.4 };
  const lines = wrapText(base.name, width - 200, nameStyle).slice(0, 2);
  let y = 230;
  for (const l of lines) y += centered(doc, l.text, y, width, nameStyle);
  const line2 = `${base.recognizedYear}年${batchTitle(base) ? `（${batchTitle(base)}）` : ""}`;
  centered(doc, base.issuers.join("　"), Math.max(y + 30, 340), width, {
    size: base.issuers.length > 2 ? 13 : 18,
  });
  centered(doc, line2, Math.max(y + 58, 368), width, { size: 18 });
  if (base.certificateNo)
    centered(doc, `编号：${base.certificateNo}`, Math.max(y + 90, 400), width, {
      size: 12,
      color: "#555555",
    });
  const qr = 90;
  drawQr(doc, publicUrl, width - 60 - qr - 20, height - 60 - qr - 20, qr);
  text(doc, "扫码查看基地", width - 60 - qr - 20, height - 68, { size: 9, color: "#555555" });
}

/** Two landscape A4 pages: the certificate, then the plaque's artwork. */
export async function renderCertificatePdf(base: CertificateBase, publicUrl: string): Promise<Buffer> {
  const doc = createCjkDocument({
    layout: "landscape",
    info: { Title: `${base.name} 证书与牌匾`, Author: base.issuers.join("、"), Subject: "科普教育基地认定" },
  });
  certificatePage(doc, base, publicUrl);
  doc.addPage({ size: "A4", layout: "landscape", margin: 0 });
  plaquePage(doc, base, publicUrl);
  return finishDocument(doc);
}

export interface NamingDocumentInput {
  /** e.g. 关于命名第八批衢州市科普教育基地的通知 */
  title: string;
  /** ISO instant or Date of the document. */
  date: string | Date;
  /** Who names them, in signing order (第三条); default the four bodies of 衢州市. */
  issuers?: string[];
  /** 文号, printed under the title as official documents do. */
  documentNo?: string;
  /** An opening paragraph; a plain default is used when absent. */
  body?: string;
  bases: { name: string; unitName: string; regionName: string; categoryName?: string }[];
}

/** The naming document: title, a short text and the numbered list of named bases, on A4 pages. */
export async function renderNamingDocumentPdf(input: NamingDocumentInput): Promise<Buffer> {
  const issuers = input.issuers?.length ? input.issuers : defaultIssuers("city", "衢州市");
  const doc = createCjkDocument({ info: { Title: input.title, Author: issuers.join("、") } });
  const margin = { left: 70, right: 70, top: 70, bottom: 70 };
  const contentWidth = A4.width - margin.left - margin.right;
  let y = margin.top;
  const title: TextStyle = { size: 20, weight: 700, lineHeight: 1.5 };
  if (input.documentNo) {
    y += centered(doc, input.documentNo, y, A4.width, { size: 12, lineHeight: 1.5 }) + 10;
  }
  for (const l of wrapText(input.title, contentWidth, title)) y += centered(doc, l.text, y, A4.width, title);
  y += 16;
  const body =
    input.body ??
    `经申报、推荐、评审和公示，以下${input.bases.length}家单位被命名为科普教育基地。` +
      "希望各基地充分发挥科普阵地作用，面向公众常态化开展科普活动。";
  const bodyStyle = { size: 12, width: contentWidth, lineHeight: 1.8, align: "justify" as const };
  y += text(doc, `　　${body}`, margin.left, y, bodyStyle).height + 12;

  const cols = [
    { title: "序号", width: 40 },
    { title: "基地名称", width: 170 },
    { title: "单位名称", width: 135 },
    { title: "县（市、区）", width: contentWidth - 40 - 170 - 135 },
  ];
  const cellStyle = { size: 10.5, lineHeight: 1.4 };
  const pad = 5;
  const drawRowAt = (cells: string[], bold: boolean) => {
    const style = { ...cellStyle, weight: bold ? (700 as const) : (400 as const) };
    const wrapped = cells.map((c, i) => wrapText(c, cols[i].width - 2 * pad, style));
    const h = Math.max(...wrapped.map((w) => w.length)) * style.size * style.lineHeight + 2 * pad;
    if (y + h > A4.height - margin.bottom) {
      doc.addPage();
      y = margin.top;
    }
    let x = margin.left;
    cells.forEach((c, i) => {
      doc.save().lineWidth(0.6).strokeColor("#000000").rect(x, y, cols[i].width, h).stroke().restore();
      text(doc, c, x + pad, y + pad, { ...style, width: cols[i].width - 2 * pad });
      x += cols[i].width;
    });
    y += h;
  };
  drawRowAt(
    cols.map((c) => c.title),
    true,
  );
  input.bases.forEach((b, i) => {
    drawRowAt([String(i + 1), b.name, b.unitName, b.regionName], false);
  });
  y += 40;
  if (y + 24 * (issuers.length + 1) + 12 > A4.height - margin.bottom) {
    doc.addPage();
    y = margin.top;
  }
  const right = A4.width - margin.right;
  const sign: TextStyle = { size: 12 };
  for (const issuer of issuers) {
    text(doc, issuer, right - textWidth(issuer, sign), y, sign);
    y += 24;
  }
  const date = chineseDate(input.date);
  text(doc, date, right - textWidth(date, sign), y + 6, sign);
  return finishDocument(doc);
}
