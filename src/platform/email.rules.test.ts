import { describe, expect, it } from "vitest";
import { isValidEmail } from "./email.rules.ts";

describe("isValidEmail", () => {
  it("accepts ordinary addresses", () => {
    for (const v of ["a@b.cn", "zhang.san+kepu@mail.example.com.cn", "x_1@qq.com"])
      expect(isValidEmail(v)).toBe(true);
  });
  it("refuses typing mistakes", () => {
    for (const v of [
      "a@b",
      "a b@c.cn",
      "@c.cn",
      "a@.cn",
      "a..b@c.cn",
      "张三@c.cn",
      "a@c.cn>",
      "a@b.cn,c@d.cn",
    ])
      expect(isValidEmail(v)).toBe(false);
  });
});
