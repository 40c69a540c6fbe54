import { Badge, Dropdown, type DropdownProps } from "antd";
import { type ReactNode, useEffect, useRef, useState } from "react";
import { Link, useLocation, useSubmit } from "react-router";
import { PERMISSIONS } from "#src/modules/accounts/accounts.policy.ts";
import type { Role } from "#src/platform/db/schema.ts";
import { buttonClass, PlainIcon, PlainLink, useAppLinks } from "~/components/plain";
import { THEME_CLASS } from "~/components/theme";

export interface LayoutUser {
  displayName: string;
  /** Staff see 双因素认证 in the account menu; organizations have no second factor. */
  role: Role;
  roleLabel: string;
  login: string;
}

/** 单位认证 for an org; the verification queue for staff who decide it. */
const VERIFY_LINK: Record<string, { to: string; label: string }> = {
  org: { to: "/verification", label: "单位认证" },
  school: { to: "/verification", label: "单位认证" },
  county: { to: "/admin/verifications", label: "单位认证审核" },
  city: { to: "/admin/verifications", label: "单位认证审核" },
  office: { to: "/admin/verifications", label: "单位认证审核" },
  admin: { to: "/admin/verifications", label: "单位认证审核" },
};

/**
 * The manual's top navigation (附件3), exactly as the published manual shows it: 首页, 项目大厅, 特色专区,
 * 公示栏, 科普基地; 【登录】 at the top right. The sections the manual does not name are linked from
 * the home page and from every page's footer (FOOTER_LINKS).
 */
const NAV = [
  { key: "/", label: "首页" },
  { key: "/projects", label: "项目大厅" },
  { key: "/special", label: "特色专区" },
  { key: "/notices", label: "公示栏" },
  { key: "/bases", label: "科普基地" },
];

/** 通知公告 (the notices with attachments to download) and 新闻交流 (第十四条). */
const FOOTER_LINKS = [
  { to: "/announcements", label: "通知公告" },
  { to: "/articles", label: "新闻交流" },
];

