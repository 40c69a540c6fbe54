import { describe, expect, it } from "vitest";
import { fieldErrorsOf } from "#src/modules/accounts/accounts.schema.ts";
import { usccCheckChar } from "#src/modules/accounts/uscc.rules.ts";
import { CATEGORIES, REGIONS } from "#src/platform/db/reference-data.ts";
import {
  changeReportSchema,
  decideChangeSchema,
  importRowSchema,
  profileSchema,
  recommendationSchema,
  revocationSchema,
} from "./bases.schema.ts";

const errors = (r: { success: boolean; error?: unknown }) =>
  r.success ? {} : fieldErrorsOf(r.error as Parameters<typeof fieldErrorsOf>[0]);

describe("profileSchema", () => {
  const ok = {
    intro: "简介",
    openingForm: "免费",
    openingHours: "周二至周日 9:00-17:00",
    openDays: "300",
    bookingPhone: "0570-3027351",
    address: "衢州市柯城区",
    version: "3",
  };
  it("accepts the public fields and normalizes them", () => {
    const r = profileSchema.parse(ok);
    expect(r).toMatchObject({ openDays: 300, version: 3, bookingPhone: "0570-3027351" });
  });
  it("allows no open days", () => {
    expect(profileSchema.parse({ ...ok, openDays: "" }).openDays).toBeNull();
  });
  it("explains each bad field in Chinese", () => {
    const e = errors(
      profileSchema.safeParse({
        ...ok,
        intro: "字".repeat(1001),
        openingForm: "半价",
        openDays: "367",
        bookingPhone: "12",
        address: " ",
      }),
    );
    expect(e.intro).toContain("1000");
    expect(e.openingForm).toBe("请选择开放形式");
    expect(e.openDays).toContain("1至366");
    expect(e.bookingPhone).toContain("电话");
    expect(e.address).toBe("请填写通信地址");
  });
  it("counts characters, not bytes: 1000 Chinese characters pass", () => {
    expect(profileSchema.safeParse({ ...ok, intro: "字".repeat(1000) }).success).toBe(true);
  });
  it("ignores identity fields sent along", () => {
    const r = profileSchema.parse({ ...ok, name: "别的名字科普教育基地" } as typeof ok);
    expect(r).not.toHaveProperty("name");
  });
});

