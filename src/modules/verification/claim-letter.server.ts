import { chineseDate } from "#src/modules/bases/base-certificate.server.ts";
import {
  createCjkDocument,
  finishDocument,
  type TextBoxOptions,
  type TextStyle,
  text,
  textWidth,
} from "#src/platform/pdf/cjk-text.ts";
import { CLAIM_CODE_TTL_DAYS } from "./claim-codes.rules.ts";
import type { ClaimLetter } from "./verification.server.ts";

const A4 = { width: 595.28, height: 841.89 };

/** 基地账号认领函: an A4 letter in Chinese with the one-time code, for the base's organization. */
export async function renderClaimLetterPdf(letter: ClaimLetter, publicUrl: string): Promise<Buffer> {
  const doc = createCjkDocument({
    info: { Title: `${letter.baseName} 账号认领函`, Author: letter.issuer, Subject: "科普教育基地账号认领" },
  });
  const left = 72;
  const width = A4.width - 2 * left;
  let y = 80;
  const title: TextStyle = { size: 22, weight: 700, lineHeight: 1.4 };
  const t = "科普教育基地账号认领函";
  text(doc, t, (A4.width - textWidth(t, title)) / 2, y, title);
  y += 60;
  const body: TextBoxOptions = { size: 12.5, width, lineHeight: 1.9, align: "justify" };
  y += text(doc, `${letter.unitName}：`, left, y, { ...body, weight: 700 }).height + 6;
  const para = (s: string) => {
    y += text(doc, `　　${s}`, left, y, body).height + 4;
  };
  para(
    `贵单位的“${letter.baseName}”（统一社会信用代码 ${letter.uscc}）已在科普基地服务平台建档。` +
      "请贵单位经办人用本单位统一社会信用代码登录平台（未注册的请先进行法人注册），" +
      "进入【我的工作台】→【单位认证】，输入下方认领码，即完成单位认证并关联本基地。",
  );
  y += 10;
  const codeStyle: TextStyle = { size: 26, weight: 700, color: "#b3121c" };
  const label: TextStyle = { size: 12.5, weight: 700 };
  text(doc, "认领码：", left, y + 8, label);
  text(doc, letter.code, left + textWidth("认领码：", label) + 8, y, codeStyle);
  y += 50;
  para(
    `认领码自开具之日起${CLAIM_CODE_TTL_DAYS}日内有效（至${chineseDate(letter.expiresAt)}），只能使用一次；` +
      "重新开具后，本函的认领码即作废。请妥善保管，仅交本单位经办人使用，勿转交他人。",
  );
  para(`平台网址：${publicUrl}`);
  para("如有疑问，请联系所在县（市、区）科协。");
  y = Math.max(y + 60, 600);
  const sign: TextStyle = { size: 13 };
  const right = A4.width - left;
  text(doc, letter.issuer, right - textWidth(letter.issuer, sign), y, sign);
  const date = chineseDate(letter.issuedAt);
  text(doc, date, right - textWidth(date, sign), y + 26, sign);
  return finishDocument(doc);
}
