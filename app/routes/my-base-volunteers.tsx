import { Alert } from "antd";
import {
  hoursText,
  STVS_STATUS_COLORS,
  STVS_STATUS_LABELS,
  SUPERVISOR_TYPE,
  TEAM_SUFFIX,
} from "#src/modules/volunteers/volunteers.rules.ts";
import { getRosterPage } from "#src/modules/volunteers/volunteers.server.ts";
import { formatShanghai } from "#src/platform/clock.ts";
import { pageParam } from "#src/platform/paging.rules.ts";
import { cleanLine } from "#src/platform/text.rules.ts";
import { FilterBar, FilterInput } from "~/components/filter-bar";
import {
  ButtonLink,
  PagerLinks,
  PageTitle,
  PlainCard,
  PlainDescriptions,
  PlainLink,
  PlainTable,
  PlainTag,
  PlainText,
  type TagColor,
} from "~/components/plain";
import { toMyBaseWhenMissing } from "~/lib/own-base.server";
import { actorOf, orFail, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/my-base-volunteers";

export const meta: Route.MetaFunction = () => [{ title: "科技志愿服务队 - 科普基地服务平台" }];

const PAGE_SIZE = 20;

/**
 * The team's roster page: display only, in plain markup (ADR 0012), since a base with a large team
 * pages through it often. The team's form is /my-base/volunteers/team, adding one is .../new.
 */
export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "bases:own");
  const actor = actorOf(context);
  const sp = new URL(request.url).searchParams;
  const page = pageParam(sp.get("page"));
  const status = sp.get("status") === "left" ? ("left" as const) : ("active" as const);
  const q = cleanLine(sp.get("q") ?? "").slice(0, 50);
  const { base, team, counts, proofs, roster, activities } = await orFail(
    getRosterPage(context.app, actor, { status, q, offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE }).catch(
      toMyBaseWhenMissing,
    ),
  );
  const imported = Number(sp.get("imported"));
  return {
    revoked: base.status === "revoked",
    unitName: base.unit_name,
    team: team && {
      name: team.name,
      status: team.stvs_status,
      stvsOrgNo: team.stvs_org_no,
      registeredOn: team.registered_on ?? "",
      leader: [team.leader_name, team.leader_phone].filter(Boolean).join("，"),
      contact: [team.contact_name, team.contact_phone].filter(Boolean).join("，"),
      proofs,
    },
    counts,
    page,
    status,
    q,
    flash: sp.get("left")
      ? "该志愿者已退出，个人信息已删除，服务时长仍计入统计"
      : Number.isInteger(imported) && imported > 0
        ? `已导入 ${imported} 名志愿者`
        : null,
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
      startsAt: formatShanghai(a.starts_at).slice(0, 16),
      services: Number(a.services ?? 0),
    })),
  };
}

type Data = Route.ComponentProps["loaderData"];
type Row = Data["roster"]["rows"][number];
type ActivityRow = Data["activities"][number];

const ROSTER_COLUMNS = [
  {
    title: "姓名",
    key: "name",
    render: (v: Row) => <PlainLink to={`/my-base/volunteers/${v.id}`}>{v.name}</PlainLink>,
  },
  { title: "手机号", key: "phone", render: (v: Row) => v.phone },
  { title: "志愿者编号", key: "stvsNo", render: (v: Row) => v.stvsNo },
  { title: "专业特长", key: "specialty", render: (v: Row) => v.specialty },
  { title: "加入日期", key: "joinedOn", render: (v: Row) => v.joinedOn },
];

const ACTIVITY_COLUMNS = [
  { title: "活动名称", key: "name", render: (a: ActivityRow) => a.name },
  { title: "开始时间", key: "startsAt", render: (a: ActivityRow) => a.startsAt },
  { title: "已登记", key: "services", render: (a: ActivityRow) => `${a.services} 条` },
  {
    title: "操作",
    key: "op",
    render: (a: ActivityRow) => (
      <PlainLink to={`/my-base/volunteers/activities/${a.id}`} aria-label={`登记时长：${a.name}`}>
        登记时长
      </PlainLink>
    ),
  },
];

