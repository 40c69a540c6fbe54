import { describe, expect, it } from "vitest";
import { elderTheme, PRESET_TEXT_SHADES, theme } from "./theme";

/** WCAG 2.x contrast ratio of two colours (#rrggbb, or rgba(0, 0, 0, a) black over the background). */
function contrast(fg: string, bg: string): number {
  const rgb = (c: string) => [1, 3, 5].map((i) => Number.parseInt(c.slice(i, i + 2), 16));
  const back = rgb(bg);
  const alpha = /^rgba\(0, 0, 0, ([\d.]+)\)$/.exec(fg);
  const front = alpha ? back.map((v) => v * (1 - Number(alpha[1]))) : rgb(fg);
  const lum = (c: number[]) => {
    const [r, g, b] = c.map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [a, b] = [lum(front), lum(back)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}

const WHITE = "#ffffff";
const PAGE = "#f5f5f5";
/** antd's shade 1 of each preset colour: the tag's background. */
const TAG_BACKGROUNDS: Record<string, string> = {
  green: "#f6ffed",
  cyan: "#e6fffb",
  orange: "#fff7e6",
  gold: "#fffbe6",
  volcano: "#fff2e8",
  lime: "#fcffe6",
  magenta: "#fff0f6",
};

describe("theme contrast (WCAG 2.1 AA)", () => {
  const t = theme.token as Record<string, string>;
  it("links and the primary colour reach 4.5:1 on white and on the page grey", () => {
    for (const key of [
      "colorPrimary",
      "colorLink",
      "colorInfo",
      "colorError",
      "colorSuccess",
      "colorWarning",
    ])
      for (const bg of [WHITE, PAGE])
        expect(contrast(t[key], bg), `${key} on ${bg}`).toBeGreaterThanOrEqual(4.5);
  });
  it("grey text, placeholders and disabled text reach 4.5:1 on white and on the page grey", () => {
    for (const key of [
      "colorTextSecondary",
      "colorTextTertiary",
      "colorTextDescription",
      "colorTextQuaternary",
    ])
      for (const bg of [WHITE, PAGE])
        expect(contrast(t[key], bg), `${key} on ${bg}`).toBeGreaterThanOrEqual(4.5);
  });
  it("input borders reach 3:1 on white (a UI component)", () => {
    expect(contrast(t.colorBorder, WHITE)).toBeGreaterThanOrEqual(3);
  });
  it("every preset tag's text reaches 4.5:1 on its background", () => {
    for (const [color, shade] of Object.entries(PRESET_TEXT_SHADES))
      expect(contrast(shade, TAG_BACKGROUNDS[color]), color).toBeGreaterThanOrEqual(4.5);
  });
  it("长辈模式 is larger (18 px body) and darker still", () => {
    const e = elderTheme.token as Record<string, string | number>;
    expect(e.fontSize).toBeGreaterThanOrEqual(18);
    expect(contrast(String(e.colorTextSecondary), PAGE)).toBeGreaterThan(
      contrast(t.colorTextSecondary, PAGE),
    );
    expect(contrast(String(e.colorLink), WHITE)).toBeGreaterThanOrEqual(7);
  });
});
