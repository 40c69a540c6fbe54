import { Card } from "antd";
import { redirect } from "react-router";
import { createCall } from "#src/modules/calls/calls.server.ts";
import { CallForm } from "~/components/call-form";
import { PageTitle } from "~/components/plain";
import { callFormOptions, parseCallForm } from "~/lib/call-form.server";
import { actorOf, failWith, readForm, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/admin-call-new";

export const meta: Route.MetaFunction = () => [{ title: "新建申报项目 - 科普基地服务平台" }];

export async function loader({ request, context }: Route.LoaderArgs) {
  const me = await requireUser(context, request, "calls:manage");
  return callFormOptions(context, me);
}

export async function action({ request, context }: Route.ActionArgs) {
  await requireUser(context, request, "calls:manage");
  const fd = await readForm(request);
  const parsed = await parseCallForm(context, fd);
  if (!parsed.ok) return { message: "请按提示修改", fieldErrors: parsed.fieldErrors };
  try {
    const id = await createCall(context.app, actorOf(context), parsed.data);
    return redirect(`/admin/calls/${id}?created=1`);
  } catch (e) {
    return failWith(e, fd);
  }
}

export default function AdminCallNew({ loaderData, actionData }: Route.ComponentProps) {
  return (
    <Card style={{ maxWidth: 880, margin: "16px auto" }}>
      <PageTitle style={{ marginTop: 0 }}>新建申报项目</PageTitle>
      <CallForm
        {...loaderData}
        defaults={{
          kind: "科普教育基地项目认定",
          batchNo: "",
          title: "",
          level: loaderData.levels[0],
          regionCode: loaderData.regions[0]?.value ?? "",
          opensAt: "",
          closesAt: "",
          categoryCodes: loaderData.categories.map((c) => c.value),
          targets: {},
          notice: "",
          issuers: "",
          documentNo: "",
        }}
        errors={actionData?.fieldErrors ?? {}}
        message={actionData?.message}
        submitLabel="创建"
      />
    </Card>
  );
}