function TeamCard({ team, unitName }: { team: Data["team"]; unitName: string }) {
  if (!team)
    return (
      <PlainCard
        title={
          <>
            服务队信息 <PlainTag color="red">尚未填写</PlainTag>
          </>
        }
        style={{ marginBottom: 16 }}
      >
        <PlainText block secondary style={{ marginBottom: 12 }}>
          还没有填写服务队信息。请在“科技志愿服务”平台（stvs.org.cn）注册科技志愿服务组织，组织名称为“
          {unitName}
          {TEAM_SUFFIX}”，注册后填写组织编号并上传注册成功截图。
        </PlainText>
        <ButtonLink to="/my-base/volunteers/team" type="primary">
          填写服务队信息
        </ButtonLink>
      </PlainCard>
    );
  return (
    <PlainCard title="服务队信息" style={{ marginBottom: 16 }}>
      <PlainDescriptions
        items={[
          {
            key: "name",
            label: "服务队名称",
            children: (
              <>
                {team.name}{" "}
                <PlainTag color={STVS_STATUS_COLORS[team.status] as TagColor}>
                  {STVS_STATUS_LABELS[team.status]}
                </PlainTag>
              </>
            ),
          },
          { key: "no", label: "组织编号", children: team.stvsOrgNo || "未填写" },
          { key: "on", label: "注册日期", children: team.registeredOn || "未填写" },
          { key: "type", label: "归口管理单位类型", children: SUPERVISOR_TYPE },
          { key: "leader", label: "队长（负责人）", children: team.leader || "未填写" },
          { key: "contact", label: "联系人", children: team.contact || "未填写" },
          {
            key: "proof",
            label: "注册成功截图",
            children: team.proofs ? (
              `已上传 ${team.proofs} 个`
            ) : (
              <>
                未上传（<PlainLink to="/my-base/volunteers/team">上传</PlainLink>）
              </>
            ),
          },
        ]}
      />
    </PlainCard>
  );
}

export default function MyBaseVolunteers({ loaderData }: Route.ComponentProps) {
  const { team, counts, roster, activities, revoked } = loaderData;
  const left = loaderData.status === "left";
  return (
    <>
      <PlainText>
        <PlainLink to="/my-base">我的基地</PlainLink> / 科技志愿服务队
      </PlainText>
      <PageTitle style={{ margin: "8px 0" }}>科技志愿服务队</PageTitle>
      <div className="kepu-toolbar">
        <ButtonLink to="/my-base/volunteers/team" type={team ? "default" : "primary"}>
          {team ? "编辑服务队信息" : "填写服务队信息"}
        </ButtonLink>
        {!revoked && <ButtonLink to="/my-base/volunteers/new">添加志愿者</ButtonLink>}
        <ButtonLink to="/my-base/volunteers/import">导入志愿者</ButtonLink>
        <ButtonLink to="/my-base/volunteers/roster.xlsx" reloadDocument>
          导出名册
        </ButtonLink>
        <ButtonLink to="/my-base/volunteers/hours.xlsx" reloadDocument>
          导出服务时长
        </ButtonLink>
      </div>
      {loaderData.flash && (
        <Alert type="success" showIcon role="status" title={loaderData.flash} style={{ marginBottom: 16 }} />
      )}
      <TeamCard team={team} unitName={loaderData.unitName} />
      <PlainCard title="登记服务时长" style={{ marginBottom: 16 }}>
        <PlainTable
          columns={ACTIVITY_COLUMNS}
          rows={activities}
          rowKey={(a) => a.id}
          emptyText="本基地还没有已开始的活动。服务时长登记在本基地的活动上。"
        />
      </PlainCard>
      <PlainCard
        title={`志愿者名册（在队 ${counts.active} 人${counts.left ? `，已退出 ${counts.left} 人` : ""}）`}
        style={{ marginBottom: 16 }}
      >
        <div className="kepu-toolbar" style={{ marginBottom: 12 }}>
          <FilterBar label="查找志愿者" style={{ marginBottom: 0 }}>
            <FilterInput
              id="roster-q"
              name="q"
              label="查找"
              placeholder="姓名、编号或手机号"
              defaultValue={loaderData.q}
              maxLength={50}
              width={220}
            />
            <input type="hidden" name="status" value={loaderData.status} />
          </FilterBar>
          <PlainLink to={left ? "?status=active" : "?status=left"}>
            {left ? "查看在队志愿者" : "查看已退出志愿者"}
          </PlainLink>
        </div>
        <PlainTable
          columns={ROSTER_COLUMNS}
          rows={roster.rows}
          rowKey={(v) => v.id}
          scrollX={800}
          emptyText={
            loaderData.q ? "没有找到符合条件的志愿者" : left ? "没有已退出的志愿者" : "名册中还没有志愿者"
          }
          footer={
            <PagerLinks page={loaderData.page} pageSize={PAGE_SIZE} total={roster.total} unit="人" inTable />
          }
        />
      </PlainCard>
      <PlainText block secondary>
        累计服务时长以“已确认”的记录计，单位为小时（如 {hoursText(90)} 小时）。
      </PlainText>
    </>
  );
}
