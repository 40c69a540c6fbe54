import { Alert, Button, Card, Descriptions, Empty, Input, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { Form, Link, useNavigation, useSearchParams } from "react-router";
import { INTRO_MAX, OPENING_FORMS } from "#src/modules/applications/applications.rules.ts";
import { BASE_STATUS_COLORS, CHANGE_STATUS_COLORS } from "#src/modules/bases/bases.rules.ts";
import { profileSchema } from "#src/modules/bases/bases.schema.ts";
import { getOwnBase, updateBaseProfile } from "#src/modules/bases/bases.server.ts";
import {
  baseView,
  type ChangeReportView,
  changeReportView,
  slotView,
} from "#src/modules/bases/bases.view.server.ts";
import { listOwnWarnings } from "#src/modules/dynamic-management/dynamic-management.server.ts";
import { warningView } from "#src/modules/dynamic-management/dynamic-management.view.server.ts";
import { listFiles } from "#src/modules/files/files.server.ts";
import { listRegions } from "#src/modules/regions/regions.server.ts";
import { batchLabel } from "#src/platform/numbering.rules.ts";
import { AttachmentUpload } from "~/components/attachment-upload";
import { FormAlert } from "~/components/form-alert";
import { Field, FieldLayout } from "~/components/form-field";
import { ButtonLink, PageTitle, SectionTitle } from "~/components/plain";
import { SelectInput } from "~/components/select-input";
import { actorOf, failWith, invalid, orFail, parseForm, readForm, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/my-base";

export const meta: Route.MetaFunction = () => [{ title: "我的基地 - 科普基地服务平台" }];

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "bases:own");
  const actor = actorOf(context);
  const own = await orFail(getOwnBase(context.app, actor));
  if (!own) return { base: null, reports: [], photos: null, warnings: [] };
  const now = context.app.clock.now().toISOString();
  const names = new Map((await listRegions(context.app)).map((r) => [r.code, r.name]));
  const files = await listFiles(context.app, actor, "base", own.base.id);
  return {
    base: baseView(own.base, names),
    reports: own.reports.map(changeReportView),
    photos: slotView("base_photos", files),
    warnings: (await listOwnWarnings(context.app, actor)).map((w) => warningView(w, now)),
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  await requireUser(context, request, "bases:own");
  const fd = await readForm(request);
  const parsed = parseForm(profileSchema, fd);
  if (!parsed.ok) return invalid({ ...parsed.failure, message: "基地信息有填写不正确的内容，请按提示修改" });
  try {
    await updateBaseProfile(context.app, actorOf(context), parsed.data);
    return { ok: true as const };
  } catch (e) {
    return failWith(e, fd);
  }
}

export default function MyBase({ loaderData, actionData }: Route.ComponentProps) {
  const [sp] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const { base, reports, photos, warnings } = loaderData;
  const failure = actionData && !actionData.ok ? actionData : undefined;
  const errors = failure?.fieldErrors ?? {};
  const value = (k: string, fallback: string) => failure?.values[k] ?? fallback;
  const [introLength, setIntroLength] = useState(base ? [...value("intro", base.intro)].length : 0);
  if (!base || !photos) {
    return (
      <>
        <PageTitle>我的基地</PageTitle>
        <Empty
          description={
            <>
              贵单位账号尚未关联已认定的科普教育基地。
              <br />
              已认定基地的单位，请先在 <Link to="/verification">单位认证</Link>{" "}
              上传证照由县（市、区）科协审核，或输入县（市、区）科协开具的认领码。
              <br />
              如需创建，请进入 <Link to="/projects/calls">项目申报</Link> 查看正在进行的申报项目。
            </>
          }
        />
      </>
    );
  }
  const revoked = base.status === "revoked";
  return (
    <>
      <Space style={{ width: "100%", justifyContent: "space-between" }} wrap>
        <PageTitle style={{ margin: 0 }}>我的基地</PageTitle>
        <Space wrap>
          <ButtonLink to={`/bases/${base.id}/activities`} type="primary">
            活动列表
          </ButtonLink>
          <ButtonLink to="/my-base/volunteers">科技志愿服务队</ButtonLink>
          <ButtonLink to="/my-base/school-items">双减课程与服务</ButtonLink>
          {!revoked && <ButtonLink to="/my-base/changes/new">变更申报</ButtonLink>}
        </Space>
      </Space>
      <div style={{ margin: "12px 0" }}>
        <SectionTitle style={{ display: "inline", marginRight: 8 }}>{base.name}</SectionTitle>
        <Tag color={BASE_STATUS_COLORS[base.status]}>{base.statusLabel}</Tag>
        {base.recommendedLabel && <Tag color="gold">已推荐{base.recommendedLabel}</Tag>}
      </div>
      {sp.get("filed") && (
        <Alert
          type="success"
          showIcon
          role="status"
          title="变更申报已提交，请等待市基地认定办公室审核"
          style={{ marginBottom: 16 }}
        />
      )}
      {actionData?.ok && (
        <Alert type="success" showIcon role="status" title="基地信息已保存" style={{ marginBottom: 16 }} />
      )}
      <FormAlert failure={failure} />
      {base.status === "warning" && (
        <Alert
          type="warning"
          showIcon
          title="基地处于警示状态"
          description={base.warningNote}
          style={{ marginBottom: 16 }}
        />
      )}
      {warnings.length > 0 && (
        <Card size="small" title="警示与整改" style={{ marginBottom: 16 }}>
          <ul style={{ margin: 0, paddingLeft: 20 }}>
            {warnings.map((w) => (
              <li key={w.id}>
                <Link to={`/my-base/rectification/${w.id}`}>
                  {w.statusLabel}
                  {w.deadline ? `（整改期限 ${w.deadline}）` : ""}
                </Link>
                {w.overdue && (
                  <Tag color="red" style={{ marginLeft: 8 }}>
                    已逾期
                  </Tag>
                )}
                <span className="kepu-muted" style={{ marginLeft: 8 }}>
                  {w.reason}
                </span>
              </li>
            ))}
          </ul>
        </Card>
      )}
      {revoked && (
        <Alert
          type="error"
          showIcon
          title={`基地命名已于 ${base.revokedAt} 撤销`}
          description={`撤销理由：${base.revocationReasonLabel}${base.revocationNote ? `。说明：${base.revocationNote}` : ""}`}
          style={{ marginBottom: 16 }}
        />
      )}
      <Card size="small" title="认定信息" style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={{ xs: 1, md: 2 }}>
          <Descriptions.Item label="基地名称">{base.name}</Descriptions.Item>
          <Descriptions.Item label="单位名称">{base.unitName}</Descriptions.Item>
          <Descriptions.Item label="统一社会信用代码">{base.uscc}</Descriptions.Item>
          <Descriptions.Item label="所在区域">{base.county}</Descriptions.Item>
          <Descriptions.Item label="类别">{base.category}</Descriptions.Item>
          <Descriptions.Item label="批次 / 认定年份">
            {batchLabel(base.batchNo)} {base.recognizedYear}年
          </Descriptions.Item>
          <Descriptions.Item label="证书编号">{base.certificateNo}</Descriptions.Item>
          <Descriptions.Item label="负责人">
            {base.leaderName} {base.leaderPhone}
          </Descriptions.Item>
          <Descriptions.Item label="联系人">
            {base.contactName} {base.contactPhone}
          </Descriptions.Item>
        </Descriptions>
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
          基地名称、单位名称、类别、所在区域及负责人、联系人如有变化，请通过“变更申报”提交，经市基地认定办公室审核同意后更新。
        </Typography.Paragraph>
      </Card>
      <Card size="small" title="对外公开信息" style={{ marginBottom: 16 }}>
        <Form method="post" noValidate>
          <input type="hidden" name="version" value={base.version} />
          <FieldLayout>
            <Field
              label="科普教育基地简介"
              htmlFor="intro"
              error={errors.intro}
              extra={`${introLength} / ${INTRO_MAX} 字`}
            >
              <Input.TextArea
                id="intro"
                name="intro"
                rows={6}
                defaultValue={value("intro", base.intro)}
                onChange={(e) => setIntroLength([...e.target.value].length)}
                aria-invalid={!!errors.intro}
                disabled={revoked}
              />
            </Field>
            <Field label="开放形式" htmlFor="openingForm" error={errors.openingForm} required>
              <SelectInput
                id="openingForm"
                name="openingForm"
                options={OPENING_FORMS.map((o) => ({ value: o, label: o }))}
                defaultValue={value("openingForm", base.openingForm)}
                invalid={!!errors.openingForm}
              />
            </Field>
            <Field
              label="开放时间"
              htmlFor="openingHours"
              error={errors.openingHours}
              extra="如：周二至周日 9:00—17:00，周一闭馆"
            >
              <Input
                id="openingHours"
                name="openingHours"
                defaultValue={value("openingHours", base.openingHours)}
                disabled={revoked}
              />
            </Field>
            <Field label="年开放天数" htmlFor="openDays" error={errors.openDays}>
              <Input
                id="openDays"
                name="openDays"
                inputMode="numeric"
                defaultValue={value("openDays", base.openDays)}
                aria-invalid={!!errors.openDays}
                style={{ maxWidth: 160 }}
                disabled={revoked}
              />
            </Field>
            <Field label="预约参观电话" htmlFor="bookingPhone" error={errors.bookingPhone} required>
              <Input
                id="bookingPhone"
                name="bookingPhone"
                inputMode="tel"
                defaultValue={value("bookingPhone", base.bookingPhone)}
                aria-invalid={!!errors.bookingPhone}
                style={{ maxWidth: 260 }}
                disabled={revoked}
              />
            </Field>
            <Field label="通信地址" htmlFor="address" error={errors.address} required>
              <Input
                id="address"
                name="address"
                defaultValue={value("address", base.address)}
                aria-invalid={!!errors.address}
                disabled={revoked}
              />
            </Field>
            {!revoked && (
              <Button type="primary" htmlType="submit" loading={busy}>
                保存
              </Button>
            )}
          </FieldLayout>
        </Form>
      </Card>
      <Card
        size="small"
        title={`${photos.label}（最多 ${photos.max} 张，公开展示）`}
        style={{ marginBottom: 16 }}
      >
        <AttachmentUpload
          id="file_base_photos"
          action={`/files/base/${base.id}/base_photos`}
          accept={photos.accept}
          max={photos.max}
          image
          files={photos.files}
          disabled={revoked}
        />
      </Card>
      <Card size="small" title="变更申报记录">
        <ChangeReportTable rows={reports} />
      </Card>
    </>
  );
}

function ChangeReportTable({ rows }: { rows: ChangeReportView[] }) {
  return (
    <Table
      rowKey="id"
      size="small"
      dataSource={rows}
      pagination={false}
      scroll={{ x: 700 }}
      locale={{ emptyText: "暂无变更申报" }}
      columns={[
        { title: "变更类型", dataIndex: "kindLabel" },
        { title: "变更发生日期", dataIndex: "happenedOn" },
        { title: "提交时间", dataIndex: "filedAt" },
        {
          title: "状态",
          dataIndex: "status",
          render: (s: ChangeReportView["status"], r) => (
            <Space size={4}>
              <Tag color={CHANGE_STATUS_COLORS[s]}>{r.statusLabel}</Tag>
              {r.late && <Tag color="red">超过三个月报告</Tag>}
            </Space>
          ),
        },
        {
          title: "变更内容",
          dataIndex: "changes",
          render: (c: ChangeReportView["changes"]) => c.map((x) => `${x.label}：${x.after}`).join("；"),
        },
        { title: "审核意见", dataIndex: "reply" },
      ]}
    />
  );
}
