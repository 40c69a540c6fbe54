import { Alert, Card, Col, Descriptions, Row } from "antd";
import { Link, useSearchParams } from "react-router";
import { can, type Permission, ROLE_LABELS } from "#src/modules/accounts/accounts.policy.ts";
import { listOpenCampaigns } from "#src/modules/activities/activities.server.ts";
import { regionName } from "#src/modules/regions/regions.server.ts";
import { HOW_TO_VERIFY, VERIFICATION_STATUS_LABELS } from "#src/modules/verification/verification.rules.ts";
import { getMyVerification } from "#src/modules/verification/verification.server.ts";
import type { Role } from "#src/platform/db/schema.ts";
import { PageTitle } from "~/components/plain";
import { requireUser } from "~/lib/route.server";
import type { Route } from "./+types/workbench";

export const meta: Route.MetaFunction = () => [{ title: "我的工作台 - 科普基地服务平台" }];

interface Tile {
  to: string;
  title: string;
  text: string;
  permission?: Permission;
  roles?: Role[];
}

/** What each role can open from its workbench; only pages that exist are listed. */
const TILES: Tile[] = [
  { to: "/projects/calls", title: "项目申报", text: "查看科普教育基地项目认定等申报项目", roles: ["org"] },
  { to: "/applications", title: "我的申报", text: "继续填写草稿、查看审核进度和意见", roles: ["org"] },
  {
    to: "/verification",
    title: "单位认证",
    text: "上传营业执照和授权委托书，或输入认领码，认证后才能提交申报、管理基地",
    roles: ["org"],
  },
  {
    to: "/admin/verifications",
    title: "单位认证审核",
    text: "核对申报单位的证照和授权委托书，通过或退回；为已认定基地开具认领码",
    permission: "orgs:verify",
  },
  {
    to: "/review",
    title: "申报审核",
    text: "推荐、评审、实地抽查与确认；按项目、区域、类别筛选",
    permission: "applications:review",
  },
  { to: "/my-base", title: "我的基地", text: "维护基地开放信息与照片，申报更名、改制等变更", roles: ["org"] },
  {
    to: "/verification",
    title: "单位认证",
    text: "上传事业单位法人证书和授权委托书，经县（市、区）科协认证后即可点单",
    roles: ["school"],
  },
  {
    to: "/special/schools",
    title: "科普助力双减",
    text: "浏览基地的送课进校园、研学参观和线上课程并点单",
    roles: ["school"],
  },
  {
    to: "/school-orders",
    title: "我的点单",
    text: "查看基地答复，确认改期、开展情况并评价",
    roles: ["school"],
  },
  {
    to: "/my-base/school-items",
    title: "双减课程与服务",
    text: "发布面向中小学校的课程与服务，接单、建议改期，回复学校评价",
    roles: ["org"],
  },
  {
    to: "/admin/school-stats",
    title: "双减统计",
    text: "按县、基地、学校统计点单、接单率、答复时长、服务学生和满意度",
    permission: "school-stats:read",
  },
  {
    to: "/admin/school-items",
    title: "双减项目审核",
    text: "审核基地发布的课程与服务",
    permission: "school-items:review",
  },
  {
    to: "/admin/school-orders",
    title: "双减派单",
    text: "基地3个工作日未答复的学校点单：改派或关闭",
    permission: "school-orders:dispatch",
  },
  {
    to: "/admin/bases",
    title: "基地管理",
    text: "按状态、区域、类别查询已认定基地，导出 Excel",
    permission: "bases:read",
  },
  {
    to: "/admin/changes",
    title: "变更审核",
    text: "审核基地更名、改制、分立、合并等变更申报",
    permission: "bases:manage",
  },
  {
    to: "/admin/bases/import",
    title: "基地导入",
    text: "从 Excel 导入往批次已认定基地",
    permission: "bases:import",
  },
  {
    to: "/my-base",
    title: "基地活动",
    text: "在【我的基地】页进入活动列表，发布活动预告，活动结束后上传活动小结",
    roles: ["org"],
  },
  {
    to: "/admin/campaigns",
    title: "动员活动",
    text: "发布全国科普日、科技活动周等年度动员",
    permission: "campaigns:manage",
  },
  {
    to: "/admin/activity-reports",
    title: "活动小结审核",
    text: "审核基地上传的活动小结，通过或退回",
    permission: "activities:review",
  },
  {
    to: "/admin/activity-stats",
    title: "活动统计",
    text: "按区域、基地、类型、主题和月份统计活动，导出 Excel",
    permission: "activities:stats",
  },
  {
    to: "/my-base/volunteers",
    title: "科技志愿服务队",
    text: "登记服务队注册情况，维护志愿者名册，登记并确认服务时长，打印志愿服务证明",
    roles: ["org"],
  },
  {
    to: "/admin/volunteers",
    title: "科技志愿服务统计",
    text: "各县（市、区）服务队注册情况、志愿者人数与服务时长，导出服务时长",
    permission: "volunteers:read",
  },
  {
    to: "/my-base/evaluation",
    title: "年度评价",
    text: "查看平台自动统计的年度指标和依据，填写自评并上传佐证材料，查看历年评价等次",
    roles: ["org"],
  },
  {
    to: "/admin/evaluation",
    title: "绩效评价",
    text: "年度评价轮次、评价指标、县级初审、评分结果与公示、补助导出、各县等次分布",
    permission: "evaluation:read",
  },
  {
    to: "/admin/warnings",
    title: "动态管理",
    text: "基地警示、限期整改、整改报告复查与逾期提醒，导出警示记录",
    permission: "warnings:read",
  },
  {
    to: "/scoring",
    title: "评价评分",
    text: "为分配给您的基地的人工指标打分",
    roles: ["evaluator"],
  },
  {
    to: "/my-articles",
    title: "我的文章",
    text: "撰写新闻动态、经验交流、理论研讨和基地联合会文章，提交科协审核后发布",
    permission: "articles:write",
  },
  {
    to: "/admin/articles",
    title: "文章审核",
    text: "审核本辖区基地和科协提交的文章，通过发布或退回修改",
    permission: "articles:review",
  },
  { to: "/notifications", title: "消息", text: "申报状态变化与待办提醒" },
  {
    to: "/projects/calls",
    title: "申报项目",
    text: "查看各批次申报项目及其状态",
    roles: ["county", "city", "office", "evaluator", "admin"],
  },
  {
    to: "/admin/calls",
    title: "申报项目管理",
    text: "新建、编辑申报项目，上传通知附件（附件1–4）",
    permission: "calls:manage",
  },
  {
    to: "/admin/users",
    title: "用户管理",
    text: "创建、停用、启用账号，重置密码",
    permission: "users:manage",
  },
  {
    to: "/admin/users",
    title: "账号查询",
    text: "查看本辖区的申报单位与工作人员账号",
    roles: ["county", "city", "office"],
  },
  {
    to: "/admin/holidays",
    title: "节假日设置",
    text: "录入系统尚无数据年份的放假与调休安排，用于计算公示期",
    permission: "holidays:manage",
  },
  {
    to: "/admin/audit",
    title: "审计日志",
    text: "按操作人、操作类型和时间查询登录与操作记录",
    permission: "audit:read",
  },
  {
    to: "/admin/security",
    title: "安全设置",
    text: "设置哪些角色登录时必须使用双因素认证",
    permission: "settings:manage",
  },
  {
    to: "/admin/outbox",
    title: "消息发送记录",
    text: "查看发送失败和等待发送的短信、邮件，重新发送",
    permission: "outbox:manage",
  },
  {
    to: "/admin/api-tokens",
    title: "API令牌",
    text: "为外部系统签发和吊销开放接口令牌",
    permission: "api-tokens:manage",
  },
  {
    to: "/admin/notices",
    title: "公示管理",
    text: "发布拟认定名单公示，核实异议，公示期满后认定命名",
    permission: "notices:manage",
  },
  { to: "/notices", title: "公示栏", text: "拟认定名单公示与认定公告" },
  { to: "/bases", title: "科普基地", text: "科普教育基地名录" },
  { to: "/activities", title: "基地活动", text: "各基地的活动预告与往期活动" },
  { to: "/account/profile", title: "账号信息", text: "手机号、电子邮箱和提醒设置" },
  { to: "/account/password", title: "修改密码", text: "定期修改密码，保障账号安全" },
];

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = await requireUser(context, request);
  const tiles = TILES.filter(
    (t) => (!t.permission || can(user, t.permission)) && (!t.roles || t.roles.includes(user.role)),
  );
  const verification =
    user.role === "org" || user.role === "school"
      ? await getMyVerification(context.app, { user, ip: context.ip })
      : null;
  return {
    verification: verification && {
      status: verification.status,
      label: VERIFICATION_STATUS_LABELS[verification.status],
      reason: verification.reason,
    },
    user: { displayName: user.displayName, login: user.login, role: ROLE_LABELS[user.role] },
    region: await regionName(context.app, user.regionCode),
    tiles: tiles.map(({ to, title, text }) => ({ to, title, text })),
    // Bases answer the year's mobilizations with activities.
    campaigns:
      user.role === "org"
        ? (await listOpenCampaigns(context.app)).map((c) => ({
            id: c.id,
            title: c.title,
            dates: `${c.starts_on} 至 ${c.ends_on}`,
            expectations: c.expectations,
          }))
        : [],
  };
}

