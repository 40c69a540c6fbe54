import { beforeAll, describe, expect, it } from "vitest";
import { findMissingGlyphs, hasGlyphs, warmUpCjkFonts } from "#src/platform/pdf/cjk-font.ts";
import { extractPdfText } from "#src/platform/pdf/extract-pdf-text.ts";
import {
  type ApplicationPdfInput,
  applicationPdfFilename,
  DRAFT_WATERMARK,
  renderApplicationPdf,
} from "./application-pdf.server.ts";

beforeAll(() => warmUpCjkFonts(), 120_000);

/** A filled sample of 附件2, with a 1000-character 简介; used by tests and for manual checks. */
function sampleApplicationPdfInput(): ApplicationPdfInput {
  const sentences = [
    "中国观赏石博览园位于衢州市柯城区，是集观赏石收藏、展示、研究和科普教育于一体的专题博物馆。",
    "园区占地约120亩，建有“石文化馆”“地质科普馆”和“矿物晶体馆”三大展馆，馆藏标本3,800余件。",
    "基地常年面向社会公众特别是青少年开放，开展“石头里的地球故事”“小小地质学家”等研学课程；",
    "每年接待参观者约15万人次（其中中小学生约4万人次），举办科普讲座、培训、竞赛和展览等活动60余场。",
    "基地组建了由专家、教师和大学生组成的科技志愿服务队，定期“走出去”送科普进校园、进社区、进农村：",
    "2022年累计开展志愿服务200余次，服务时长超过1,500小时。Email: kepu@example.cn，网址 https://kepu.example.cn/。",
  ];
  let intro = "";
  for (let i = 0; [...intro].length < 1000; i++) intro += sentences[i % sentences.length];
  intro = `${[...intro].slice(0, 999).join("")}。`;
  return {
    regionName: "柯城区",
    baseName: "中国观赏石博览园科普教育基地",
    unitName: "衢州市中国观赏石博览园管理有限公司",
    address: "浙江省衢州市柯城区石梁镇观赏石大道88号（邮编324000）",
    leaderName: "王建国",
    leaderPhone: "13857001234",
    contactName: "李晓梅",
    contactPhone: "0570-3027351",
    bookingPhone: "0570-8881234",
    volunteerTeamName: "衢州市中国观赏石博览园管理有限公司科技志愿服务队",
    volunteerCount: 36,
    volunteerLeader: "赵秀英",
    volunteerLeaderPhone: "13905701234",
    openingForm: "16周岁以下的青少年免费开放",
    categoryName: "自然资源",
    categoryOptions: [
      "科技场馆",
      "文化场馆",
      "教育科研与重大工程",
      "三农",
      "企业",
      "自然资源",
      "媒体传播",
      "其他",
    ],
    areaSqm: 12500.5,
    openDays: 310,
    intro,
    honors:
      "2020年，被表彰为衢州市全国科普日优秀组织单位；\n2021年，获评浙江省研学实践教育基地；\n2022年，“石头里的地球故事”课程入选衢州市优秀科普课程（第一批）。",
    conditions: [
      {
        label: "（一）提供公共科普服务的法人单位，或以法人单位为依托的内设（下属）机构。",
        confirmed: true,
        note: "统一社会信用代码 91330802MA2XXXXXX1",
      },
      { label: "（二）具有明确的科普服务宗旨、开放服务和安全管理等制度。", confirmed: true, note: "" },
      {
        label:
          "（三）具备一定规模的开展科普公共服务的室内外场所条件，积极开展内容丰富、形式多样的科普服务，大力弘扬科学精神和科学家精神。",
        confirmed: true,
        note: "室内展厅 6,000 平方米",
      },
      {
        label:
          "（四）在全国科普日、全国科技活动周、全国科技工作者日等重要主题日期间，能够对公众特别是青少年免费或优惠开放。",
        confirmed: true,
        note: "主题日全天免费",
      },
      {
        label:
          "（五）通过网络媒体平台向公众公布开放信息、科普教育活动信息、展教资源更新情况等公共科普服务信息。",
        confirmed: true,
        note: "微信公众号“观赏石博览园”",
      },
      {
        label: "（六）有稳定的科普经费投入或专项科普经费，确保科普教育工作正常运行。",
        confirmed: false,
        note: "2023年预算待批复",
      },
      {
        label: "（七）有较稳定的专兼职科技志愿者队伍，能够开展经常性科技志愿服务。",
        confirmed: true,
        note: "",
      },
      {
        label: "（八）接受“认定单位”的指导和交办的科普任务，接受其组织的对科普教育基地的科普工作参观考察。",
        confirmed: true,
        note: "",
      },
    ],
    attachments: [
      { slotLabel: "盖好章的“科普教育基地申报表”，制成PDF版上传。", count: 1 },
      { slotLabel: "基地基本概况照片3～5张。", count: 4 },
      { slotLabel: "基地曾开办的科普活动照片3～5张。", count: 5 },
      { slotLabel: "“科技志愿服务”微信公众号注册的“科技志愿服务队”和“科技志愿者”。", count: 2 },
      { slotLabel: "基地所获得的荣誉。", count: 3 },
      { slotLabel: "其他", count: 0 },
    ],
    callTitle: "2023年衢州市第八批科普教育基地项目认定",
    generatedAt: "2023-02-20 10:30:00",
    applicationId: "01890a5d-ac96-774b-bcce-b302099a8057",
    applicationNo: "2023-第八批-龙游-001",
  };
}