export function AppLayout({
  user,
  demo,
  unread,
  elder,
  children,
}: {
  user: LayoutUser | null;
  demo: boolean;
  unread: number;
  /** 长辈模式 is on (the switch shows it pressed). */
  elder: boolean;
  children: ReactNode;
}) {
  const { pathname, search } = useLocation();
  const submit = useSubmit();
  useAppLinks();
  // The header's dropdowns exist only in the browser: the server renders their buttons (【登录】
  // is a plain link to /login), which saves every page the cost of rendering the popup machinery.
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  // The signal that the page is interactive, with the dropdowns in place (the e2e suite waits for it).
  useEffect(() => {
    if (hydrated) document.documentElement.dataset.hydrated = "1";
  }, [hydrated]);
  // The phone menu closes when a page of it opens (client-side navigation keeps the header).
  const phoneMenu = useRef<HTMLDetailsElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on every navigation on purpose
  useEffect(() => {
    phoneMenu.current?.removeAttribute("open");
  }, [pathname]);
  const menu = (trigger: ReactNode, props: DropdownProps) =>
    hydrated ? <Dropdown {...props}>{trigger}</Dropdown> : trigger;
  const selected = NAV.filter((n) => (n.key === "/" ? pathname === "/" : pathname.startsWith(n.key))).map(
    (n) => n.key,
  );
  const navLinks = NAV.map((n) => (
    <PlainLink key={n.key} to={n.key} aria-current={selected.includes(n.key) ? "page" : undefined}>
      {n.label}
    </PlainLink>
  ));
  const back = pathname + search;
  // The frame is antd's Layout, Alert and Button markup written out (components/plain.tsx): it
  // is on every page, and antd's components cost more server time here than many pages' content.
  return (
    <div className={`ant-layout ${THEME_CLASS} kepu-frame`}>
      <a className="kepu-skip-link" href="#main">
        跳到主要内容
      </a>
      {demo && <DemoBanner />}
      <header className={`ant-layout-header ${THEME_CLASS} kepu-header`}>
        <PlainLink to="/" className="kepu-brand">
          科普基地服务平台
        </PlainLink>
        {/* Plain links, not antd's Menu: the header is on every page and Menu's overflow
            machinery cost more server time than the rest of the layout together (bench/).
            From 768 px the entries sit in the header; below, in the 【菜单】 panel. */}
        <nav aria-label="主导航" className="kepu-nav">
          {navLinks}
        </nav>
        {/* A <details> opens and closes without the scripts; Escape closes it too. */}
        <details
          ref={phoneMenu}
          className="kepu-phone-menu"
          onKeyDown={(e) => {
            if (e.key === "Escape" && phoneMenu.current?.open) {
              phoneMenu.current.removeAttribute("open");
              phoneMenu.current.querySelector("summary")?.focus();
            }
          }}
        >
          <summary className={buttonClass()}>
            <span className="ant-btn-icon">
              <PlainIcon d={MENU_ICON} />
            </span>
            <span>菜单</span>
          </summary>
          {/* Any entry closes the menu, the page already open (首页 on 首页) too. */}
          {/* biome-ignore lint/a11y/noStaticElementInteractions lint/a11y/useKeyWithClickEvents: a click on a link inside (Enter on a link clicks it) */}
          <div
            className="kepu-phone-menu-panel"
            onClick={(e) => {
              if ((e.target as Element).closest("a")) phoneMenu.current?.removeAttribute("open");
            }}
          >
            <nav aria-label="主导航" className="kepu-phone-nav">
              {navLinks}
            </nav>
            <ElderSwitch elder={elder} back={back} />
          </div>
        </details>
        <span className="kepu-header-elder">
          <ElderSwitch elder={elder} back={back} />
        </span>
        {user
          ? menu(
              <span className={`ant-badge ${THEME_CLASS}`}>
                {/* The visible name is the start of the button's name (WCAG 2.5.3). */}
                <button type="button" className={buttonClass()}>
                  <span className="ant-btn-icon">
                    <PlainIcon d={USER_ICON} />
                  </span>
                  <span className="kepu-user-name">{user.displayName}</span>
                  <span className="sr-only">账号菜单</span> <PlainIcon d={DOWN_ICON} />
                </button>
                {unread > 0 && <sup className="ant-scroll-number ant-badge-dot" />}
              </span>,
              {
                trigger: ["click"],
                menu: {
                  items: [
                    { key: "wb", label: <Link to="/workbench">我的工作台</Link> },
                    // The office's own entries to 申报项目管理 (the calls' 附件1–4) and 公示管理.
                    ...((PERMISSIONS["calls:manage"] as readonly Role[]).includes(user.role)
                      ? [{ key: "calls", label: <Link to="/admin/calls">申报项目管理</Link> }]
                      : []),
                    ...((PERMISSIONS["notices:manage"] as readonly Role[]).includes(user.role)
                      ? [{ key: "notices", label: <Link to="/admin/notices">公示管理</Link> }]
                      : []),
                    ...((PERMISSIONS["articles:write"] as readonly Role[]).includes(user.role)
                      ? [{ key: "articles", label: <Link to="/my-articles">我的文章</Link> }]
                      : []),
                    ...((PERMISSIONS["articles:review"] as readonly Role[]).includes(user.role)
                      ? [{ key: "article-review", label: <Link to="/admin/articles">文章审核</Link> }]
                      : []),
                    {
                      key: "msg",
                      label: (
                        <Link to="/notifications">
                          消息 <Badge count={unread} size="small" />
                        </Link>
                      ),
                    },
                    ...(user.role && VERIFY_LINK[user.role]
                      ? [
                          {
                            key: "verify",
                            label: <Link to={VERIFY_LINK[user.role].to}>{VERIFY_LINK[user.role].label}</Link>,
                          },
                        ]
                      : []),
                    { key: "profile", label: <Link to="/account/profile">账号信息</Link> },
                    { key: "pw", label: <Link to="/account/password">修改密码</Link> },
                    { key: "sessions", label: <Link to="/account/sessions">登录设备</Link> },
                    ...(user.role === "org" || user.role === "school"
                      ? []
                      : [{ key: "2fa", label: <Link to="/account/two-factor">双因素认证</Link> }]),
                    { type: "divider" },
                    {
                      key: "out",
                      label: "退出登录",
                      // Submitted from the click itself: a form inside the popup could be gone
                      // (the menu closes on click) before the browser submits it.
                      onClick: () => submit(null, { method: "post", action: "/logout" }),
                    },
                  ],
                },
              },
            )
          : menu(
              // A link drawn as 附件3's 【登录】 button: it works before the scripts load, and is one tab stop.
              <Link to="/login" className={buttonClass("primary")}>
                <span>登录</span>
              </Link>,
              {
                trigger: ["click", "hover"],
                menu: {
                  items: [
                    { key: "org", label: <Link to="/login/org">法人登录</Link> },
                    { key: "staff", label: <Link to="/login/staff">工作人员登录</Link> },
                  ],
                },
              },
            )}
      </header>
      {/* tabIndex -1: the skip link moves the focus here, so the next Tab starts in the content. */}
      <main id="main" tabIndex={-1} className={`ant-layout-content ${THEME_CLASS} kepu-main`}>
        {children}
      </main>
      <footer className={`ant-layout-footer ${THEME_CLASS} kepu-footer`}>
        <nav aria-label="更多栏目" className="kepu-footer-links">
          {FOOTER_LINKS.map((l) => (
            <Link key={l.to} to={l.to}>
              {l.label}
            </Link>
          ))}
        </nav>
        衢州市科普教育基地认定与管理工作办公室 · 科普基地服务平台
      </footer>
    </div>
  );
}

