import { redirect } from "react-router";
import { LoginForm } from "~/components/login-form";
import { loginAction } from "~/lib/login.server";
import type { Route } from "./+types/login-org";

export const meta: Route.MetaFunction = () => [{ title: "法人登录 - 科普基地服务平台" }];

export function loader({ context }: Route.LoaderArgs) {
  if (context.user) throw redirect("/workbench");
  return null;
}

export const action = ({ request, context }: Route.ActionArgs) => loginAction("org", request, context);

export default function LoginOrg({ actionData }: Route.ComponentProps) {
  return <LoginForm kind="org" failure={actionData} />;
}