const squash = (s: string) => s.replace(/\s+/g, "");
const FOOTER = /申报编号：.*?第(\d+)页\/共(\d+)页生成时间：\d{4}-\d\d-\d\d\d\d:\d\d:\d\d/g;

/** Page texts joined in reading order, without the footers; plus the footers' page numbers. */
function readBack(pdf: Buffer) {
  const pages = extractPdfText(pdf);
  const footers = pages.map((p) =>
    [...squash(p.text).matchAll(FOOTER)].map((m) => [Number(m[1]), Number(m[2])]),
  );
  const body = pages.map((p) => squash(p.text).replace(FOOTER, "")).join("");
  return { pages, footers, body };
}

function allStrings(input: ApplicationPdfInput): string[] {
  return [
    ...Object.values(input).filter((v): v is string => typeof v === "string"),
    ...input.conditions.flatMap((c) => [c.label, c.note]),
    ...input.attachments.map((a) => a.slotLabel),
    ...(input.categoryOptions ?? []),
  ];
}

describe("renderApplicationPdf", () => {
  const input = sampleApplicationPdfInput();
  let pdf: Buffer;

  beforeAll(async () => {
    pdf = await renderApplicationPdf(input);
  }, 120_000);

  it("uses a 1000-character intro whose every glyph the embedded fonts have", () => {
    expect([...input.intro]).toHaveLength(1000);
    for (const s of allStrings(input)) expect(findMissingGlyphs(s), s).toEqual([]);
  });

  it("is a complete PDF of a reasonable size with embedded, Unicode-mapped CJK fonts", () => {
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(pdf.subarray(-6).toString("latin1")).toMatch(/%%EOF\s*$/);
    expect(pdf.length).toBeGreaterThan(20_000);
    expect(pdf.length).toBeLessThan(400_000);
    const raw = pdf.toString("latin1");
    const type0 = raw.match(/\/Subtype \/Type0[^>]*>>/g) ?? [];
    expect(type0.length).toBeGreaterThan(0);
    for (const font of type0) {
      expect(font).toMatch(/\/Encoding \/Identity-H/);
      expect(font).toMatch(/\/ToUnicode \d+ 0 R/);
    }
    expect((raw.match(/\/FontFile2 \d+ 0 R/g) ?? []).length).toBe(type0.length);
    expect(raw).toMatch(/NotoSansSC/);
    expect(raw).not.toMatch(/\/BaseFont \/Helvetica/);
  });

  it("flows the long intro onto further pages and numbers every page", () => {
    const { pages, footers } = readBack(pdf);
    expect(pages.length).toBeGreaterThanOrEqual(2);
    const count = Number(/\/Type \/Pages[^>]*\/Count (\d+)/.exec(pdf.toString("latin1"))?.[1]);
    expect(count).toBe(pages.length);
    expect(footers).toEqual(pages.map((_, i) => [[i + 1, pages.length]]));
  });

  it("contains every field, label and signature block as extractable Chinese text", () => {
    const { pages, body } = readBack(pdf);
    for (const p of pages) expect(p.notdefCount).toBe(0);
    expect(body).not.toContain("\uFFFD");
    const expected = [
      "附件2",
      "科普教育基地申报表",
      input.callTitle,
      "基地基本信息",
      "所在区域柯城衢江龙游常山江山开化",
      `基地名称${input.baseName}`,
      `申报单位名称${input.unitName}`,
      `通信地址${input.address}`,
      `负责人${input.leaderName}负责人电话${input.leaderPhone}`,
      `联系人${input.contactName}联系人电话${input.contactPhone}`,
      `预约参观电话${input.bookingPhone}`,
      `科技志愿名称${input.volunteerTeamName}科技志愿者人数${input.volunteerCount}`,
      `志愿者负责人${input.volunteerLeader}负责人电话${input.volunteerLeaderPhone}`,
      "开放形式免费16周岁以下的青少年免费开放节假日优惠收费",
      "申报类别科技场馆文化场馆教育科研与重大工程三农企业自然资源媒体传播其他",
      `科普场所面积${input.areaSqm}平方米年开放天数${input.openDays}天`,
      `科普教育基地简介（不超过1000字）${input.intro}`,
      `已获命名（荣誉）情况${input.honors}`,
      "上传相关证明材料",
      ...input.attachments.map((a) => a.slotLabel),
      "①盖好章的",
      "已上传4份",
      "未上传",
      "创建申报单位意见年月日盖章",
      "县（市、区）科协（宣传部/教育局/科技局）推荐意见年月日盖章",
    ];
    for (const s of expected) expect(body, s).toContain(squash(s));
    for (const c of input.conditions) {
      expect(body).toContain(squash(c.label));
      expect(body).toContain(squash(c.note));
    }
  });

  it("renders a blank form for printing by hand", async () => {
    const blank: ApplicationPdfInput = {
      ...input,
      regionName: "",
      baseName: "",
      unitName: "",
      address: "",
      leaderName: "",
      leaderPhone: "",
      contactName: "",
      contactPhone: "",
      bookingPhone: "",
      volunteerTeamName: "",
      volunteerCount: null,
      volunteerLeader: "",
      volunteerLeaderPhone: "",
      openingForm: "",
      categoryName: "",
      categoryOptions: undefined,
      areaSqm: null,
      openDays: "",
      intro: "",
      honors: "",
      conditions: [],
      attachments: [],
    };
    const { pages, body } = readBack(await renderApplicationPdf(blank));
    expect(pages.length).toBeGreaterThanOrEqual(1);
    expect(body).toContain("所在区域柯城衢江龙游常山江山开化基地名称申报单位名称通信地址负责人负责人电话");
    expect(body).toContain("科普场所面积平方米年开放天数天");
    expect(body).toContain("③基地曾开办的科普活动照片3～5张。");
    expect(body).toContain("县（市、区）科协（宣传部/教育局/科技局）推荐意见");
  });

  it("ticks a region given by its full name and numbers the basic conditions like 第五条", async () => {
    const { body } = readBack(
      await renderApplicationPdf({
        ...input,
        regionName: "龙游县",
        conditions: [{ label: "提供公共科普服务的法人单位", confirmed: true, note: "" }],
      }),
    );
    expect(body).toContain("所在区域柯城衢江龙游常山江山开化基地名称"); // no extra "龙游县" box
    expect(body).toContain("（一）提供公共科普服务的法人单位");
  });
});

