import { DownOutlined, UserOutlined } from "@ant-design/icons";
import { Alert, Badge, Button, Dropdown, type DropdownProps, Layout, Space } from "antd";
import { type ReactNode, useEffect, useState } from "react";
import { Link, useLocation, useSubmit } from "react-router";

export interface LayoutUser {
  displayName: string;
  roleLabel: string;
  login: string;
}

/** The manual's top navigation (附件3): 首页, 项目大厅, 特色专区, 公示栏, 科普基地; 【登录】 at the top right. */
const NAV = [
  { key: "/", label: "首页" },
  { key: "/projects", label: "项目大厅" },
  { key: "/special", label: "特色专区" },
  { key: "/notices", label: "公示栏" },
  { key: "/bases", label: "科普基地" },
];

export function AppLayout({
  user,
  demo,
  unread,
  children,
}: {
  user: LayoutUser | null;
  demo: boolean;
  unread: number;
  children: ReactNode;
}) {
  const { pathname } = useLocation();
  const submit = useSubmit();
  // The header's dropdowns exist only in the browser: the server renders their buttons (【登录】
  // is a plain link to /login), which saves every page the cost of rendering the popup machinery.
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  // The signal that the page is interactive, with the dropdowns in place (the e2e suite waits for it).
  useEffect(() => {
    if (hydrated) document.documentElement.dataset.hydrated = "1";
  }, [hydrated]);
  const menu = (trigger: ReactNode, props: DropdownProps) =>
    hydrated ? <Dropdown {...props}>{trigger}</Dropdown> : trigger;
  const selected = NAV.filter((n) => (n.key === "/" ? pathname === "/" : pathname.startsWith(n.key))).map(
    (n) => n.key,
  );
  return (
    <Layout style={{ minHeight: "100vh" }}>
      {demo && (
        <Alert
          banner
          type="warning"
          title="演示数据：当前平台中的账号、项目和基地均为演示数据，仅供体验，切勿用于正式工作。"
          role="status"
        />
      )}
      <Layout.Header
        style={{
          display: "flex",
          alignItems: "center",
          gap: 12,
          padding: "0 12px",
          background: "#fff",
          borderBottom: "1px solid #f0f0f0",
        }}
      >
        <Link to="/" style={{ fontWeight: 600, fontSize: 16, whiteSpace: "nowrap", color: "#1456c7" }}>
          科普基地服务平台
        </Link>
        {/* Plain links, not antd's Menu: the header is on every page and Menu's overflow
            machinery cost more server time than the rest of the layout together (bench/). */}
        <nav aria-label="主导航" className="kepu-nav">
          {NAV.map((n) => (
            <Link key={n.key} to={n.key} aria-current={selected.includes(n.key) ? "page" : undefined}>
              {n.label}
            </Link>
          ))}
        </nav>
        {user
          ? menu(
              <Badge dot={unread > 0}>
                <Button icon={<UserOutlined />} aria-label="账号菜单">
                  <span className="kepu-user-name">{user.displayName}</span> <DownOutlined />
                </Button>
              </Badge>,
              {
                trigger: ["click"],
                menu: {
                  items: [
                    { key: "wb", label: <Link to="/workbench">我的工作台</Link> },
                    {
                      key: "msg",
                      label: (
                        <Link to="/notifications">
                          消息 <Badge count={unread} size="small" />
                        </Link>
                      ),
                    },
                    { key: "pw", label: <Link to="/account/password">修改密码</Link> },
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
              <Link to="/login">
                <Button type="primary">登录</Button>
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
      </Layout.Header>
      <Layout.Content style={{ padding: "16px 12px", maxWidth: 1200, width: "100%", margin: "0 auto" }}>
        {children}
      </Layout.Content>
      <Layout.Footer style={{ textAlign: "center", fontSize: 13, color: "#595959" }}>
        <Space wrap separator="·">
          <span>衢州市科普教育基地认定与管理工作办公室</span>
          <span>科普基地服务平台</span>
        </Space>
      </Layout.Footer>
    </Layout>
  );
}
