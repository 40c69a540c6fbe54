import { describe, expect, it } from "vitest";
import { maskRecipient } from "./mask.rules.ts";

describe("maskRecipient", () => {
  it("keeps only the last 4 digits of a phone", () => {
    expect(maskRecipient("sms", "13812345678")).toBe("*******5678");
    expect(maskRecipient("sms", "0570-3027351")).toBe("*******7351");
    expect(maskRecipient("sms", "123")).toBe("****");
  });
  it("keeps the first character and the domain of an email", () => {
    expect(maskRecipient("email", "zhang.san@example.cn")).toBe("z***@example.cn");
    expect(maskRecipient("email", "broken")).toBe("***");
  });
});
