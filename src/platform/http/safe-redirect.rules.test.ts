import { describe, expect, it } from "vitest";
import { safeRedirectPath } from "./safe-redirect.rules.ts";

describe("safeRedirectPath", () => {
  it.each([
    "/applications/abc?tab=files",
    "/bases?county=330802&page=2",
    "/review#top",
    "/notices/%E5%85%AC%E7%A4%BA",
  ])("keeps the same-site path %s", (to) => {
    expect(safeRedirectPath(to)).toBe(to);
  });

  it.each([
    ["a tab", "/\t/evil.example"],
    ["a newline", "/\n/evil.example"],
    ["an encoded tab", "/%09/evil.example"],
    ["a backslash", "/\\evil.example"],
    ["an encoded backslash", "/%5Cevil.example"],
    ["a protocol-relative URL", "//evil.example"],
    ["an encoded second slash", "/%2Fevil.example"],
    ["a double-encoded second slash", "/%252Fevil.example"],
    ["a scheme", "https://evil.example/"],
    ["a javascript: URL", "javascript:alert(1)"],
    ["an encoded scheme", "%6Aavascript:alert(1)"],
    ["a NUL", "/work%00bench"],
    ["a C1 control", "/work\u0085bench"],
    ["a broken escape", "/%E5%85"],
    ["an empty value", ""],
    ["a relative path", "workbench"],
  ])("refuses %s", (_label, to) => {
    expect(safeRedirectPath(to)).toBe("/workbench");
  });

  it("refuses what is not a string and uses the given fallback", () => {
    expect(safeRedirectPath(null, "/my-base")).toBe("/my-base");
    expect(safeRedirectPath(undefined)).toBe("/workbench");
    expect(safeRedirectPath("/x".repeat(1001))).toBe("/workbench");
  });
});
