import { describe, expect, it } from "vitest";
import { usccCheckChar } from "#src/modules/accounts/uscc.rules.ts";
import { parseOptions, UsageError } from "./errors.ts";
import { type UserCreateValues, userCreateOptions, userCreateRequest } from "./user-create.ts";

const PW = "Kepu-2026!";
const body = "91330825MA2B3C4D5";
const USCC = body + usccCheckChar(body);
const BAD_USCC = body + (usccCheckChar(body) === "0" ? "1" : "0");

const problems = (v: UserCreateValues): string[] => {
  try {
    userCreateRequest(v);
  } catch (e) {
    if (e instanceof UsageError) return e.lines;
    throw e;
  }
  throw new Error("expected a UsageError");
};

describe("userCreateRequest", () => {
  it("defaults a city-level role to 衢州市 and the display name to the login", () => {
    const r = userCreateRequest({ role: "admin", username: "Root.Admin", password: PW, "must-change": true });
    expect(r).toMatchObject({
      input: { role: "admin", username: "Root.Admin", regionCode: "330800", displayName: "root.admin" },
      mustChangePassword: true,
    });
  });

  it("builds an org request from a lower-case USCC", () => {
    const r = userCreateRequest({ role: "org", region: "330825", uscc: USCC.toLowerCase(), password: PW });
    expect(r.input).toMatchObject({ role: "org", regionCode: "330825", displayName: USCC });
    expect(r.mustChangePassword).toBe(false);
  });

  it("names the option in every message", () => {
    expect(problems({ role: "org", region: "330825", uscc: BAD_USCC, password: PW })).toEqual([
      "--uscc: 校验位（第18位）不正确，请核对代码是否输错",
    ]);
    expect(problems({ role: "org", region: "330825", password: PW })[0]).toMatch(
      /^--uscc: .*统一社会信用代码/,
    );
    expect(problems({ role: "boss", username: "x", password: PW })[0]).toMatch(
      /^--role: 未知角色“boss”.*admin/,
    );
    expect(problems({ username: "admin", password: PW })[0]).toMatch(/^--role: 请指定角色/);
    expect(problems({ role: "city", password: PW })).toEqual([
      "--username: 工作人员账号（city）须用 --username 给出用户名",
    ]);
    expect(problems({ role: "city", uscc: USCC, password: PW })[0]).toMatch(/^--uscc: .*请改用 --username/);
    expect(problems({ role: "org", region: "330825", username: "acme", password: PW })[0]).toMatch(
      /^--username: .*请改用 --uscc/,
    );
    expect(problems({ role: "admin", username: "admin", uscc: USCC, password: PW })[0]).toMatch(
      /^--username: 与 --uscc 只能给一个/,
    );
    expect(problems({ role: "admin", username: "admin", password: "short" })).toEqual([
      "--password: 密码至少8位",
    ]);
    expect(problems({ role: "admin", username: "admin" })[0]).toMatch(
      /^--password: 请设置密码（从标准输入输入，或用 --password）/,
    );
    expect(problems({ role: "admin", username: "admin", password: PW, region: "33" })[0]).toMatch(
      /^--region: 区域代码应为6位数字/,
    );
    expect(problems({ role: "admin", username: "admin", password: PW, phone: "123" })[0]).toMatch(
      /^--phone: /,
    );
  });

  it("requires a county for county staff and orgs, and lists every problem in option order", () => {
    const lines = problems({ role: "county", username: "1x", password: "weak" });
    expect(lines.map((l) => l.split(":")[0])).toEqual(["--region", "--username", "--password"]);
    expect(lines[0]).toContain("330825 龙游县");
  });
});

describe("parseOptions", () => {
  const usage = (args: string[]) => {
    try {
      parseOptions("user:create", args, userCreateOptions);
    } catch (e) {
      if (e instanceof UsageError) return e.message;
      throw e;
    }
    throw new Error("expected a UsageError");
  };

  it("parses the options strictly", () => {
    expect(parseOptions("user:create", ["--role", "admin", "--must-change"], userCreateOptions)).toEqual({
      role: "admin",
      "must-change": true,
    });
    expect(parseOptions("user:create", ["--password=-Kepu-2026"], userCreateOptions).password).toBe(
      "-Kepu-2026",
    );
  });

  it("explains parse errors in Chinese", () => {
    expect(usage(["--rol", "admin"])).toMatch(/^未知选项 --rol。user:create 可用的选项：--role/);
    expect(usage(["--role"])).toMatch(/^--role 缺少取值/);
    expect(usage(["--password", "-abc"])).toMatch(/^--password 缺少取值.*--password=取值/);
    expect(usage(["--must-change=yes"])).toBe("--must-change 是开关选项，不带取值");
    expect(usage(["admin"])).toMatch(/^多余的参数“admin”/);
  });
});
