import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAuditEvents } from "#src/modules/audit/audit.server.ts";
import { warmUpCjkFonts } from "#src/platform/pdf/cjk-font.ts";
import { extractPdfText } from "#src/platform/pdf/extract-pdf-text.ts";
import { actorOf, createUserRecord, errorOf, linkBase } from "../../../tests/support/factories.ts";
import { createTestContext, type TestContext } from "../../../tests/support/test-db.ts";
import {
  canSeeCertificate,
  getCertificateBase,
  publicBaseUrl,
  renderCertificatePdf,
  renderNamingDocumentPdf,
} from "./base-certificate.server.ts";
import { insertBase } from "./bases-directory.fixtures.ts";

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
  warmUpCjkFonts();
}, 120_000);
afterAll(async () => t?.close());

const flat = (pdf: Buffer) =>
  extractPdfText(pdf)
    .map((p) => p.text)
    .join("\n")
    .replace(/\s+/g, "");

describe("certificate access", () => {
  it("lets the base's linked org and staff in scope read it; an org with only the same USCC and others get 404", async () => {
    const org = await createUserRecord(t.ctx, { role: "org" });
    const sameUscc = await createUserRecord(t.ctx, { role: "org" });
    const otherOrg = await createUserRecord(t.ctx, { role: "org" });
    const longyou = await createUserRecord(t.ctx, { role: "county", regionCode: "330825" });
    const kecheng = await createUserRecord(t.ctx, { role: "county", regionCode: "330802" });
    const city = await createUserRecord(t.ctx, { role: "city" });
    const id = await insertBase(t.ctx, { region_code: "330825" });
    await linkBase(t.ctx, id, org.id);
    const byUscc = await insertBase(t.ctx, { uscc: sameUscc.login, region_code: "330825" });

    // A base without a naming on the platform (imported): the four bodies of its city (第三条).
    expect(await getCertificateBase(t.ctx, actorOf(org), id)).toMatchObject({
      issuers: ["中共衢州市委宣传部", "衢州市科学技术协会", "衢州市教育局", "衢州市科学技术局"],
      documentNo: "",
      levelName: "衢州市",
    });
    expect((await errorOf(getCertificateBase(t.ctx, actorOf(sameUscc), byUscc))).code).toBe("NOT_FOUND");
    expect(await canSeeCertificate(t.ctx, actorOf(sameUscc), byUscc)).toBe(false);
    expect((await getCertificateBase(t.ctx, actorOf(longyou), id)).regionName).toBe("龙游县");
    expect((await getCertificateBase(t.ctx, actorOf(city), id)).id).toBe(id);
    for (const who of [null, otherOrg, kecheng]) {
      expect((await errorOf(getCertificateBase(t.ctx, actorOf(who), id))).code).toBe("NOT_FOUND");
    }
    expect(await canSeeCertificate(t.ctx, actorOf(org), id)).toBe(true);
    expect(await canSeeCertificate(t.ctx, actorOf(kecheng), id)).toBe(false);
    expect(await canSeeCertificate(t.ctx, actorOf(null), id)).toBe(false);
    const denials = await listAuditEvents(t.ctx, { actor: kecheng.login });
    expect(denials.some((e) => e.action === "access.denied")).toBe(true);
  });

  it("gives no certificate for a revoked base", async () => {
    const city = await createUserRecord(t.ctx, { role: "city" });
    const id = await insertBase(t.ctx, { status: "revoked", revoked_at: "2024-01-01T00:00:00.000Z" });
    expect((await errorOf(getCertificateBase(t.ctx, actorOf(city), id))).code).toBe("NOT_FOUND");
    expect(await canSeeCertificate(t.ctx, actorOf(city), id)).toBe(false);
  });
});

describe("PDFs", () => {
  it("prints the certificate and the plaque in readable Chinese", async () => {
    const pdf = await renderCertificatePdf(
      {
        id: "b1",
        name: "龙游石窟科普教育基地",
        unitName: "龙游石窟旅游开发有限公司",
        regionName: "龙游县",
        categoryName: "文化场馆",
        batchNo: 8,
        recognizedYear: 2023,
        recognizedAt: "2023-06-01T02:00:00.000Z",
        certificateNo: "QZKP-2023-008",
        issuers: ["中共衢州市委宣传部", "衢州市科学技术协会", "衢州市教育局", "衢州市科学技术局"],
        documentNo: "衢科协〔2023〕12号",
        levelName: "衢州市",
      },
      publicBaseUrl({ publicUrl: "https://kepu.example.cn" }, "b1"),
    );
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const pages = extractPdfText(pdf);
    expect(pages).toHaveLength(2);
    expect(pages.every((p) => p.notdefCount === 0)).toBe(true);
    const all = flat(pdf);
    expect(all).toContain("荣誉证书");
    expect(all).toContain("龙游石窟旅游开发有限公司");
    expect(all).toContain("第八批衢州市科普教育基地");
    expect(all).not.toContain("第8批");
    expect(all).toContain("2023年6月1日");
    expect(all).toContain("QZKP-2023-008");
    expect(all).toContain("命名文件：衢科协〔2023〕12号");
    const certificate = pages[0].text.replace(/\s+/g, "");
    for (const body of ["中共衢州市委宣传部", "衢州市科学技术协会", "衢州市教育局", "衢州市科学技术局"])
      expect(certificate).toContain(body);
    const plaque = pages[1].text.replace(/\s+/g, "");
    expect(plaque).toContain("龙游石窟科普教育基地");
    expect(plaque).toContain("中共衢州市委宣传部");
    expect(plaque).toContain("（第八批）");
  });

  it("lists a batch's named bases in the naming document, across pages", async () => {
    const bases = Array.from({ length: 60 }, (_, i) => ({
      name: `第${i + 1}号科普教育基地`,
      unitName: `单位${i + 1}`,
      regionName: "江山市",
    }));
    const pdf = await renderNamingDocumentPdf({
      title: "关于命名第八批衢州市科普教育基地的通知",
      date: "2023-06-01T02:00:00.000Z",
      documentNo: "衢科协〔2023〕12号",
      bases,
    });
    const pages = extractPdfText(pdf);
    expect(pages.length).toBeGreaterThan(1);
    expect(pages.every((p) => p.notdefCount === 0)).toBe(true);
    const all = flat(pdf);
    expect(all).toContain("关于命名第八批衢州市科普教育基地的通知");
    expect(all).toContain("以下60家单位");
    expect(all).toContain("第60号科普教育基地");
    expect(all).toContain("2023年6月1日");
    expect(all).toContain("衢科协〔2023〕12号关于命名");
    // The default issuers sign at the end: the four bodies of 第三条.
    expect(all).toContain("中共衢州市委宣传部衢州市科学技术协会衢州市教育局衢州市科学技术局2023年6月1日");
  });

  it("builds the public URL from KEPU_PUBLIC_URL", () => {
    expect(publicBaseUrl({ publicUrl: "https://kepu.example.cn/sub" }, "abc")).toBe(
      "https://kepu.example.cn/sub/bases/abc",
    );
  });
});
