/** Reference data seeded by migration. Codes are stable: GB/T 2260 for regions. */
export const REGIONS = [
  { code: "330000", name: "浙江省", parent_code: null, level: "province", sort: 0 },
  { code: "330800", name: "衢州市", parent_code: "330000", level: "city", sort: 0 },
  { code: "330802", name: "柯城区", parent_code: "330800", level: "county", sort: 1 },
  { code: "330803", name: "衢江区", parent_code: "330800", level: "county", sort: 2 },
  { code: "330825", name: "龙游县", parent_code: "330800", level: "county", sort: 3 },
  { code: "330822", name: "常山县", parent_code: "330800", level: "county", sort: 4 },
  { code: "330881", name: "江山市", parent_code: "330800", level: "county", sort: 5 },
  { code: "330824", name: "开化县", parent_code: "330800", level: "county", sort: 6 },
] as const;

/**
 * Telephone area codes by city (GB/T 2260 code): every county of a city shares its code. A local
 * landline typed without one (the notice's “3027351”) is completed from the record's region.
 */
export const AREA_CODES: Readonly<Record<string, string>> = {
  "330800": "0570",
};

/** The eight categories of 第四条 (附件1). */
export const CATEGORIES = [
  {
    code: "science_venue",
    name: "科技场馆",
    description: "综合性科技馆、自然博物馆、专业科普场馆、青少年科技场馆等",
    sort: 1,
  },
  {
    code: "culture_venue",
    name: "文化场馆",
    description: "图书馆、博物馆、文化馆、档案馆、美术馆、艺术馆、文化类景区等",
    sort: 2,
  },
  {
    code: "education_research",
    name: "教育科研与重大工程",
    description: "教育、科研机构内设的科普场馆、实验室、工程中心、科学观测台（站）、医疗机构等",
    sort: 3,
  },
  {
    code: "agriculture",
    name: "三农",
    description: "农业种植养殖繁育基地、综合试验示范基地、现代农业科技产业园、农技培训基地等",
    sort: 4,
  },
  {
    code: "enterprise",
    name: "企业",
    description: "产业园区、科技园区、企业科技展厅、研发设施、生产制造设施等",
    sort: 5,
  },
  {
    code: "natural_resources",
    name: "自然资源",
    description: "国家公园、自然保护区、动物园、植物园、森林、湿地、地质公园等",
    sort: 6,
  },
  {
    code: "media",
    name: "媒体传播",
    description: "广播电视传媒集团、传媒出版机构、网络新媒体传播机构和企业等",
    sort: 7,
  },
  { code: "other", name: "其他", description: "利用文博、艺术等资源面向公众提供科普服务的公共场所", sort: 8 },
] as const;
