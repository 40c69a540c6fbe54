import { Alert, Button, Card, Input, Typography } from "antd";
import { Form, Link, useNavigation } from "react-router";
import { listFiles } from "#src/modules/files/files.server.ts";
import { catalogSlot, KIND_EXTENSIONS } from "#src/modules/files/slots.ts";
import {
  STVS_STATUS_COLORS,
  STVS_STATUS_LABELS,
  STVS_STATUSES,
  SUPERVISOR_TYPE,
  TEAM_SUFFIX,
} from "#src/modules/volunteers/volunteers.rules.ts";
import { teamSchema } from "#src/modules/volunteers/volunteers.schema.ts";
import { getOwnTeam, saveTeam } from "#src/modules/volunteers/volunteers.server.ts";
import { AttachmentUpload } from "~/components/attachment-upload";
import { FormAlert } from "~/components/form-alert";
import { Field, FieldLayout } from "~/components/form-field";
import { PageTitle, PlainLink, PlainTag, PlainText, type TagColor } from "~/components/plain";
import { SelectInput } from "~/components/select-input";
import { toMyBaseWhenMissing } from "~/lib/own-base.server";
import { actorOf, failWith, invalid, orFail, parseForm, readForm, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/my-base-volunteers-team";

export const meta: Route.MetaFunction = () => [{ title: "服务队信息 - 科普基地服务平台" }];

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "bases:own");
  const actor = actorOf(context);
  const { base, team } = await orFail(getOwnTeam(context.app, actor).catch(toMyBaseWhenMissing));
  const files = team ? await listFiles(context.app, actor, "volunteer_team", base.id) : [];
  const slot = catalogSlot("volunteer_proof")!;
  return {
    base: { id: base.id, unitName: base.unit_name, revoked: base.status === "revoked" },
    team: team && {
      name: team.name,
      status: team.stvs_status,
      stvsOrgNo: team.stvs_org_no,
      registeredOn: team.registered_on ?? "",
      leaderName: team.leader_name,
      leaderPhone: team.leader_phone,
      contactName: team.contact_name,
      contactPhone: team.contact_phone,
      version: team.version,
    },
    proof: {
      label: slot.label,
      max: slot.max,
      accept: slot.kinds.flatMap((k) => KIND_EXTENSIONS[k].map((e) => `.${e}`)).join(","),
      files: files
        .filter((f) => f.slot === slot.id)
        .map((f) => ({ id: f.id, name: f.name, url: f.url, thumbUrl: f.thumbUrl })),
    },
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  await requireUser(context, request, "bases:own");
  const fd = await readForm(request);
  if (fd.get("intent") !== "team") throw new Response("未知操作", { status: 400 });
  try {
    const parsed = parseForm(teamSchema, fd);
    if (!parsed.ok)
      return invalid({ ...parsed.failure, message: "服务队信息有填写不正确的内容，请按提示修改" });
    await saveTeam(context.app, actorOf(context), parsed.data);
    return { ok: true as const, done: "服务队信息已保存" };
  } catch (e) {
    if (e instanceof Response) throw e;
    return failWith(e, fd);
  }
}

/** A registered team's name and number are read-only here: they change by a change report. */
function LockedByChange({ what }: { what: string }) {
  return (
    <>
      已注册，{what}以平台登记为准，不能直接修改；如需变更请
      <Link to="/my-base/changes/new?kind=volunteer_team">提交变更申报</Link>
    </>
  );
}

