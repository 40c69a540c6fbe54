import { describe, expect, it } from "vitest";
import { COMMON_PASSWORD_MESSAGE, checkNewPassword, isCommonPassword } from "./common-passwords.server.ts";

describe("isCommonPassword", () => {
  it.each([
    "password",
    "Qwerty123",
    "Password1!",
    "@Admin2026",
    "iloveyou!!",
    "1qaz2wsx",
  ])("finds %s common", (pw) => {
    expect(isCommonPassword(pw)).toBe(true);
  });

  it.each([
    "Kepu-demo-2026",
    "Kepu-test-2026",
    "Temp-pass-2026",
    "衢州科普2026Ab",
    "Zq7-marsh-lantern",
  ])("lets %s through", (pw) => {
    expect(isCommonPassword(pw)).toBe(false);
  });
});

describe("checkNewPassword", () => {
  it("applies the baseline rules first, then the common list", () => {
    expect(checkNewPassword("short")).toBe("密码至少8位");
    expect(checkNewPassword("Password1!")).toBe(COMMON_PASSWORD_MESSAGE);
    expect(checkNewPassword("Admin-2026!", { login: "admin" })).toBe("密码不能包含账号");
    expect(checkNewPassword("Kepu-test-2026")).toBeNull();
  });
});
