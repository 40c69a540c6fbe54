import { describe, expect, it } from "vitest";
import { validApplicationForm as validForm } from "../../../tests/support/application-fixtures.ts";
import { draftFromForm, submitErrors, submitSchema } from "./applications.schema.ts";

const schema = submitSchema({ counties: ["330825", "330881"], categories: ["science_venue", "other"] });

const errorsOf = (over: Record<string, string>) => {
  const r = schema.safeParse(draftFromForm({ ...validForm(), ...over }));
  return r.success ? {} : submitErrors(r.error);
};

describe("submitSchema", () => {
  it("accepts a complete form with a 1000-character intro", () => {
    const r = schema.safeParse(draftFromForm(validForm()));
    expect(r.success).toBe(true);
    if (r.success) {
      expect(r.data.openDays).toBe(300);
      expect(r.data.areaSqm).toBe(1200.5);
    }
  });

  it("refuses a 1001-character intro, counting characters", () => {
    expect(errorsOf({ intro: "科".repeat(1001) }).intro).toBe("简介不能超过1000字，当前1001字");
  });

  it("requires the base name to end with 科普教育基地", () => {
    expect(errorsOf({ baseName: "龙游县科技馆" }).baseName).toContain("单位名称+科普教育基地");
    expect(errorsOf({ baseName: "科普教育基地" }).baseName).toContain("单位名称+科普教育基地");
  });

  it("refuses 0 and 367 open days, and fractions", () => {
    expect(errorsOf({ openDays: "0" }).openDays).toBe("年开放天数须在1至366天之间");
    expect(errorsOf({ openDays: "367" }).openDays).toBe("年开放天数须在1至366天之间");
    expect(errorsOf({ openDays: "1.5" }).openDays).toBe("年开放天数须为整数");
    expect(errorsOf({ openDays: "366" }).openDays).toBeUndefined();
  });

  it("refuses a malformed phone number", () => {
    expect(errorsOf({ leaderPhone: "1381234567" }).leaderPhone).toContain("11位手机号");
    expect(errorsOf({ contactPhone: "abc" }).contactPhone).toContain("11位手机号");
  });

  it("refuses zero or negative area and negative volunteer counts", () => {
    expect(errorsOf({ areaSqm: "0" }).areaSqm).toBe("科普场所面积须大于0平方米");
    expect(errorsOf({ volunteerCount: "-1" }).volunteerCount).toBe("科技志愿者人数不能为负数");
    expect(errorsOf({ volunteerCount: "0" }).volunteerCount).toBeUndefined();
  });

  it("limits county and category to the call's lists", () => {
    expect(errorsOf({ regionCode: "330802" }).regionCode).toBe("请选择所在区域");
    expect(errorsOf({ categoryCode: "media" }).categoryCode).toBe("请选择申报类别");
  });

  it("requires every basic condition to be confirmed", () => {
    expect(errorsOf({ cond_3: "" }).cond_3).toBe("请逐条确认第五条基本条件");
  });

  it("names every missing field of an empty draft", () => {
    const r = schema.safeParse(draftFromForm({}));
    expect(r.success).toBe(false);
    if (!r.success) {
      const e = submitErrors(r.error);
      expect(e.baseName).toBe("请填写基地名称");
      expect(e.intro).toBe("请填写科普教育基地简介");
      expect(e.openingForm).toBe("请选择开放形式");
    }
  });
});
