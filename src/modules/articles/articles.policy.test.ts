import { describe, expect, it } from "vitest";
import type { SessionUser } from "#src/platform/context.ts";
import type { Role } from "#src/platform/db/schema.ts";
import {
  type ArticleActor,
  type ArticleFacts,
  canEditArticle,
  canModerate,
  canReadArticle,
  canRecallArticle,
  canReviewArticle,
  canUnpublishArticle,
  isOwnArticle,
} from "./articles.policy.ts";

const KECHENG = "330802";
const LONGYOU = "330825";
const CITY = ["330800", KECHENG, LONGYOU];

function actor(role: Role, id: string, opts: { base?: string; scope?: string[] } = {}): ArticleActor {
  const user: SessionUser = {
    id,
    role,
    displayName: id,
    login: id,
    regionCode: role === "county" || role === "org" ? KECHENG : "330800",
    mustChangePassword: false,
  };
  return { user, ownBaseId: opts.base ?? null, scope: opts.scope ?? [] };
}

const baseArticle = (status: ArticleFacts["status"], regionCode = KECHENG): ArticleFacts => ({
  authorId: "org-1",
  baseId: "base-1",
  regionCode,
  status,
});

const org = actor("org", "org-1", { base: "base-1" });
const colleague = actor("org", "org-2", { base: "base-1" });
const otherOrg = actor("org", "org-3", { base: "base-2" });
const kecheng = actor("county", "kc", { scope: [KECHENG] });
const longyou = actor("county", "ly", { scope: [LONGYOU] });
const city = actor("city", "city", { scope: CITY });
const office = actor("office", "office", { scope: CITY });
const evaluator = actor("evaluator", "ev", { scope: CITY });
const school = actor("school", "sc");
const admin = actor("admin", "admin", { scope: CITY });

describe("an article's authors", () => {
  it("every account of the base owns the base's article; another base's does not", () => {
    expect(isOwnArticle(org, baseArticle("draft"))).toBe(true);
    expect(isOwnArticle(colleague, baseArticle("draft"))).toBe(true);
    expect(isOwnArticle(otherOrg, baseArticle("draft"))).toBe(false);
    expect(isOwnArticle(kecheng, baseArticle("draft"))).toBe(false);
  });

  it("a staff article belongs to its author only", () => {
    const mine: ArticleFacts = { authorId: "kc", baseId: null, regionCode: KECHENG, status: "draft" };
    expect(isOwnArticle(kecheng, mine)).toBe(true);
    expect(isOwnArticle(actor("county", "kc2", { scope: [KECHENG] }), mine)).toBe(false);
    // An organization never owns a staff article, even one whose id matched.
    expect(isOwnArticle(actor("org", "kc", { base: "x" }), mine)).toBe(false);
  });

  it("roles without the write permission own nothing", () => {
    for (const who of [evaluator, school, admin])
      expect(isOwnArticle(who, { ...baseArticle("draft"), authorId: who.user.id, baseId: null })).toBe(false);
  });

  it("edits only a draft or a returned article", () => {
    expect(canEditArticle(org, baseArticle("draft"))).toBe(true);
    expect(canEditArticle(org, baseArticle("returned"))).toBe(true);
    expect(canEditArticle(org, baseArticle("submitted"))).toBe(false);
    expect(canEditArticle(org, baseArticle("published"))).toBe(false);
    expect(canEditArticle(otherOrg, baseArticle("draft"))).toBe(false);
  });
});

describe("moderation", () => {
  it("a county reviews its own county's articles only; the city and the office every county's", () => {
    expect(canReviewArticle(kecheng, baseArticle("submitted"))).toBe(true);
    expect(canReviewArticle(longyou, baseArticle("submitted"))).toBe(false);
    expect(canReviewArticle(city, baseArticle("submitted"))).toBe(true);
    expect(canReviewArticle(office, baseArticle("submitted", LONGYOU))).toBe(true);
  });

  it("only a submitted article is reviewed", () => {
    for (const s of ["draft", "returned", "published"] as const)
      expect(canReviewArticle(kecheng, baseArticle(s))).toBe(false);
  });

  it("nobody reviews an article of their own", () => {
    const mine: ArticleFacts = { authorId: "kc", baseId: null, regionCode: KECHENG, status: "submitted" };
    expect(canModerate(kecheng, mine)).toBe(true);
    expect(canReviewArticle(kecheng, mine)).toBe(false);
    expect(canReviewArticle(office, mine)).toBe(true);
  });

  it("roles without the review permission never moderate, whatever their scope", () => {
    for (const who of [org, evaluator, school, admin]) {
      expect(canModerate({ ...who, scope: CITY }, baseArticle("submitted"))).toBe(false);
      expect(canReviewArticle({ ...who, scope: CITY }, baseArticle("submitted"))).toBe(false);
    }
  });
});

describe("reading", () => {
  it("anyone reads a published article", () => {
    expect(canReadArticle(null, baseArticle("published"))).toBe(true);
    expect(canReadArticle(school, baseArticle("published"))).toBe(true);
  });

  it("before that: the authors, and the moderators in scope once it is submitted", () => {
    expect(canReadArticle(null, baseArticle("submitted"))).toBe(false);
    expect(canReadArticle(org, baseArticle("draft"))).toBe(true);
    expect(canReadArticle(otherOrg, baseArticle("submitted"))).toBe(false);
    expect(canReadArticle(kecheng, baseArticle("draft"))).toBe(false);
    expect(canReadArticle(kecheng, baseArticle("submitted"))).toBe(true);
    expect(canReadArticle(kecheng, baseArticle("returned"))).toBe(true);
    expect(canReadArticle(longyou, baseArticle("submitted"))).toBe(false);
  });
});

describe("撤回 and 下线", () => {
  it("only the base's accounts recall, and only while the article waits for review", () => {
    expect(canRecallArticle(org, baseArticle("submitted"))).toBe(true);
    expect(canRecallArticle(colleague, baseArticle("submitted"))).toBe(true);
    for (const s of ["draft", "returned", "published"] as const)
      expect(canRecallArticle(org, baseArticle(s)), s).toBe(false);
    for (const who of [otherOrg, kecheng, city, office, admin])
      expect(canRecallArticle(who, baseArticle("submitted")), who.user.id).toBe(false);
  });

  it("a published article is taken offline by its authors or a moderator in scope, nobody else", () => {
    for (const who of [org, colleague, kecheng, city, office])
      expect(canUnpublishArticle(who, baseArticle("published")), who.user.id).toBe(true);
    for (const who of [otherOrg, longyou, evaluator, school])
      expect(canUnpublishArticle(who, baseArticle("published")), who.user.id).toBe(false);
    for (const s of ["draft", "submitted", "returned"] as const)
      expect(canUnpublishArticle(city, baseArticle(s)), s).toBe(false);
  });
});