describe("changeReportSchema", () => {
  it("keeps only the fields of the kind", () => {
    const r = changeReportSchema.parse({
      kind: "rename",
      happenedOn: "2024-01-05",
      name: "衢州新科技馆科普教育基地",
      contactPhone: "13812345678",
      explanation: "单位更名",
    });
    expect(r.values).toEqual({ name: "衢州新科技馆科普教育基地" });
  });
  it("requires a real date, an explanation and at least one new value", () => {
    const e = errors(
      changeReportSchema.safeParse({ kind: "contact", happenedOn: "2023-02-30", explanation: "" }),
    );
    expect(e.happenedOn).toContain("YYYY-MM-DD");
    expect(e.explanation).toBe("请填写变更说明");
    expect(e.address).toBe("请至少填写一项变更后的信息");
  });
  it("requires the new unit for a merger and checks the base name suffix", () => {
    const e = errors(
      changeReportSchema.safeParse({
        kind: "merger",
        happenedOn: "2024-01-05",
        name: "新名称",
        explanation: "合并",
      }),
    );
    expect(e.unitName).toContain("单位名称");
    expect(e.name).toContain("科普教育基地");
  });
  it("carries the team's new name and stvs number, upper-cased, without a new unit", () => {
    const r = changeReportSchema.parse({
      kind: "volunteer_team",
      happenedOn: "2024-01-05",
      teamName: "衢州市科技馆科技志愿服务队",
      teamStvsOrgNo: "zj-qz-0002",
      name: "别的名称科普教育基地",
      explanation: "平台更换了组织编号",
    });
    expect(r.values).toEqual({ teamName: "衢州市科技馆科技志愿服务队", teamStvsOrgNo: "ZJ-QZ-0002" });
    const e = errors(
      changeReportSchema.safeParse({
        kind: "volunteer_team",
        happenedOn: "2024-01-05",
        teamStvsOrgNo: "编号",
        explanation: "x",
      }),
    );
    expect(e.teamStvsOrgNo).toContain("4至40位");
    expect(e.unitName).toBeUndefined();
    const none = errors(
      changeReportSchema.safeParse({ kind: "volunteer_team", happenedOn: "2024-01-05", explanation: "x" }),
    );
    expect(none.teamName).toBe("请至少填写一项变更后的信息");
  });
  it("a rename may carry the team's new name", () => {
    const r = changeReportSchema.parse({
      kind: "rename",
      happenedOn: "2024-01-05",
      unitName: "衢州市新科技馆",
      teamName: "衢州市新科技馆科技志愿服务队",
      teamStvsOrgNo: "ZJ-1",
      explanation: "更名",
    });
    expect(r.values).toEqual({ unitName: "衢州市新科技馆", teamName: "衢州市新科技馆科技志愿服务队" });
  });
  it("rejects an unknown kind and a bad phone", () => {
    expect(errors(changeReportSchema.safeParse({ kind: "x", happenedOn: "2024-01-01" })).kind).toBe(
      "请选择变更类型",
    );
    const e = errors(
      changeReportSchema.safeParse({
        kind: "contact",
        happenedOn: "2024-01-05",
        contactPhone: "123",
        explanation: "x",
      }),
    );
    expect(e.contactPhone).toContain("新联系人电话");
  });
});

describe("office forms", () => {
  it("revocation needs one of the five reasons and an explanation", () => {
    expect(revocationSchema.parse({ reason: "3", explanation: "逾期未报", version: "1" }).reason).toBe(3);
    for (const reason of ["0", "6", "", "x"]) {
      expect(errors(revocationSchema.safeParse({ reason, explanation: "x", version: "1" })).reason).toBe(
        "请选择撤销理由",
      );
    }
    expect(
      errors(revocationSchema.safeParse({ reason: "1", explanation: " ", version: "1" })).explanation,
    ).toBe("请填写撤销说明");
  });
  it("recommendation: province, nation, or empty to withdraw", () => {
    expect(recommendationSchema.parse({ level: "nation", version: "2" }).level).toBe("nation");
    expect(recommendationSchema.parse({ level: "", version: "2" }).level).toBeNull();
    expect(recommendationSchema.safeParse({ level: "city", version: "2" }).success).toBe(false);
  });
  it("returning a change report needs a reason", () => {
    expect(errors(decideChangeSchema.safeParse({ decision: "return", version: "1" })).reply).toBe(
      "退回时请填写退回理由",
    );
    expect(decideChangeSchema.safeParse({ decision: "approve", version: "1" }).success).toBe(true);
  });
});

describe("importRowSchema", () => {
  const schema = importRowSchema({
    counties: REGIONS.filter((r) => r.level === "county"),
    categories: CATEGORIES,
  });
  const body = "12330802MB0000007";
  const row = {
    uscc: body + usccCheckChar(body),
    name: "衢州市科技馆科普教育基地",
    unitName: "衢州市科技馆",
    county: "柯城区",
    category: "科技场馆",
    address: "衢州市柯城区",
    openingForm: "免费",
    openDays: "310",
    bookingPhone: "0570-3027351",
    leaderName: "张三",
    leaderPhone: "13812345678",
    contactName: "李四",
    contactPhone: "13912345678",
    volunteerTeamName: "衢州市科技馆科技志愿服务队",
    batchNo: "第3批",
    recognizedYear: "2018",
    certificateNo: "",
    intro: "",
  };
  it("maps names to codes and numbers", () => {
    const r = schema.parse(row);
    expect(r).toMatchObject({
      county: "330802",
      category: "science_venue",
      batchNo: 3,
      recognizedYear: 2018,
    });
    expect(r.certificateNo).toBeNull();
  });
  it("reports a bad check character, county, category and batch", () => {
    const e = errors(
      schema.safeParse({ ...row, uscc: `${body}0`, county: "杭州市", category: "公园", batchNo: "" }),
    );
    expect(e.uscc).toContain("校验位");
    expect(e.county).toContain("杭州市");
    expect(e.category).toContain("公园");
    expect(e.batchNo).toBe("请填写批次");
  });
});

