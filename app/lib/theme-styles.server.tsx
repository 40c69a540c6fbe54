import { createHash } from "node:crypto";
import { createCache, extractStyle, StyleProvider } from "@ant-design/cssinjs";
import {
  Alert,
  Badge,
  Button,
  Card,
  Checkbox,
  Col,
  ConfigProvider,
  Descriptions,
  Divider,
  Empty,
  Form,
  Image,
  Input,
  InputNumber,
  Layout,
  List,
  Pagination,
  Popconfirm,
  Progress,
  Radio,
  Rate,
  Result,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  Tabs,
  Tag,
  type ThemeConfig,
  Timeline,
  Typography,
  Upload,
} from "antd";
import { renderToString } from "react-dom/server";
import { ELDER_CLASS, elderTheme, PRESET_TEXT_SHADES, THEME_CLASS, theme } from "~/components/theme";

/**
 * The theme's CSS variables as one cacheable stylesheet (/theme.css?v=<hash>) instead of ~26 KB of
 * <style> in every page (ADR 0012). With zero-runtime styles antd registers, per component, only
 * the variables of our theme; rendering every component the app uses once at start registers all
 * of them, so the stylesheet is complete before the first request. A component missing here would
 * register on first use: `headStyles` then inlines the whole set as before, so nothing is unstyled,
 * and `theme-styles.server.test.ts` fails until it is added.
 */
export const styleCache = createCache();

/** Every antd component the app uses, once, under `config`: registers the theme's variables for each. */
function renderAll(config: ThemeConfig) {
  return (
    <ConfigProvider theme={config}>
      <Layout>
        <Alert title="-" />
        <Badge count={1} />
        <Button>-</Button>
        <Card title="-">-</Card>
        <Checkbox />
        <Row>
          <Col span={1}>-</Col>
        </Row>
        <Descriptions items={[{ key: "a", label: "-", children: "-" }]} />
        <Divider />
        <Empty />
        <Form>
          <Form.Item label="-">
            <Input />
          </Form.Item>
        </Form>
        <Image src="/favicon.svg" alt="" />
        <InputNumber />
        <List dataSource={["-"]} renderItem={(i) => <List.Item>{i}</List.Item>} />
        <Pagination total={100} />
        {/* Closed, it still registers the popover's and its own variables on the server. */}
        <Popconfirm title="-">
          <span>-</span>
        </Popconfirm>
        <Progress percent={1} />
        <Radio.Group options={["-"]} />
        <Rate value={1} disabled />
        <Result title="-" />
        <Select options={[]} />
        <Space>-</Space>
        <Statistic value={1} />
        <Table columns={[{ title: "-", dataIndex: "a" }]} dataSource={[]} pagination={false} />
        <Tabs items={[{ key: "a", label: "-", children: "-" }]} />
        <Tag>-</Tag>
        <Timeline items={[{ content: "-" }]} />
        <Typography.Title>-</Typography.Title>
        <Upload />
      </Layout>
    </ConfigProvider>
  );
}

renderToString(<StyleProvider cache={styleCache}>{renderAll(theme)}</StyleProvider>);

const startupSize = styleCache.cache.size;
/**
 * 长辈模式: the elder theme's variables, generated the same way and scoped under `.kepu-elder` (on
 * <html>), so the server picks the mode with one class and the first paint is already large.
 */
function elderCss(): string {
  const cache = createCache();
  renderToString(<StyleProvider cache={cache}>{renderAll(elderTheme)}</StyleProvider>);
  const css = extractStyle(cache, { plain: true });
  // Each rule's selector starts with the theme class (.kepu-theme{…}, .kepu-theme.ant-tag{…}).
  return css.replace(new RegExp(`(^|[},])\\s*\\.${THEME_CLASS}`, "g"), `$1.${ELDER_CLASS} .${THEME_CLASS}`);
}

/** The darker text shades of the preset tags (theme.ts), after the generated variables they replace. */
const presetShades = `.${THEME_CLASS}{${Object.entries(PRESET_TEXT_SHADES)
  .map(([color, shade]) => `--ant-${color}-7:${shade};`)
  .join("")}}`;

export const themeCss = `${extractStyle(styleCache, { plain: true })}\n${elderCss()}\n${presetShades}`;
export const themeCssHref = `/theme.css?v=${createHash("sha256").update(themeCss).digest("hex").slice(0, 12)}`;

let late = { size: startupSize, html: "" };
/** What goes into <head>: the stylesheet, and inline only what registered after start (see above). */
export function headStyles(): string {
  const size = styleCache.cache.size;
  if (size !== late.size) late = { size, html: extractStyle(styleCache, { plain: false }) };
  return `<link rel="stylesheet" href="${themeCssHref}">${late.html}`;
}
