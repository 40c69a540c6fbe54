import { Alert, Button, Card, Empty, Input, Space, Table, Tag, Typography } from "antd";
import { Form, Link, useNavigation, useSearchParams } from "react-router";
import { listFiles } from "#src/modules/files/files.server.ts";
import { catalogSlot, KIND_EXTENSIONS } from "#src/modules/files/slots.ts";
import {
  hoursText,
  STVS_STATUS_COLORS,
  STVS_STATUS_LABELS,
  STVS_STATUSES,
  SUPERVISOR_TYPE,
  TEAM_SUFFIX,
} from "#src/modules/volunteers/volunteers.rules.ts";
import { teamSchema, volunteerSchema } from "#src/modules/volunteers/volunteers.schema.ts";
import {
  addVolunteer,
  getOwnTeam,
  listOwnVolunteers,
  listServiceableActivities,
  saveTeam,
} from "#src/modules/volunteers/volunteers.server.ts";
import { pageParam } from "#src/platform/paging.rules.ts";
import { cleanLine } from "#src/platform/text.rules.ts";
import { AttachmentUpload } from "~/components/attachment-upload";
import { FormAlert } from "~/components/form-alert";
import { Field, FieldLayout } from "~/components/form-field";
import { ButtonLink, PageTitle } from "~/components/plain";
import { SelectInput } from "~/components/select-input";
import { useUrlPagination } from "~/components/url-pagination";
import { toMyBaseWhenMissing } from "~/lib/own-base.server";
import { actorOf, failWith, invalid, orFail, parseForm, readForm, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/my-base-volunteers";

export const meta: Route.MetaFunction = () => [{ title: "科技志愿服务队 - 科普基地服务平台" }];

const PAGE_SIZE = 20;

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "bases:own");
  const actor = actorOf(context);
  const sp = new URL(request.url).searchParams;
  const page = pageParam(sp.get("page"));
  const status = sp.get("status") === "left" ? ("left" as const) : ("active" as const);
  const q = cleanLine(sp.get("q") ?? "").slice(0, 50);
  const { base, team, counts } = await orFail(getOwnTeam(context.app, actor).catch(toMyBaseWhenMissing));
  const roster = await listOwnVolunteers(context.app, actor, {
    status,
    q,
    offset: (page - 1) * PAGE_SIZE,
    limit: PAGE_SIZE,
  });
  const activities = await listServiceableActivities(context.app, actor, 20);
  const files = await listFiles(context.app, actor, "volunteer_team", base.id);
  const slot = catalogSlot("volunteer_proof")!;
  return {
    base: { id: base.id, name: base.name, unitName: base.unit_name, revoked: base.status === "revoked" },
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
    counts,
    page,
    status,
    q,
    roster: {
      total: roster.total,
      rows: roster.rows.map((v) => ({
        id: v.id,
        name: v.name,
        phone: v.phone,
        stvsNo: v.stvs_no,
        specialty: v.specialty,
        joinedOn: v.joined_on ?? "",
      })),
    },
    activities: activities.map((a) => ({
      id: a.id,
      name: a.name,
      startsAt: a.starts_at,
      services: Number(a.services ?? 0),
    })),
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
  const intent = fd.get("intent");
  const actor = actorOf(context);
  try {
    if (intent === "team") {
      const parsed = parseForm(teamSchema, fd);
      if (!parsed.ok)
        return invalid({ ...parsed.failure, message: "服务队信息有填写不正确的内容，请按提示修改" });
      await saveTeam(context.app, actor, parsed.data);
      return { ok: true as const, done: "服务队信息已保存" };
    }
    if (intent === "add") {
      const parsed = parseForm(volunteerSchema, fd);
      if (!parsed.ok)
        return invalid({ ...parsed.failure, message: "志愿者信息有填写不正确的内容，请按提示修改" });
      await addVolunteer(context.app, actor, parsed.data);
      return { ok: true as const, done: `已添加志愿者 ${parsed.data.name}` };
    }
    throw new Response("未知操作", { status: 400 });
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

export default function MyBaseVolunteers({ loaderData, actionData }: Route.ComponentProps) {
  const { base, team, counts, roster, activities, proof } = loaderData;
  const busy = useNavigation().state === "submitting";
  const [sp] = useSearchParams();
  const failure = actionData && !actionData.ok ? actionData : undefined;
  const intent = failure?.values.intent;
  const teamErrors = intent === "team" ? (failure?.fieldErrors ?? {}) : {};
  const addErrors = intent === "add" ? (failure?.fieldErrors ?? {}) : {};
  const tv = (k: string, fallback: string) =>
    (intent === "team" ? failure?.values[k] : undefined) ?? fallback;
  const av = (k: string) => (intent === "add" ? failure?.values[k] : undefined) ?? "";
  const pagination = useUrlPagination({
    page: loaderData.page,
    pageSize: PAGE_SIZE,
    total: roster.total,
    unit: "人",
  });
  const registered = team?.status === "registered";
  const left = loaderData.status === "left";
  return (
    <>
      <Typography.Text>
        <Link to="/my-base">我的基地</Link> / 科技志愿服务队
      </Typography.Text>
      <Space style={{ width: "100%", justifyContent: "space-between", margin: "8px 0" }} wrap>
        <PageTitle style={{ margin: 0 }}>科技志愿服务队</PageTitle>
        <Space wrap>
          <ButtonLink to="/my-base/volunteers/import">导入志愿者</ButtonLink>
          <ButtonLink to="/my-base/volunteers/roster.xlsx" reloadDocument>
            导出名册
          </ButtonLink>
          <ButtonLink to="/my-base/volunteers/hours.xlsx" reloadDocument>
            导出服务时长
          </ButtonLink>
        </Space>
      </Space>
      {sp.get("left") && (
        <Alert
          type="success"
          showIcon
          role="status"
          title="该志愿者已退出，个人信息已删除，服务时长仍计入统计"
          style={{ marginBottom: 16 }}
        />
      )}
      {sp.get("imported") && (
        <Alert
          type="success"
          showIcon
          role="status"
          title={`已导入 ${sp.get("imported")} 名志愿者`}
          style={{ marginBottom: 16 }}
        />
      )}
      {actionData?.ok && (
        <Alert type="success" showIcon role="status" title={actionData.done} style={{ marginBottom: 16 }} />
      )}
      <FormAlert failure={failure} />
      <Card
        size="small"
        title={
          <Space>
            服务队信息
            {team ? (
              <Tag color={STVS_STATUS_COLORS[team.status]}>{STVS_STATUS_LABELS[team.status]}</Tag>
            ) : (
              <Tag color="red">尚未填写</Tag>
            )}
          </Space>
        }
        style={{ marginBottom: 16 }}
      >
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
              error={teamErrors.name}
              required
              extra={registered ? <LockedByChange what="名称" /> : `如：${base.unitName}${TEAM_SUFFIX}`}
            >
              <Input
                id="name"
                name="name"
                defaultValue={tv("name", team?.name ?? `${base.unitName}${TEAM_SUFFIX}`)}
                readOnly={registered}
                aria-invalid={!!teamErrors.name}
              />
            </Field>
            <Field label="注册状态" htmlFor="stvsStatus" error={teamErrors.stvsStatus} required>
              <SelectInput
                id="stvsStatus"
                name="stvsStatus"
                options={STVS_STATUSES.map((s) => ({ value: s, label: STVS_STATUS_LABELS[s] }))}
                defaultValue={tv("stvsStatus", team?.status ?? "unregistered")}
                invalid={!!teamErrors.stvsStatus}
                style={{ maxWidth: 200, width: "100%" }}
              />
            </Field>
            <Field
              label="组织编号"
              htmlFor="stvsOrgNo"
              error={teamErrors.stvsOrgNo}
              extra={registered ? <LockedByChange what="组织编号" /> : "“科技志愿服务”平台的组织编号"}
            >
              <Input
                id="stvsOrgNo"
                name="stvsOrgNo"
                defaultValue={tv("stvsOrgNo", team?.stvsOrgNo ?? "")}
                readOnly={registered}
                aria-invalid={!!teamErrors.stvsOrgNo}
                style={{ maxWidth: 300 }}
              />
            </Field>
            <Field label="注册日期" htmlFor="registeredOn" error={teamErrors.registeredOn}>
              <Input
                id="registeredOn"
                name="registeredOn"
                type="date"
                defaultValue={tv("registeredOn", team?.registeredOn ?? "")}
                aria-invalid={!!teamErrors.registeredOn}
                style={{ maxWidth: 200 }}
              />
            </Field>
            <Field label="归口管理单位类型" htmlFor="supervisorType">
              <Input id="supervisorType" value={SUPERVISOR_TYPE} readOnly style={{ maxWidth: 200 }} />
            </Field>
            <Field label="队长（负责人）" htmlFor="leaderName" error={teamErrors.leaderName} required>
              <Input
                id="leaderName"
                name="leaderName"
                defaultValue={tv("leaderName", team?.leaderName ?? "")}
                style={{ maxWidth: 300 }}
              />
            </Field>
            <Field label="负责人电话" htmlFor="leaderPhone" error={teamErrors.leaderPhone} required>
              <Input
                id="leaderPhone"
                name="leaderPhone"
                inputMode="tel"
                defaultValue={tv("leaderPhone", team?.leaderPhone ?? "")}
                style={{ maxWidth: 300 }}
              />
            </Field>
            <Field label="联系人" htmlFor="contactName" error={teamErrors.contactName}>
              <Input
                id="contactName"
                name="contactName"
                defaultValue={tv("contactName", team?.contactName ?? "")}
                style={{ maxWidth: 300 }}
              />
            </Field>
            <Field label="联系人电话" htmlFor="contactPhone" error={teamErrors.contactPhone}>
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
      <Card size="small" title="登记服务时长" style={{ marginBottom: 16 }}>
        {activities.length === 0 ? (
          <Empty description="本基地还没有已开始的活动。服务时长登记在本基地的活动上。" />
        ) : (
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={activities}
            columns={[
              { title: "活动名称", dataIndex: "name" },
              {
                title: "开始时间",
                dataIndex: "startsAt",
                render: (s: string) => new Date(s).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai" }),
              },
              { title: "已登记", dataIndex: "services", render: (n: number) => `${n} 条` },
              {
                title: "操作",
                key: "op",
                render: (_: unknown, a) => (
                  <Link to={`/my-base/volunteers/activities/${a.id}`}>登记时长</Link>
                ),
              },
            ]}
          />
        )}
      </Card>
      <Card
        size="small"
        title={`志愿者名册（在队 ${counts.active} 人${counts.left ? `，已退出 ${counts.left} 人` : ""}）`}
        style={{ marginBottom: 16 }}
      >
        <Form method="get" style={{ marginBottom: 12 }}>
          <Space wrap>
            <label htmlFor="roster-q">查找</label>
            <Input
              id="roster-q"
              name="q"
              defaultValue={loaderData.q}
              placeholder="姓名、编号或手机号"
              style={{ width: 220 }}
            />
            <input type="hidden" name="status" value={loaderData.status} />
            <Button htmlType="submit">查询</Button>
            <Link to={left ? "?status=active" : "?status=left"}>
              {left ? "查看在队志愿者" : "查看已退出志愿者"}
            </Link>
          </Space>
        </Form>
        <Table
          rowKey="id"
          size="small"
          dataSource={roster.rows}
          pagination={pagination}
          scroll={{ x: 800 }}
          locale={{ emptyText: left ? "没有已退出的志愿者" : "名册中还没有志愿者" }}
          columns={[
            {
              title: "姓名",
              dataIndex: "name",
              render: (n: string, v) => <Link to={`/my-base/volunteers/${v.id}`}>{n}</Link>,
            },
            { title: "手机号", dataIndex: "phone" },
            { title: "志愿者编号", dataIndex: "stvsNo" },
            { title: "专业特长", dataIndex: "specialty" },
            { title: "加入日期", dataIndex: "joinedOn" },
          ]}
        />
      </Card>
      {!base.revoked && (
        <Card size="small" title="添加志愿者" style={{ marginBottom: 16 }}>
          <Typography.Paragraph type="secondary">
            不收集身份证号码，只登记与“科技志愿服务”平台核对所需的信息。
          </Typography.Paragraph>
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="add" />
            <FieldLayout>
              <Space wrap align="start">
                <Field label="姓名" htmlFor="v-name" error={addErrors.name} required>
                  <Input id="v-name" name="name" defaultValue={av("name")} style={{ width: 160 }} />
                </Field>
                <Field label="手机号" htmlFor="v-phone" error={addErrors.phone} required>
                  <Input
                    id="v-phone"
                    name="phone"
                    inputMode="tel"
                    defaultValue={av("phone")}
                    style={{ width: 180 }}
                  />
                </Field>
                <Field label="志愿者编号" htmlFor="v-stvsNo" error={addErrors.stvsNo}>
                  <Input id="v-stvsNo" name="stvsNo" defaultValue={av("stvsNo")} style={{ width: 200 }} />
                </Field>
                <Field label="专业特长" htmlFor="v-specialty" error={addErrors.specialty}>
                  <Input
                    id="v-specialty"
                    name="specialty"
                    defaultValue={av("specialty")}
                    style={{ width: 200 }}
                  />
                </Field>
                <Field label="加入日期" htmlFor="v-joinedOn" error={addErrors.joinedOn}>
                  <Input
                    id="v-joinedOn"
                    name="joinedOn"
                    type="date"
                    defaultValue={av("joinedOn")}
                    style={{ width: 170 }}
                  />
                </Field>
              </Space>
              <Button htmlType="submit" loading={busy}>
                添加
              </Button>
            </FieldLayout>
          </Form>
        </Card>
      )}
      <Typography.Paragraph type="secondary">
        累计服务时长以“已确认”的记录计，单位为小时（如 {hoursText(90)} 小时）。
      </Typography.Paragraph>
    </>
  );
}
