import { describe, expect, it } from "vitest";
import type { SessionUser } from "#src/platform/context.ts";
import type { Role } from "#src/platform/db/schema.ts";
import { assignableRoles, can } from "./accounts.policy.ts";

const user = (role: Role, extra: Partial<SessionUser> = {}): SessionUser => ({
  id: "u",
  role,
  displayName: "x",
  login: "x",
  regionCode: "330800",
  mustChangePassword: false,
  ...extra,
});

describe("can", () => {
  it("lets only admins manage users and read the audit log", () => {
    for (const role of ["org", "county", "city", "office", "evaluator"] as Role[]) {
      expect(can(user(role), "users:manage")).toBe(false);
      expect(can(user(role), "audit:read")).toBe(false);
    }
    expect(can(user("admin"), "users:manage")).toBe(true);
    expect(can(user("admin"), "audit:read")).toBe(true);
  });

  it("lets staff read users but not orgs or evaluators", () => {
    expect(can(user("county"), "users:read")).toBe(true);
    expect(can(user("org"), "users:read")).toBe(false);
    expect(can(user("evaluator"), "users:read")).toBe(false);
  });

  it("denies everything until a forced password change is done", () => {
    expect(can(user("admin", { mustChangePassword: true }), "users:manage")).toBe(false);
  });

  it("denies the anonymous", () => {
    expect(can(null, "users:read")).toBe(false);
  });

  it("lets an admin assign every role and others none", () => {
    expect(assignableRoles(user("admin"))).toHaveLength(6);
    expect(assignableRoles(user("office"))).toEqual([]);
  });
});
