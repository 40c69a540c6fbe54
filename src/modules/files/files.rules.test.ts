import { describe, expect, it } from "vitest";
import {
  asciiFallbackName,
  cfbMimeFor,
  contentDisposition,
  extensionOf,
  nameForStoredType,
  pixelCountText,
  sanitizeFileName,
  tooManyPixelsMessage,
} from "./files.rules.ts";

describe("sanitizeFileName", () => {
  it("keeps ordinary Chinese names", () => {
    expect(sanitizeFileName("基地概况照片 1.jpg")).toBe("基地概况照片 1.jpg");
  });

  it("drops directories, control and bidi characters and leading dots", () => {
    expect(sanitizeFileName("C:\\fakepath\\申报表.pdf")).toBe("申报表.pdf");
    expect(sanitizeFileName("../../etc/passwd")).toBe("passwd");
    expect(sanitizeFileName("a\u0000b\r\n.pdf")).toBe("ab.pdf");
    expect(sanitizeFileName("invoice\u202Efdp.exe")).toBe("invoicefdp.exe");
    expect(sanitizeFileName("...hidden")).toBe("hidden");
  });

  it("never returns an empty name", () => {
    expect(sanitizeFileName("")).toBe("file");
    expect(sanitizeFileName(undefined)).toBe("file");
    expect(sanitizeFileName("  ")).toBe("file");
  });

  it("shortens long names but keeps the extension", () => {
    const long = `${"很".repeat(300)}.pdf`;
    const out = sanitizeFileName(long);
    expect([...out].length).toBe(120);
    expect(out.endsWith(".pdf")).toBe(true);
  });

  it("normalizes to NFC", () => {
    expect(sanitizeFileName("e\u0301.pdf")).toBe("\u00e9.pdf");
  });
});

describe("nameForStoredType", () => {
  it("keeps a fitting extension", () => {
    expect(nameForStoredType("照片.JPG", "image/jpeg")).toBe("照片.JPG");
    expect(nameForStoredType("照片.jpeg", "image/jpeg")).toBe("照片.jpeg");
  });

  it("replaces or appends the extension of the stored type", () => {
    expect(nameForStoredType("照片.webp", "image/jpeg")).toBe("照片.jpg");
    expect(nameForStoredType("扫描件", "application/pdf")).toBe("扫描件.pdf");
    expect(nameForStoredType(".png", "image/jpeg")).toBe("file.jpg");
  });

  it("leaves types without a known extension alone", () => {
    expect(nameForStoredType("报告.doc", "application/msword")).toBe("报告.doc");
  });
});

describe("cfbMimeFor", () => {
  it("accepts legacy Office and WPS extensions only", () => {
    expect(cfbMimeFor("报告.DOC")).toBe("application/msword");
    expect(cfbMimeFor("表.et")).toBe("application/vnd.ms-excel");
    expect(cfbMimeFor("setup.msi")).toBeNull();
    expect(cfbMimeFor("noext")).toBeNull();
  });
});

describe("Content-Disposition", () => {
  it("sends an ASCII fallback and the UTF-8 name", () => {
    expect(contentDisposition("基地照片.jpg")).toBe(
      `attachment; filename="file.jpg"; filename*=UTF-8''%E5%9F%BA%E5%9C%B0%E7%85%A7%E7%89%87.jpg`,
    );
    expect(contentDisposition("report 2024.pdf", "inline")).toBe(
      `inline; filename="report 2024.pdf"; filename*=UTF-8''report%202024.pdf`,
    );
  });

  it("cannot be broken out of by quotes, semicolons or newlines", () => {
    const header = contentDisposition(`a";b=c\\'(x).pdf`);
    expect(header).toBe(
      `attachment; filename="a__b=c_'(x).pdf"; filename*=UTF-8''a%22%3Bb%3Dc%5C%27%28x%29.pdf`,
    );
    expect(asciiFallbackName("申报表2024.pdf")).toBe("___2024.pdf");
  });

  it("finds extensions", () => {
    expect(extensionOf("a.tar.GZ")).toBe("gz");
    expect(extensionOf("noext")).toBe("");
  });
});

describe("pixel limit wording", () => {
  it("says 万 and 亿 as people read them, not 百万", () => {
    expect(pixelCountText(50_000_000)).toBe("5000 万");
    expect(pixelCountText(640_000)).toBe("64 万");
    expect(pixelCountText(12_345_678)).toBe("1234.6 万");
    expect(pixelCountText(120_000_000)).toBe("1.2 亿");
    expect(pixelCountText(9_999)).toBe("9999");
  });
  it("words the refusal of a too large image", () => {
    expect(tooManyPixelsMessage(50_000_000)).toBe("图片不能超过 5000 万像素，请缩小后再上传");
  });
});
