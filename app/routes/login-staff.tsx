import { redirect } from "react-router";
import { LoginForm } from "~/components/login-form";
import { loginAction } from "~/lib/login.server";
import type { Route } from "./+types/login-staff";

export const meta: Route.MetaFunction = () => [{ title: "工作人员登录 - 科普基地服务平台" }];

export function loader({ context }: Route.LoaderArgs) {
  if (context.user) throw redirect("/workbench");
  return null;
}

export const action = ({ request, context }: Route.ActionArgs) => loginAction("staff", request, context);

export default function LoginStaff({ actionData }: Route.ComponentProps) {
  return <LoginForm kind="staff" failure={actionData} />;
}