describe("applicationPdfFilename", () => {
  it("watermarks every page of a draft 草稿 · 未提交, and only a draft", async () => {
    expect(hasGlyphs(DRAFT_WATERMARK, 700)).toBe(true);
    const input = sampleApplicationPdfInput();
    const long = { ...input, draft: true, intro: "科".repeat(1000), honors: "荣".repeat(800) };
    const { pages } = readBack(await renderApplicationPdf(long));
    expect(pages.length).toBeGreaterThan(1);
    for (const p of pages) expect(squash(p.text)).toContain(squash(DRAFT_WATERMARK));
    const submitted = readBack(await renderApplicationPdf({ ...input, draft: false }));
    for (const p of submitted.pages) expect(squash(p.text)).not.toContain("草稿");
  });

  it("gives a Chinese UTF-8 filename with an ASCII fallback", () => {
    const { filename, contentDisposition } = applicationPdfFilename({
      baseName: "中国观赏石博览园科普教育基地",
      applicationId: "01890a5d-ac96-774b-bcce-b302099a8057",
    });
    expect(filename).toBe("科普教育基地申报表-中国观赏石博览园科普教育基地.pdf");
    expect(contentDisposition).toBe(
      `attachment; filename="application-01890a5d-ac96-774b-bcce-b302099a8057.pdf"; filename*=UTF-8''${encodeURIComponent(filename)}`,
    );
  });

  it("strips characters that are unsafe in file names", () => {
    expect(applicationPdfFilename({ baseName: 'a/b\\c:"d"', applicationId: "x" }).filename).toBe(
      "科普教育基地申报表-abcd.pdf",
    );
  });
});
