import { Alert, Empty, Space } from "antd";
import { Link, useSearchParams } from "react-router";
import { canEditBaseActivities, listBaseActivities } from "#src/modules/activities/activities.server.ts";
import { listItemOf } from "#src/modules/activities/activities.view.server.ts";
import { getPublicBase } from "#src/modules/bases/bases-directory.server.ts";
import { pageParam } from "#src/platform/paging.rules.ts";
import { ActivityList } from "~/components/activity-list";
import { ButtonLink, PageTitle } from "~/components/plain";
import { actorOf, orFail } from "~/lib/route.server";
import type { Route } from "./+types/base-activities";

export const meta: Route.MetaFunction = ({ data }) => [
  { title: `活动列表 - ${data?.base.name ?? "科普基地"} - 科普基地服务平台` },
];

/** 【活动列表】 of one base (附件3 二): its activities, 【新增基地活动】, and 【编辑】 for those who may. */
export async function loader({ params, request, context }: Route.LoaderArgs) {
  const result = await orFail(getPublicBase(context.app, params.id));
  const page = pageParam(new URL(request.url).searchParams.get("page"), 500);
  const list = await listBaseActivities(context.app, params.id, { page });
  const now = context.app.clock.now();
  const user = context.user;
  const editAll = user ? await canEditBaseActivities(context.app, actorOf(context), params.id) : false;
  return {
    base: { id: result.base.id, name: result.base.name, revoked: result.kind === "revoked" },
    page: list.page,
    hasMore: list.hasMore,
    items: list.items.map((a) => ({
      ...listItemOf(
        {
          id: a.id,
          name: a.name,
          type: a.type,
          form: a.form,
          fee: a.fee,
          direction: a.direction,
          startsAt: a.starts_at,
          endsAt: a.ends_at,
          place: a.place,
          reportStatus: a.report_status,
        },
        now,
      ),
      editable: editAll || (!!user && a.created_by === user.id),
    })),
  };
}

export default function BaseActivities({ loaderData }: Route.ComponentProps) {
  const { base, items, page, hasMore } = loaderData;
  const [sp] = useSearchParams();
  const editable = new Set(items.filter((i) => i.editable).map((i) => i.id));
  return (
    <>
      <PageTitle style={{ marginBottom: 4 }}>活动列表</PageTitle>
      <p style={{ margin: "0 0 16px" }}>
        <Link to={`/bases/${base.id}`}>{base.name}</Link>
      </p>
      {sp.get("added") && (
        <Alert type="success" showIcon role="status" title="活动预告已提交" style={{ marginBottom: 16 }} />
      )}
      {sp.get("reported") && (
        <Alert
          type="success"
          showIcon
          role="status"
          title="活动小结已提交，请等待市科协审核"
          style={{ marginBottom: 16 }}
        />
      )}
      <Space wrap style={{ marginBottom: 16 }}>
        {!base.revoked && (
          <ButtonLink to={`/bases/${base.id}/activities/new`} type="primary">
            新增基地活动
          </ButtonLink>
        )}
        <a href={`/bases/${base.id}/activities.ics`}>订阅本基地活动日历（ICS）</a>
      </Space>
      {items.length === 0 ? (
        <Empty description={page > 1 ? "此页没有更多活动" : "该基地还没有发布活动"} />
      ) : (
        <ActivityList
          label={`${base.name}的活动`}
          items={items}
          showReport
          action={(a) =>
            editable.has(a.id) ? (
              <ButtonLink to={`/activities/${a.id}/edit`} size="small" label={`编辑：${a.name}`}>
                编辑
              </ButtonLink>
            ) : null
          }
        />
      )}
      <Space>
        {page > 1 && <Link to={`?page=${page - 1}`}>上一页</Link>}
        {hasMore && <Link to={`?page=${page + 1}`}>下一页</Link>}
      </Space>
    </>
  );
}
