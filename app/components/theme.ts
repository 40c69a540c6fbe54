import type { ThemeConfig } from "antd";

/**
 * The class that carries the theme's CSS variables. Fixed rather than derived from React's useId,
 * so display-only markup (plain.tsx) can carry it too and a component's variables never depend on
 * where in the tree the provider sits.
 */
export const THEME_CLASS = "kepu-theme";

/** Blue with contrast ≥ 4.5:1 on white (WCAG 2.1 AA). */
export const theme: ThemeConfig = {
  // Component styles come from antd's prebuilt stylesheet (linked in root.tsx), so neither the
  // server nor the phone computes CSS-in-JS per render; only the theme's CSS variables are generated.
  zeroRuntime: true,
  cssVar: { key: THEME_CLASS },
  // The prebuilt stylesheet does not use the hash class; leaving it out saves markup on every element.
  hashed: false,
  token: {
    colorPrimary: "#1456c7",
    borderRadius: 6,
    fontFamily:
      '-apple-system, BlinkMacSystemFont, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif',
  },
};
