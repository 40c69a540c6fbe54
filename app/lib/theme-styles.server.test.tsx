import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { StyleProvider } from "@ant-design/cssinjs";
import { Button, ConfigProvider, Popconfirm } from "antd";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { theme } from "~/components/theme";
import { headStyles, styleCache, themeCss, themeCssHref } from "./theme-styles.server";

const appDir = path.resolve(import.meta.dirname, "..");

function antdImports(): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.tsx$/.test(e.name) && !/\.test\.tsx$/.test(e.name)) {
        const src = readFileSync(p, "utf8");
        for (const m of src.matchAll(/import\s*\{([^}]*)\}\s*from\s*"antd"/g))
          for (const raw of m[1].split(",")) {
            const n = raw.trim();
            if (n && !n.startsWith("type ")) names.add(n.split(" as ")[0].trim());
          }
      }
    }
  };
  walk(appDir);
  return names;
}

// Not rendered on the server (popups, message API), or not components.
const CLIENT_ONLY = new Set(["ConfigProvider", "Dropdown", "message", "theme"]);

describe("theme stylesheet", () => {
  it("renders at start every antd component the app imports", () => {
    const warm = readFileSync(path.join(import.meta.dirname, "theme-styles.server.tsx"), "utf8");
    const missing = [...antdImports()].filter((n) => !CLIENT_ONLY.has(n) && !warm.includes(`<${n}`));
    expect(missing).toEqual([]);
  });

  it("holds our theme's variables on the fixed class", () => {
    expect(themeCss).toContain(".kepu-theme{");
    expect(themeCss).toContain("--ant-color-primary:#0958d9");
    expect(themeCss).toContain(".kepu-theme.ant-tag{");
    expect(themeCss).toContain(".kepu-theme.ant-table-css-var{");
  });

  it("is linked by its content hash, and nothing is inlined while no component registered late", () => {
    expect(themeCssHref).toMatch(/^\/theme\.css\?v=[0-9a-f]{12}$/);
    expect(headStyles()).toBe(`<link rel="stylesheet" href="${themeCssHref}">`);
  });

  it("inlines nothing after a page renders a closed Popconfirm (it registers on the server)", () => {
    renderToString(
      <StyleProvider cache={styleCache}>
        <ConfigProvider theme={theme}>
          <Popconfirm title="确认？">
            <Button danger>退出服务队</Button>
          </Popconfirm>
        </ConfigProvider>
      </StyleProvider>,
    );
    expect(headStyles()).toBe(`<link rel="stylesheet" href="${themeCssHref}">`);
  });
});

describe("长辈模式 stylesheet", () => {
  it("scopes the elder theme's larger variables under .kepu-elder", () => {
    expect(themeCss).toContain(".kepu-elder .kepu-theme{");
    expect(themeCss).toContain(".kepu-elder .kepu-theme.ant-tag{");
    const elder = themeCss.slice(themeCss.indexOf(".kepu-elder .kepu-theme{"));
    expect(elder).toMatch(/--ant-font-size:18px/);
    // The normal theme's rules are not scoped, and keep 14 px.
    expect(themeCss.slice(0, themeCss.indexOf(".kepu-elder"))).toMatch(/--ant-font-size:14px/);
  });
});
