import { describe, expect, it } from "vitest";
import { checkPasswordPolicy, passwordClasses } from "./password.rules.ts";

describe("checkPasswordPolicy", () => {
  it("accepts 8 characters from three classes", () => {
    expect(checkPasswordPolicy("abcdEF12")).toBeNull();
    expect(checkPasswordPolicy("abcdef1!")).toBeNull();
  });
  it("rejects 7 characters", () => {
    expect(checkPasswordPolicy("abcEF1!")).toBe("密码至少8位");
  });
  it("counts characters, not bytes", () => {
    expect(checkPasswordPolicy("科普基地Ab1")).toBe("密码至少8位");
    expect(checkPasswordPolicy("科普基地Ab12")).toBeNull();
  });
  it("rejects two classes", () => {
    expect(checkPasswordPolicy("abcdefgh12")).toContain("至少三类");
    expect(checkPasswordPolicy("ABCDEFGH!!")).toContain("至少三类");
  });
  it("rejects a password containing the login", () => {
    expect(checkPasswordPolicy("Admin-2026!", { login: "admin" })).toBe("密码不能包含账号");
  });
  it("rejects an overlong password", () => {
    expect(checkPasswordPolicy(`Aa1${"x".repeat(200)}`)).toContain("不能超过");
  });
  it("counts the four classes", () => {
    expect(passwordClasses("aA1!")).toBe(4);
    expect(passwordClasses("")).toBe(0);
  });
});