export default function Workbench({ loaderData }: Route.ComponentProps) {
  const [params] = useSearchParams();
  const { user, region, tiles, campaigns, verification } = loaderData;
  return (
    <>
      <PageTitle>我的工作台</PageTitle>
      {params.get("passwordChanged") && (
        <Alert type="success" showIcon title="密码已修改" style={{ marginBottom: 16 }} />
      )}
      <Descriptions size="small" bordered column={{ xs: 1, sm: 3 }} style={{ marginBottom: 16 }}>
        <Descriptions.Item label="名称">{user.displayName}</Descriptions.Item>
        <Descriptions.Item label="角色">{user.role}</Descriptions.Item>
        <Descriptions.Item label="所属区域">{region}</Descriptions.Item>
      </Descriptions>
      {verification && verification.status !== "verified" && (
        <Alert
          type={
            verification.status === "returned"
              ? "error"
              : verification.status === "pending"
                ? "info"
                : "warning"
          }
          showIcon
          style={{ marginBottom: 16 }}
          title={
            <>
              单位认证：{verification.label}
              {verification.reason ? `（退回理由：${verification.reason}）` : ""}
            </>
          }
          description={
            verification.status === "pending" ? (
              "认证材料已提交，等待所在县（市、区）科协审核。"
            ) : (
              <>
                {HOW_TO_VERIFY} <Link to="/verification">去认证</Link>
              </>
            )
          }
        />
      )}
      {campaigns.length > 0 && (
        <Card size="small" title="进行中的动员活动" style={{ marginBottom: 16 }}>
          {campaigns.map((c) => (
            <div key={c.id} style={{ marginBottom: 8 }}>
              <strong>{c.title}</strong>（{c.dates}）{c.expectations && `：${c.expectations}`}
              <div style={{ fontSize: 13 }}>
                请在 <Link to="/my-base">我的基地</Link> → 活动列表 中发布活动，并勾选参加的动员活动。
              </div>
            </div>
          ))}
        </Card>
      )}
      <Row gutter={[16, 16]}>
        {tiles.map((t) => (
          <Col xs={24} sm={12} lg={8} key={`${t.to}${t.title}`}>
            <Link to={t.to}>
              <Card hoverable title={t.title} style={{ height: "100%" }}>
                {t.text}
              </Card>
            </Link>
          </Col>
        ))}
      </Row>
    </>
  );
}
