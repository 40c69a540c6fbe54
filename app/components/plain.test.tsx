import { Button, Card, ConfigProvider, Descriptions, Input, Statistic, Tag, Typography } from "antd";
import type { ReactNode } from "react";
import { renderToString } from "react-dom/server";
import { createRoutesStub } from "react-router";
import { describe, expect, it } from "vitest";
import { FilterInput } from "./filter-bar";
import {
  buttonClass,
  PagerLinks,
  PlainCard,
  PlainDescriptions,
  PlainInput,
  PlainStatistic,
  PlainTable,
  PlainText,
  pageWindow,
  type TagColor,
  tagClass,
} from "./plain";
import { StackedTable } from "./stacked-table";
import { THEME_CLASS, theme } from "./theme";

const antd = (node: ReactNode) => renderToString(<ConfigProvider theme={theme}>{node}</ConfigProvider>);

/** The class lists of the elements carrying `marker`, in document order, each as a sorted set. */
function classesWith(html: string, marker: string): string[][] {
  return [...html.matchAll(/class="([^"]*)"/g)]
    .map((m) => m[1].split(/\s+/).filter(Boolean))
    .filter((c) => c.includes(marker))
    .map((c) => [...new Set(c)].sort());
}
const sorted = (cls: string) => [...new Set(cls.split(/\s+/))].sort();

describe("plain components use antd's own class names", () => {
  it.each<TagColor>(["default", "blue", "green", "red", "orange", "cyan", "success"])("tag %s", (color) => {
    expect(sorted(tagClass(color))).toEqual(classesWith(antd(<Tag color={color}>x</Tag>), "ant-tag")[0]);
  });

  it("tag without a colour", () => {
    expect(sorted(tagClass())).toEqual(classesWith(antd(<Tag>x</Tag>), "ant-tag")[0]);
  });

  it.each([
    ["default", undefined],
    ["primary", undefined],
    ["link", undefined],
    ["default", "small"],
    ["primary", "large"],
    ["primary", undefined, true],
  ] as const)("button %s %s %s", (type, size, block?: boolean) => {
    expect(sorted(buttonClass(type, size, block))).toEqual(
      classesWith(
        antd(
          <Button type={type} size={size} block={block}>
            x
          </Button>,
        ),
        "ant-btn",
      )[0],
    );
  });

  it("table: wrapper, table, header cells, rows and cells", () => {
    const rows = [{ id: "a", name: "甲" }];
    const ours = renderToString(
      <PlainTable
        rows={rows}
        rowKey={(r) => r.id}
        emptyText="无"
        scrollX={900}
        columns={[{ key: "name", title: "名称", render: (r) => r.name }]}
      />,
    );
    // antd's Table as the lists use it: stacked into cards on a phone (StackedTable).
    const theirs = antd(
      <StackedTable
        rowKey="id"
        dataSource={rows}
        scroll={{ x: 900 }}
        pagination={false}
        columns={[{ title: "名称", dataIndex: "name" }]}
      />,
    );
    expect(ours).toContain('data-label="名称"');
    expect(theirs).toContain('data-label="名称"');
    for (const marker of ["ant-table-wrapper", "ant-table-thead", "ant-table-tbody", "ant-table-row"])
      expect(classesWith(ours, marker)[0], marker).toEqual(classesWith(theirs, marker)[0]);
    // The table element's classes, less antd's scroll-shadow markers (set by its measuring effects).
    const tableOf = (html: string) =>
      classesWith(html, "ant-table-container").length &&
      classesWith(html, "ant-table").filter((c) => !c.includes("ant-table-wrapper"))[0];
    expect(tableOf(ours)).toEqual(
      (tableOf(theirs) as string[]).filter((c) => !c.startsWith("ant-table-fix-")),
    );
    expect(ours).toContain('data-row-key="a"');
    expect(ours).toContain('<th class="ant-table-cell" scope="col">名称</th>');
  });

  it("empty table shows the placeholder row across all columns", () => {
    const html = renderToString(
      <PlainTable
        rows={[] as { id: string }[]}
        rowKey={(r) => r.id}
        emptyText="没有符合条件的申报"
        columns={[
          { key: "a", title: "A", render: () => "" },
          { key: "b", title: "B", render: () => "" },
        ]}
      />,
    );
    expect(html).toContain("ant-table-empty");
    expect(html).toMatch(
      /<tr class="ant-table-placeholder"><td class="ant-table-cell" colSpan="2">没有符合条件的申报/,
    );
  });

  it("descriptions: the same markup as antd's, one column", () => {
    const items = [
      { key: "a", label: "单位名称", children: "衢州市科技馆" },
      { key: "b", label: "地址", children: "—" },
    ];
    expect(renderToString(<PlainDescriptions items={items} />)).toEqual(
      antd(<Descriptions column={1} bordered size="small" items={items} />),
    );
  });

  it.each([0, 7, 1234, 1234567])("statistic %d", (value) => {
    expect(renderToString(<PlainStatistic title="待我处理" value={value} suffix="/ 9" />)).toEqual(
      antd(<Statistic title="待我处理" value={value} suffix="/ 9" />),
    );
  });

  it("card: the same markup as antd's small card with a title", () => {
    expect(
      renderToString(
        <PlainCard title="按县（市、区）" style={{ height: "100%" }}>
          <p>x</p>
        </PlainCard>,
      ),
    ).toEqual(
      antd(
        <Card size="small" title="按县（市、区）" style={{ height: "100%" }}>
          <p>x</p>
        </Card>,
      ),
    );
  });

  it("card: the same markup as antd's small card without a title", () => {
    expect(
      renderToString(
        <PlainCard style={{ marginBottom: 16 }}>
          <p>x</p>
        </PlainCard>,
      ),
    ).toEqual(
      antd(
        <Card size="small" style={{ marginBottom: 16 }}>
          <p>x</p>
        </Card>,
      ),
    );
  });

  it("input: antd Input's markup for a text or number field, enabled or not", () => {
    const classes = (html: string) => classesWith(html, "ant-input")[0];
    expect(classes(renderToString(<PlainInput id="b" name="b" defaultValue="" />))).toEqual(
      classes(antd(<Input id="b" name="b" defaultValue="" />)),
    );
    expect(
      classes(renderToString(<PlainInput id="a" name="a" type="number" min={0} step={0.5} disabled />)),
    ).toEqual(classes(antd(<Input id="a" name="a" type="number" min={0} step={0.5} disabled />)));
  });

  it("filter input: antd Input's classes", () => {
    const ours = renderToString(<FilterInput id="q" name="q" label="关键词" width={180} />);
    expect(classesWith(ours, "ant-input")[0]).toEqual(classesWith(antd(<Input id="q" />), "ant-input")[0]);
  });

  it("text and paragraph, plain and secondary", () => {
    expect(renderToString(<PlainText block>p</PlainText>)).toEqual(
      antd(<Typography.Paragraph>p</Typography.Paragraph>),
    );
    expect(renderToString(<PlainText secondary>t</PlainText>)).toEqual(
      antd(<Typography.Text type="secondary">t</Typography.Text>),
    );
  });

  it("the theme's variables sit on the fixed class", () => {
    expect(antd(<Tag>x</Tag>)).toContain(THEME_CLASS);
  });
});