export default function MyBaseVolunteersTeam({ loaderData, actionData }: Route.ComponentProps) {
  const { base, team, proof } = loaderData;
  const busy = useNavigation().state === "submitting";
  const failure = actionData && !actionData.ok ? actionData : undefined;
  const errors = failure?.fieldErrors ?? {};
  const tv = (k: string, fallback: string) => failure?.values[k] ?? fallback;
  const registered = team?.status === "registered";
  return (
    <>
      <PlainText>
        <PlainLink to="/my-base">我的基地</PlainLink> /{" "}
        <PlainLink to="/my-base/volunteers">科技志愿服务队</PlainLink> / 服务队信息
      </PlainText>
      <PageTitle style={{ margin: "8px 0" }}>
        服务队信息{" "}
        {team ? (
          <PlainTag color={STVS_STATUS_COLORS[team.status] as TagColor}>
            {STVS_STATUS_LABELS[team.status]}
          </PlainTag>
        ) : (
          <PlainTag color="red">尚未填写</PlainTag>
        )}
      </PageTitle>
      {actionData?.ok && (
        <Alert
          type="success"
          showIcon
          role="status"
          title={actionData.done}
          description={<PlainLink to="/my-base/volunteers">返回志愿者名册</PlainLink>}
          style={{ marginBottom: 16 }}
        />
      )}
      <FormAlert failure={failure} />
      <Card size="small" title="服务队信息" style={{ marginBottom: 16 }}>
        <Typography.Paragraph type="secondary">
          请在“科技志愿服务”平台（stvs.org.cn）注册科技志愿服务组织（一个单位注册一个），组织名称为“单位名称+
          {TEAM_SUFFIX}”， 归口管理单位类型选择“{SUPERVISOR_TYPE}
          ”；注册后在此填写组织编号，并上传注册成功截图。
        </Typography.Paragraph>
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="team" />
          <input type="hidden" name="version" value={team?.version ?? 0} />
          <FieldLayout>
            <Field
              label="服务队名称"
              htmlFor="name"
              error={errors.name}
              required
              extra={registered ? <LockedByChange what="名称" /> : `如：${base.unitName}${TEAM_SUFFIX}`}
            >
              <Input
                id="name"
                name="name"
                defaultValue={tv("name", team?.name ?? `${base.unitName}${TEAM_SUFFIX}`)}
                readOnly={registered}
                aria-invalid={!!errors.name}
              />
            </Field>
            <Field label="注册状态" htmlFor="stvsStatus" error={errors.stvsStatus} required>
              <SelectInput
                id="stvsStatus"
                name="stvsStatus"
                options={STVS_STATUSES.map((s) => ({ value: s, label: STVS_STATUS_LABELS[s] }))}
                defaultValue={tv("stvsStatus", team?.status ?? "unregistered")}
                invalid={!!errors.stvsStatus}
                style={{ maxWidth: 200, width: "100%" }}
              />
            </Field>
            <Field
              label="组织编号"
              htmlFor="stvsOrgNo"
              error={errors.stvsOrgNo}
              extra={registered ? <LockedByChange what="组织编号" /> : "“科技志愿服务”平台的组织编号"}
            >
              <Input
                id="stvsOrgNo"
                name="stvsOrgNo"
                defaultValue={tv("stvsOrgNo", team?.stvsOrgNo ?? "")}
                readOnly={registered}
                aria-invalid={!!errors.stvsOrgNo}
                style={{ maxWidth: 300 }}
              />
            </Field>
            <Field label="注册日期" htmlFor="registeredOn" error={errors.registeredOn}>
              <Input
                id="registeredOn"
                name="registeredOn"
                type="date"
                defaultValue={tv("registeredOn", team?.registeredOn ?? "")}
                aria-invalid={!!errors.registeredOn}
                style={{ maxWidth: 200 }}
              />
            </Field>
            <Field label="归口管理单位类型" htmlFor="supervisorType">
              <Input id="supervisorType" value={SUPERVISOR_TYPE} readOnly style={{ maxWidth: 200 }} />
            </Field>
            <Field label="队长（负责人）" htmlFor="leaderName" error={errors.leaderName} required>
              <Input
                id="leaderName"
                name="leaderName"
                defaultValue={tv("leaderName", team?.leaderName ?? "")}
                style={{ maxWidth: 300 }}
              />
            </Field>
            <Field label="负责人电话" htmlFor="leaderPhone" error={errors.leaderPhone} required>
              <Input
                id="leaderPhone"
                name="leaderPhone"
                inputMode="tel"
                defaultValue={tv("leaderPhone", team?.leaderPhone ?? "")}
                style={{ maxWidth: 300 }}
              />
            </Field>
            <Field label="联系人" htmlFor="contactName" error={errors.contactName}>
              <Input
                id="contactName"
                name="contactName"
                defaultValue={tv("contactName", team?.contactName ?? "")}
                style={{ maxWidth: 300 }}
              />
            </Field>
            <Field label="联系人电话" htmlFor="contactPhone" error={errors.contactPhone}>
              <Input
                id="contactPhone"
                name="contactPhone"
                inputMode="tel"
                defaultValue={tv("contactPhone", team?.contactPhone ?? "")}
                style={{ maxWidth: 300 }}
              />
            </Field>
            {!base.revoked && (
              <Button type="primary" htmlType="submit" loading={busy}>
                保存服务队信息
              </Button>
            )}
          </FieldLayout>
        </Form>
      </Card>
      {team && (
        <Card
          size="small"
          title={`${proof.label}（注册成功截图，最多 ${proof.max} 个）`}
          style={{ marginBottom: 16 }}
        >
          <AttachmentUpload
            id="file_volunteer_proof"
            action={`/files/volunteer_team/${base.id}/volunteer_proof`}
            accept={proof.accept}
            max={proof.max}
            image={false}
            files={proof.files}
            disabled={base.revoked}
          />
        </Card>
      )}
    </>
  );
}