describe("missing fields", () => {
  it("answer in Chinese, never with zod's default message", () => {
    const all = [
      errors(profileSchema.safeParse({ version: "1" })),
      errors(changeReportSchema.safeParse({})),
      errors(revocationSchema.safeParse({ version: "1" })),
    ];
    expect(all[0]).toMatchObject({
      openingForm: "请选择开放形式",
      bookingPhone: "请填写预约参观电话",
      address: "请填写通信地址",
    });
    expect(all[1]).toMatchObject({
      kind: "请选择变更类型",
      happenedOn: "请填写变更发生日期",
      explanation: "请填写变更说明",
    });
    expect(all[2]).toMatchObject({ reason: "请选择撤销理由", explanation: "请填写撤销说明" });
    for (const e of all) for (const m of Object.values(e)) expect(m).not.toMatch(/Invalid|expected/);
  });
  it("an empty profile keeps optional fields empty", () => {
    const r = profileSchema.parse({
      openingForm: "免费",
      bookingPhone: "13812345678",
      address: "地址",
      version: "1",
    });
    expect(r).toMatchObject({ intro: "", openingHours: "", openDays: null });
  });
});

describe("names and phones as people type them", () => {
  const schema = importRowSchema({
    counties: REGIONS.filter((r) => r.level === "county"),
    categories: CATEGORIES,
  });
  const body = "12330802MB0000008";
  const row = {
    uscc: body + usccCheckChar(body),
    name: " 某某科普教育基地 ",
    unitName: "　某某单位　",
    county: "柯城区",
    category: "科技场馆",
    address: "衢州市柯城区",
    openingForm: "免费",
    openDays: "310",
    bookingPhone: "3027351",
    leaderName: "张三",
    leaderPhone: "+86 139 0570 1234",
    contactName: "李四",
    contactPhone: "139-0570-1234",
    volunteerTeamName: "",
    batchNo: "3",
    recognizedYear: "2018",
    certificateNo: "",
    intro: "",
  };

  it("trims base and unit names (also an ideographic space) before the suffix rule", () => {
    const r = schema.parse(row);
    expect(r.name).toBe("某某科普教育基地");
    expect(r.unitName).toBe("某某单位");
    expect(errors(schema.safeParse({ ...row, name: " 科普教育基地 " })).name).toBeDefined();
    const c = changeReportSchema.parse({
      kind: "rename",
      happenedOn: "2024-01-05",
      name: "  衢州新科技馆科普教育基地 ",
      explanation: "单位更名",
    });
    expect(c.values).toEqual({ name: "衢州新科技馆科普教育基地" });
  });

  it("stores one normal form of each phone; a local landline is accepted where one is allowed", () => {
    const r = schema.parse(row);
    expect(r.leaderPhone).toBe("13905701234");
    expect(r.contactPhone).toBe("13905701234");
    expect(r.bookingPhone).toBe("3027351");
    expect(errors(schema.safeParse({ ...row, leaderPhone: "3027351" })).leaderPhone).toBeDefined();
    expect(
      profileSchema.parse({
        intro: "",
        openingForm: "免费",
        bookingPhone: "0570 3027351 转 801",
        address: "某地",
        version: "1",
      }).bookingPhone,
    ).toBe("0570-3027351-801");
  });
});