describe("pageWindow", () => {
  it("one page", () => expect(pageWindow(1, 1)).toEqual([1]));
  it("few pages: all of them", () => expect(pageWindow(2, 5)).toEqual([1, 2, 3, 4, 5]));
  it("start of many", () => expect(pageWindow(1, 50)).toEqual([1, 2, 3, 0, 50]));
  it("middle of many", () => expect(pageWindow(25, 50)).toEqual([1, 0, 23, 24, 25, 26, 27, 0, 50]));
  it("end of many", () => expect(pageWindow(50, 50)).toEqual([1, 0, 48, 49, 50]));
  it("no gap where the window touches the ends", () =>
    expect(pageWindow(4, 7)).toEqual([1, 2, 3, 4, 5, 6, 7]));
});

describe("PagerLinks", () => {
  async function render(url: string, props: { page: number; total: number }) {
    const Stub = createRoutesStub([
      { path: "/list", Component: () => <PagerLinks {...props} pageSize={20} unit="条" /> },
    ]);
    return renderToString(<Stub initialEntries={[url]} />);
  }

  it("keeps the filters in every link and marks the current page", async () => {
    const html = await render("/list?county=330825&page=2", { page: 2, total: 95 });
    expect(html).toContain("共 95 条");
    expect(html).toContain('href="/list?county=330825"'); // page 1 and 上一页: no page parameter
    expect(html).toContain('href="/list?county=330825&amp;page=3"');
    expect(html).toContain('href="/list?county=330825&amp;page=5"');
    expect(html).not.toContain("page=6");
    expect(html).toMatch(/ant-pagination-item-active"><a [^>]*aria-current="page"[^>]*>2</);
  });

  it("disables 上一页 on the first page and 下一页 on the last", async () => {
    const first = await render("/list", { page: 1, total: 30 });
    expect(first).toMatch(/ant-pagination-prev ant-pagination-disabled/);
    expect(first).not.toMatch(/ant-pagination-next ant-pagination-disabled/);
    const last = await render("/list?page=2", { page: 2, total: 30 });
    expect(last).toMatch(/ant-pagination-next ant-pagination-disabled/);
  });
});
