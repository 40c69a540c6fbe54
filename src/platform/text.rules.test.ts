import { describe, expect, it } from "vitest";
import { cleanLine, cleanText, hasForbiddenChars, stripForbidden } from "./text.rules.ts";
import { line, multiline } from "./text.schema.ts";

describe("cleanLine", () => {
  it("trims, and turns tabs and line breaks into spaces", () => {
    expect(cleanLine("  衢州\t科技馆\r\n科普教育基地 ")).toBe("衢州 科技馆 科普教育基地");
  });

  it("removes NUL, other C0, DEL, C1, bidi overrides and isolates, and U+FFFD", () => {
    expect(cleanLine("a\u0000b\u0007c\u001bd\u007fe\u0085f\u009fg")).toBe("abcdefg");
    expect(cleanLine("\u202eevil\u202c \u2066x\u2069 \u202a\u202b\u202d")).toBe("evil x");
    expect(cleanLine("名\ufffd称")).toBe("名称");
  });

  it("composes to NFC", () => {
    const decomposed = "e\u0301";
    expect(cleanLine(decomposed)).toBe("\u00e9");
  });

  it("drops lone surrogates and keeps paired ones", () => {
    expect(cleanLine("a\ud800b\udc00c")).toBe("abc");
    expect(cleanLine("𠀀")).toBe("𠀀");
  });

  it("trims full-width and no-break spaces and invisible characters pasted with a name (issue 15.4)", () => {
    expect(cleanLine(" 某某科普教育基地 ")).toBe("某某科普教育基地");
    expect(cleanLine("\u3000\u00a0某某科普教育基地\u3000")).toBe("某某科普教育基地");
    expect(cleanLine("\ufeff某某科普教育基地\u200b ")).toBe("某某科普教育基地");
    expect(cleanLine("\u200d 衢州\u200b科技馆\u2060 \u200c")).toBe("衢州科技馆");
    // Inside a name a joiner may belong to an emoji sequence, and stays.
    expect(cleanLine("👩\u200d🔬科普")).toBe("👩\u200d🔬科普");
    expect(cleanText("\u200b 第一行\n第二行\u3000\n")).toBe("第一行\n第二行");
  });

  it("leaves ordinary text alone", () => {
    expect(cleanLine("中国观赏石博览园科普教育基地（二期）")).toBe("中国观赏石博览园科普教育基地（二期）");
  });
});

describe("cleanText", () => {
  it("keeps line breaks (as \\n) and tabs, removes the rest", () => {
    expect(cleanText(" 第一行\r\n第二行\r第三行\n\t缩进\u0000 ")).toBe("第一行\n第二行\n第三行\n\t缩进");
  });
});

describe("stripForbidden and hasForbiddenChars", () => {
  it("removes without trimming and reports what a stored value still holds", () => {
    expect(stripForbidden(" a\u0000\nb ")).toBe(" a\nb ");
    expect(hasForbiddenChars("a\nb")).toBe(false);
    expect(hasForbiddenChars("a\nb", false)).toBe(true);
    expect(hasForbiddenChars("a\u0000")).toBe(true);
    expect(hasForbiddenChars("a\r\nb")).toBe(true);
    expect(hasForbiddenChars("a\u202e")).toBe(true);
    expect(hasForbiddenChars("a\ufffd")).toBe(true);
    expect(hasForbiddenChars("a\udc00")).toBe(true);
    expect(hasForbiddenChars("普通文字")).toBe(false);
  });
});

describe("line() and multiline()", () => {
  it("normalize before the field's own checks", () => {
    const name = line().min(2, "too short").max(5, "too long");
    expect(name.safeParse("\u0000\u0000a\u0000").success).toBe(false);
    expect(name.parse(" \u202eab\u0000c ")).toBe("abc");
    expect(name.safeParse("abcde\u0000\u0000\u0000").success).toBe(true);
    expect(multiline().parse("a\r\nb\u0085")).toBe("a\nb");
  });
});
