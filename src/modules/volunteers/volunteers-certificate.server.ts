import { chineseDate } from "#src/modules/bases/base-certificate.server.ts";
import {
  createCjkDocument,
  finishDocument,
  type TextStyle,
  text,
  textWidth,
} from "#src/platform/pdf/cjk-text.ts";
import { hoursText } from "./volunteers.rules.ts";

export interface CertificateInput {
  volunteerName: string;
  stvsNo: string;
  teamName: string;
  stvsOrgNo: string;
  baseName: string;
  year: number;
  minutes: number;
  services: { activityName: string; serviceDate: string; minutes: number }[];
  issuedAt: Date;
}

const A4 = { width: 595.28, height: 841.89 };

/** 志愿服务证明: one A4 page (more when the list is long) for one volunteer and one year. */
export async function renderServiceCertificatePdf(input: CertificateInput): Promise<Buffer> {
  const doc = createCjkDocument({
    info: {
      Title: `志愿服务证明 ${input.volunteerName} ${input.year}年`,
      Author: input.teamName || input.baseName,
    },
  });
  const left = 70;
  const width = A4.width - 2 * left;
  const center = (s: string, y: number, style: TextStyle) =>
    text(doc, s, (A4.width - textWidth(s, style)) / 2, y, style).height;
  let y = 70;
  y += center("志 愿 服 务 证 明", y, { size: 26, weight: 700, lineHeight: 1.3 }) + 24;
  const body =
    `兹证明 ${input.volunteerName}${input.stvsNo ? `（志愿者编号：${input.stvsNo}）` : ""}` +
    `为${input.teamName || `${input.baseName}科技志愿服务队`}志愿者，` +
    `${input.year}年度在${input.baseName}参加科技志愿服务 ${input.services.length} 次，` +
    `累计服务时长 ${hoursText(input.minutes)} 小时。特此证明。`;
  y += text(doc, `　　${body}`, left, y, { size: 14, width, lineHeight: 1.8, align: "justify" }).height + 20;
  const cols = [
    { title: "序号", width: 40 },
    { title: "活动名称", width: width - 40 - 90 - 80 },
    { title: "服务日期", width: 90 },
    { title: "时长（小时）", width: 80 },
  ];
  const style: TextStyle = { size: 10.5, lineHeight: 1.4 };
  const row = (cells: string[], bold: boolean) => {
    const s = { ...style, weight: bold ? (700 as const) : (400 as const) };
    const h = 22;
    if (y + h > A4.height - 140) {
      doc.addPage();
      y = 70;
    }
    let x = left;
    cells.forEach((c, i) => {
      doc.save().lineWidth(0.6).rect(x, y, cols[i].width, h).stroke().restore();
      const clipped = c.length > 40 ? `${c.slice(0, 39)}…` : c;
      text(doc, clipped, x + 4, y + 4, { ...s, width: cols[i].width - 8 });
      x += cols[i].width;
    });
    y += h;
  };
  row(
    cols.map((c) => c.title),
    true,
  );
  input.services.forEach((s, i) => {
    row([String(i + 1), s.activityName, s.serviceDate, hoursText(s.minutes)], false);
  });
  y = Math.max(y + 50, A4.height - 200);
  const sign: TextStyle = { size: 13 };
  const right = A4.width - left;
  const issuer = input.teamName || input.baseName;
  text(doc, issuer, right - textWidth(issuer, sign), y, sign);
  if (input.stvsOrgNo) {
    const no = `组织编号：${input.stvsOrgNo}`;
    text(doc, no, right - textWidth(no, sign), y + 24, sign);
  }
  const date = chineseDate(input.issuedAt);
  text(doc, date, right - textWidth(date, sign), y + 48, sign);
  return finishDocument(doc);
}