/**
 * 【长辈模式】: larger type, roomier controls, darker text (互联网网站适老化通用设计规范). A plain form
 * post sets a cookie the server reads, so every later page is drawn large from its first paint.
 */
function ElderSwitch({ elder, back }: { elder: boolean; back: string }) {
  return (
    <form method="post" action="/elder-mode" className="kepu-elder-switch">
      <input type="hidden" name="on" value={elder ? "0" : "1"} />
      <input type="hidden" name="back" value={back} />
      <button type="submit" className={buttonClass(elder ? "primary" : "default")} aria-pressed={elder}>
        <span>长辈模式</span>
      </button>
    </form>
  );
}

function DemoBanner() {
  return (
    // biome-ignore lint/a11y/useSemanticElements: antd's Alert markup; <output> is for results
    <div
      className={`ant-alert ant-alert-warning ant-alert-outlined ant-alert-banner ${THEME_CLASS}`}
      role="status"
    >
      <span className="ant-alert-icon">
        <PlainIcon d={WARNING_ICON} />
      </span>
      <div className="ant-alert-section">
        <div className="ant-alert-title">
          演示数据：当前平台中的账号、项目和基地均为演示数据，仅供体验，切勿用于正式工作。
        </div>
      </div>
    </div>
  );
}

// antd's icons (exclamation-circle, user, menu, down), drawn without the icon component's context.
const WARNING_ICON =
  "M512 64C264.6 64 64 264.6 64 512s200.6 448 448 448 448-200.6 448-448S759.4 64 512 64zm-32 232c0-4.4 3.6-8 8-8h48c4.4 0 8 3.6 8 8v272c0 4.4-3.6 8-8 8h-48c-4.4 0-8-3.6-8-8V296zm32 440a48.01 48.01 0 010-96 48.01 48.01 0 010 96z";
const USER_ICON =
  "M858.5 763.6a374 374 0 00-80.6-119.5 375.63 375.63 0 00-119.5-80.6c-.4-.2-.8-.3-1.2-.5C719.5 518 760 444.7 760 362c0-137-111-248-248-248S264 225 264 362c0 82.7 40.5 156 102.8 201.1-.4.2-.8.3-1.2.5-44.8 18.9-85 46-119.5 80.6a375.63 375.63 0 00-80.6 119.5A371.7 371.7 0 00136 901.8a8 8 0 008 8.2h60c4.4 0 7.9-3.5 8-7.8 2-77.2 33-149.5 87.8-204.3 56.7-56.7 132-87.9 212.2-87.9s155.5 31.2 212.2 87.9C779 752.7 810 825 812 902.2c.1 4.4 3.6 7.8 8 7.8h60a8 8 0 008-8.2c-1-47.8-10.9-94.3-29.5-138.2zM512 534c-45.9 0-89.1-17.9-121.6-50.4S340 407.9 340 362c0-45.9 17.9-89.1 50.4-121.6S466.1 190 512 190s89.1 17.9 121.6 50.4S684 316.1 684 362c0 45.9-17.9 89.1-50.4 121.6S557.9 534 512 534z";
const MENU_ICON =
  "M904 160H120c-4.4 0-8 3.6-8 8v64c0 4.4 3.6 8 8 8h784c4.4 0 8-3.6 8-8v-64c0-4.4-3.6-8-8-8zm0 624H120c-4.4 0-8 3.6-8 8v64c0 4.4 3.6 8 8 8h784c4.4 0 8-3.6 8-8v-64c0-4.4-3.6-8-8-8zm0-312H120c-4.4 0-8 3.6-8 8v64c0 4.4 3.6 8 8 8h784c4.4 0 8-3.6 8-8v-64c0-4.4-3.6-8-8-8z";
const DOWN_ICON =
  "M884 256h-75c-5.1 0-9.9 2.5-12.9 6.6L512 654.2 227.9 262.6c-3-4.1-7.8-6.6-12.9-6.6h-75c-6.5 0-10.3 7.4-6.5 12.7l352.6 486.1c12.8 17.6 39 17.6 51.7 0l352.6-486.1c3.9-5.3.1-12.7-6.4-12.7z";
