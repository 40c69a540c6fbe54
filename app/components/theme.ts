import type { ThemeConfig } from "antd";

/**
 * The class that carries the theme's CSS variables. Fixed rather than derived from React's useId,
 * so display-only markup (plain.tsx) can carry it too and a component's variables never depend on
 * where in the tree the provider sits.
 */
export const THEME_CLASS = "kepu-theme";

/** On <html> when 长辈模式 is on: the elder theme's variables (below) apply under it. */
export const ELDER_CLASS = "kepu-elder";

/**
 * The palette. Every colour the app shows comes from here (through antd's tokens and the CSS
 * variables they become); app.css and components refer to the variables, never to a colour.
 * Chosen for WCAG 2.1 AA: text, links and tags reach 4.5:1 on white and on the #f5f5f5 page
 * background, large text and control borders 3:1.
 */
const token: NonNullable<ThemeConfig["token"]> = {
  // antd's #1677ff is 4.1:1 on white; blue-7 is 6.2:1 (5.7:1 on #f5f5f5).
  colorPrimary: "#0958d9",
  colorInfo: "#0958d9",
  colorLink: "#0958d9",
  colorLinkHover: "#003eb3",
  colorLinkActive: "#002c8c",
  // Status colours dark enough to be read as text (form errors, 已认定, warnings).
  colorSuccess: "#237804",
  colorWarning: "#ad4e00",
  colorError: "#cf1322",
  // Grey text: antd's 45% black is 3.3:1 on #f5f5f5; 65% is 6.7:1, and placeholders and disabled
  // text (quaternary) 55% stay above 4.5:1 on white and on the disabled grey.
  colorTextSecondary: "rgba(0, 0, 0, 0.65)",
  colorTextTertiary: "rgba(0, 0, 0, 0.62)",
  colorTextDescription: "rgba(0, 0, 0, 0.65)",
  colorTextQuaternary: "rgba(0, 0, 0, 0.55)",
  colorTextPlaceholder: "rgba(0, 0, 0, 0.55)",
  colorTextDisabled: "rgba(0, 0, 0, 0.55)",
  // Borders of inputs are UI components: 3:1 against white.
  colorBorder: "#8c8c8c",
  // Light backgrounds of the status colours as antd's (derived from the darker seeds they turn murky).
  colorSuccessBg: "#f6ffed",
  colorSuccessBorder: "#b7eb8f",
  colorWarningBg: "#fffbe6",
  colorWarningBorder: "#ffe58f",
  colorErrorBg: "#fff2f0",
  colorErrorBorder: "#ffccc7",
  borderRadius: 6,
  fontFamily:
    '-apple-system, BlinkMacSystemFont, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif',
};

/**
 * Preset tags draw their text in shade 7 on shade 1; antd's shade 7 of these is below 4.5:1 there,
 * so it is replaced by shade 8 or 9. antd derives the palette from its seeds whatever the token
 * says, so lib/theme-styles writes these over the generated variables.
 */
export const PRESET_TEXT_SHADES: Record<string, string> = {
  green: "#237804",
  cyan: "#006d75",
  orange: "#ad4e00",
  gold: "#874d00",
  volcano: "#ad2102",
  lime: "#3f6600",
  magenta: "#9e1068",
};

export const theme: ThemeConfig = {
  // Component styles come from antd's prebuilt stylesheet (linked in root.tsx), so neither the
  // server nor the phone computes CSS-in-JS per render; only the theme's CSS variables are generated.
  zeroRuntime: true,
  cssVar: { key: THEME_CLASS },
  // The prebuilt stylesheet does not use the hash class; leaving it out saves markup on every element.
  hashed: false,
  token,
};

/**
 * 长辈模式 (互联网网站适老化通用设计规范): larger type (18 px body), roomier controls and near-black
 * text. Its variables are generated like the theme's and apply under `.kepu-elder` (lib/theme-styles).
 */
export const elderTheme: ThemeConfig = {
  ...theme,
  token: {
    ...token,
    fontSize: 18,
    fontSizeSM: 16,
    fontSizeLG: 20,
    fontSizeHeading1: 32,
    fontSizeHeading2: 28,
    fontSizeHeading3: 24,
    fontSizeHeading4: 22,
    fontSizeHeading5: 20,
    lineHeight: 1.7,
    controlHeight: 44,
    controlHeightSM: 36,
    controlHeightLG: 52,
    sizeUnit: 5,
    colorText: "rgba(0, 0, 0, 0.95)",
    colorTextHeading: "#000000",
    colorTextSecondary: "rgba(0, 0, 0, 0.8)",
    colorTextTertiary: "rgba(0, 0, 0, 0.78)",
    colorTextDescription: "rgba(0, 0, 0, 0.8)",
    colorTextQuaternary: "rgba(0, 0, 0, 0.7)",
    colorTextPlaceholder: "rgba(0, 0, 0, 0.7)",
    colorTextDisabled: "rgba(0, 0, 0, 0.7)",
    colorPrimary: "#003eb3",
    colorInfo: "#003eb3",
    colorLink: "#003eb3",
    colorBorder: "#595959",
  },
};
