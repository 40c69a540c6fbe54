import { z } from "zod";

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** "2027-01-01、2027-01-02\n2027-02-10" → sorted unique days; separators as people type them. */
const dayList = (label: string) =>
  z
    .string()
    .default("")
    .transform((v, ctx) => {
      const days = [...new Set(v.split(/[\s,，、;；]+/).filter(Boolean))].sort();
      const bad = days.filter(
        (d) => !DAY.test(d) || new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) !== d,
      );
      if (bad.length > 0) {
        ctx.addIssue({
          code: "custom",
          message: `${label}中的日期无效：${bad.join("、")}（格式：2027-01-01）`,
        });
        return z.NEVER;
      }
      return days;
    });

/** 【节假日设置】 one year's 放假 days and 调休 working days. */
export const holidayYearSchema = z
  .object({
    year: z.coerce
      .number({ error: "请填写年份" })
      .int("请填写年份")
      .min(2000, "年份无效")
      .max(2100, "年份无效"),
    holidays: dayList("放假日期"),
    workdays: dayList("调休上班日期"),
  })
  .superRefine((v, ctx) => {
    for (const [key, days] of [
      ["holidays", v.holidays],
      ["workdays", v.workdays],
    ] as const) {
      const other = days.filter((d) => Number(d.slice(0, 4)) !== v.year);
      if (other.length > 0)
        ctx.addIssue({ code: "custom", path: [key], message: `日期须在${v.year}年内：${other.join("、")}` });
    }
    const both = v.holidays.filter((d) => v.workdays.includes(d));
    if (both.length > 0)
      ctx.addIssue({
        code: "custom",
        path: ["workdays"],
        message: `同一天不能既放假又上班：${both.join("、")}`,
      });
    if (v.holidays.length === 0 && v.workdays.length === 0)
      ctx.addIssue({ code: "custom", path: ["holidays"], message: "请至少填写一个放假日期" });
  });
export type HolidayYearInput = z.output<typeof holidayYearSchema>;
