import { describe, expect, it } from "vitest";
import { callFormSchema, callFormValues } from "./calls.schema.ts";

const counties = ["330802", "330825"];
const form = (over: Record<string, string | string[]> = {}) => {
  const fd = new FormData();
  const base: Record<string, string | string[]> = {
    kind: "科普教育基地项目认定",
    batchNo: "8",
    title: "第八批衢州市科普教育基地创建",
    level: "city",
    regionCode: "330800",
    opensAt: "2023-01-10T00:00",
    closesAt: "2023-03-01T00:00",
    categoryCodes: ["science_venue", "other"],
    target_330802: "6",
    target_330825: "",
    notice: "通知正文",
    ...over,
  };
  for (const [k, v] of Object.entries(base)) for (const x of Array.isArray(v) ? v : [v]) fd.append(k, x);
  return callFormSchema(counties).safeParse(callFormValues(fd, counties));
};

describe("callFormSchema", () => {
  it("reads Shanghai times as instants and empty targets as 0", () => {
    const r = form();
    expect(r.success).toBe(true);
    if (r.success) {
      expect(r.data.opensAt).toBe("2023-01-09T16:00:00.000Z");
      expect(r.data.closesAt).toBe("2023-02-28T16:00:00.000Z");
      expect(r.data.targets).toEqual({ "330802": 6, "330825": 0 });
      expect(r.data.batchNo).toBe(8);
    }
  });
  it("takes the closing date as a whole day: 02-28 closes at the end of 02-28 Beijing time", () => {
    const r = form({ closesAt: "2023-02-28" });
    expect(r.success && r.data.closesAt).toBe("2023-02-28T16:00:00.000Z");
    expect(form({ closesAt: "2023-02" }).success).toBe(false);
  });
  it("requires the close after the open", () => {
    const r = form({ closesAt: "2023-01-10T00:00" });
    expect(r.success).toBe(false);
    if (!r.success) expect(r.error.issues[0].message).toBe("截止时间须晚于开始时间");
  });
  it("requires a category and refuses negative targets", () => {
    expect(form({ categoryCodes: [] }).success).toBe(false);
    expect(form({ target_330802: "-1" }).success).toBe(false);
    expect(form({ batchNo: "0" }).success).toBe(false);
  });
  it("reads the issuers one a line and the 文号 in its brackets; empty means the defaults", () => {
    const r = form({
      issuers: " 中共衢州市委宣传部\n衢州市科学技术协会 \n\n",
      documentNo: " 衢科协[2023]12号",
    });
    expect(r.success && r.data.issuers).toEqual(["中共衢州市委宣传部", "衢州市科学技术协会"]);
    expect(r.success && r.data.documentNo).toBe("衢科协〔2023〕12号");
    const d = form();
    expect(d.success && d.data.issuers).toEqual([]);
    expect(d.success && d.data.documentNo).toBe("");
    expect(form({ issuers: Array.from({ length: 9 }, (_, i) => `单位${i}`).join("\n") }).success).toBe(false);
    expect(form({ documentNo: "号".repeat(51) }).success).toBe(false);
  });
});
