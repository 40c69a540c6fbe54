import { describe, expect, it } from "vitest";
import { acceptsObjections, noticePhase } from "./notices.rules.ts";
import { newObjectionRef } from "./objection-ref.server.ts";

const notice = {
  kind: "proposed" as const,
  status: "open" as const,
  starts_at: "2023-09-28T16:00:00.000Z",
  ends_at: "2023-10-11T16:00:00.000Z",
};

describe("noticePhase", () => {
  it("is upcoming, then open, then ended at the end instant", () => {
    expect(noticePhase(notice, new Date("2023-09-28T15:59:59Z")).code).toBe("upcoming");
    expect(noticePhase(notice, new Date("2023-09-28T16:00:00Z")).code).toBe("open");
    expect(noticePhase(notice, new Date("2023-10-11T15:59:59Z")).code).toBe("open");
    expect(noticePhase(notice, new Date("2023-10-11T16:00:00Z")).code).toBe("ended");
  });

  it("is ended once the job closed it, and named after naming", () => {
    expect(noticePhase({ ...notice, status: "closed" }, new Date("2023-10-01T00:00:00Z")).code).toBe("ended");
    expect(noticePhase({ ...notice, status: "named" }, new Date("2023-10-01T00:00:00Z")).code).toBe("named");
    expect(noticePhase({ ...notice, kind: "naming" }, new Date()).code).toBe("announcement");
  });

  it("accepts objections only while open", () => {
    expect(acceptsObjections(notice, new Date("2023-10-05T00:00:00Z"))).toBe(true);
    expect(acceptsObjections(notice, new Date("2023-10-12T00:00:00Z"))).toBe(false);
    expect(acceptsObjections({ ...notice, kind: "naming" }, new Date("2023-10-05T00:00:00Z"))).toBe(false);
  });
});

describe("newObjectionRef", () => {
  it("carries the Shanghai date and six unambiguous characters", () => {
    const ref = newObjectionRef(new Date("2023-10-08T17:00:00Z"));
    expect(ref).toMatch(/^YY20231009-[2-9A-HJKMNP-Z]{6}$/);
    const many = new Set(Array.from({ length: 200 }, () => newObjectionRef(new Date())));
    expect(many.size).toBe(200);
  });
});
