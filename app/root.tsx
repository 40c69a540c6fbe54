import { ConfigProvider, Result } from "antd";
import zhCN from "antd/locale/zh_CN";
import "dayjs/locale/zh-cn";
import antdCss from "antd/dist/antd.css?url";
import dayjs from "dayjs";
import type { ReactNode } from "react";
import {
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteError,
  useRouteLoaderData,
} from "react-router";
import { ROLE_LABELS } from "#src/modules/accounts/accounts.policy.ts";
import { UNREAD_FIGURE } from "#src/modules/notifications/notifications.server.ts";
import { AppLayout } from "~/components/app-layout";
import { ELDER_CLASS, THEME_CLASS, theme } from "~/components/theme";
import { elderModeOf } from "~/lib/elder-mode";
import type { Route } from "./+types/root";
import appCss from "./app.css?url";

dayjs.locale("zh-cn");

export function loader({ context, request }: Route.LoaderArgs) {
  const u = context.user;
  return {
    elder: elderModeOf(request),
    // Read with the session's own query (src/server/features.server.ts): no round trip of its own.
    unread: u?.figures?.[UNREAD_FIGURE] ?? 0,
    nonce: context.nonce,
    demo: context.demo,
    user: u
      ? { displayName: u.displayName, role: u.role, roleLabel: ROLE_LABELS[u.role], login: u.login }
      : null,
  };
}

export const links: Route.LinksFunction = () => [
  { rel: "stylesheet", href: antdCss },
  { rel: "stylesheet", href: appCss },
];

export const meta: Route.MetaFunction = () => [
  { title: "科普基地服务平台" },
  { name: "description", content: "衢州市科普教育基地申报、公示、活动与管理服务平台" },
];

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  return (
    // 长辈模式 is a class on <html>, set by the server from the browser's cookie: no flash of small type.
    <html lang="zh-CN" className={data?.elder ? ELDER_CLASS : undefined}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        <Meta />
        <Links />
      </head>
      <body style={{ margin: 0 }}>
        <ConfigProvider
          locale={zhCN}
          theme={theme}
          button={{ autoInsertSpace: false }}
          csp={data?.nonce ? { nonce: data.nonce } : undefined}
        >
          {/* antd's App markup without its message/modal providers (a component that shows messages
              renders its own holder): the page's base font and colours, and the theme's variables. */}
          <div className={`ant-app ${THEME_CLASS}`}>
            <AppLayout
              user={data?.user ?? null}
              demo={data?.demo ?? false}
              unread={data?.unread ?? 0}
              elder={data?.elder ?? false}
            >
              {children}
            </AppLayout>
          </div>
        </ConfigProvider>
        <ScrollRestoration nonce={data?.nonce} />
        <Scripts nonce={data?.nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error)) {
    const titles: Record<number, string> = {
      403: "无权访问",
      404: "页面不存在",
      409: "数据已变更",
      413: "文件过大",
    };
    const message = typeof error.data === "string" ? error.data : "请求无法完成";
    const status = ([403, 404, 500] as const).find((s) => s === error.status) ?? "error";
    return (
      <Result status={status} title={titles[error.status] ?? `错误 ${error.status}`} subTitle={message} />
    );
  }
  return <Result status="500" title="服务器内部错误" subTitle="请稍后再试；如果问题持续，请联系管理员。" />;
}
