import { describe, expect, it } from "vitest";
import { registerFileOwner } from "./owners.ts";
import {
  APPLICATION_SLOT_DEFS,
  APPLICATION_SLOT_IDS,
  allowedMimes,
  canAddToSlot,
  catalogSlot,
  checkAllSlotCounts,
  checkSlotCounts,
  DEFAULT_UPLOAD_LIMITS,
  describeKinds,
  formatBytes,
  getSlot,
  kindOfMime,
  maxBytesFor,
  registerSlot,
  streamLimitFor,
  tooLargeMessage,
  uploadLimitsFromEnv,
} from "./slots.ts";

const MB = 1024 * 1024;
const slot = (id: string) => catalogSlot(id)!;

describe("slot definitions", () => {
  it("defines the 附件2 attachment slots with their counts and kinds", () => {
    const summary = APPLICATION_SLOT_IDS.map((id) => {
      const s = catalogSlot(id)!;
      return [id, s.label, s.kinds.join("+"), s.min, s.max];
    });
    expect(summary).toEqual([
      ["stamped_form", "盖章的申报表", "pdf", 1, 1],
      ["overview_photos", "基地概况照片", "image", 3, 5],
      ["activity_photos", "科普活动照片", "image", 3, 5],
      ["volunteer_proof", "科技志愿服务队注册情况", "image+pdf", 1, 5],
      ["honors", "所获荣誉", "image+pdf", 0, 10],
      ["others", "其他", "image+pdf+document+video", 0, 10],
    ]);
    expect(catalogSlot("site_inspection_photos")).toMatchObject({ kinds: ["image"], min: 0, max: 10 });
    expect(catalogSlot("nope")).toBeUndefined();
  });

  it("allows only the MIME types of the slot's kinds", () => {
    expect(allowedMimes(catalogSlot("stamped_form")!)).toEqual(["application/pdf"]);
    const photos = allowedMimes(catalogSlot("overview_photos")!);
    expect(photos).toContain("image/jpeg");
    expect(photos).toContain("image/png");
    expect(photos).not.toContain("application/pdf");
    expect(photos).not.toContain("image/heic");
    expect(photos).not.toContain("image/svg+xml");
    expect(allowedMimes(catalogSlot("others")!)).toContain(
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    );
  });

  it("maps a MIME type to its kind", () => {
    expect(kindOfMime("image/webp")).toBe("image");
    expect(kindOfMime("application/pdf")).toBe("pdf");
    expect(kindOfMime("video/mp4")).toBe("video");
    expect(kindOfMime("application/x-cfb")).toBe("document");
    expect(kindOfMime("text/html")).toBeNull();
  });

  it("describes what a slot accepts in Chinese", () => {
    expect(describeKinds(catalogSlot("volunteer_proof")!)).toBe(
      "图片（jpg、jpeg、png、webp、avif） 或 PDF（pdf）",
    );
  });

  it("registers slots per owner type and refuses malformed ones", () => {
    registerSlot("unit_owner", {
      id: "unit_test_slot",
      label: "测试",
      kinds: ["pdf"],
      min: 0,
      max: 2,
      maxBytes: 100,
    });
    expect(getSlot("unit_owner", "unit_test_slot")?.maxBytes).toBe(100);
    expect(getSlot("other_owner", "unit_test_slot")).toBeUndefined();
    expect(() =>
      registerSlot("unit_owner", { id: "Bad-Id", label: "x", kinds: ["pdf"], min: 0, max: 1 }),
    ).toThrow();
    expect(() =>
      registerSlot("unit_owner", { id: "bad_counts", label: "x", kinds: ["pdf"], min: 3, max: 1 }),
    ).toThrow();
    expect(() =>
      registerSlot("unit_owner", { id: "no_kinds", label: "x", kinds: [], min: 0, max: 1 }),
    ).toThrow();
  });

  it("keeps the same slot id apart for two owner types (an activity's photos are not the application's)", () => {
    const hooks = { canRead: async () => null, canWrite: async () => null };
    registerFileOwner("unit_application", { ...hooks, slots: [...APPLICATION_SLOT_IDS] });
    registerFileOwner("unit_activity", {
      ...hooks,
      slots: [{ id: "activity_photos", label: "活动图片", kinds: ["image"], min: 1, max: 20 }],
    });
    expect(getSlot("unit_application", "activity_photos")).toMatchObject({ min: 3, max: 5 });
    expect(getSlot("unit_activity", "activity_photos")).toMatchObject({ min: 1, max: 20 });
  });

  it("throws on a second, different registration of an owner's slot id, and on a slot listed twice", () => {
    const def = { id: "dup_slot", label: "重复", kinds: ["image"] as const, min: 0, max: 3 };
    registerSlot("dup_owner", { ...def, kinds: [...def.kinds] });
    // The very same definition again (a second app in one process) is harmless.
    expect(() => registerSlot("dup_owner", { ...def, kinds: [...def.kinds] })).not.toThrow();
    expect(() => registerSlot("dup_owner", { ...def, kinds: [...def.kinds], max: 20 })).toThrow(
      /duplicate slot registration: dup_owner\/dup_slot/,
    );
    expect(getSlot("dup_owner", "dup_slot")?.max).toBe(3);
    const hooks = { canRead: async () => null, canWrite: async () => null };
    expect(() =>
      registerFileOwner("dup_owner2", {
        ...hooks,
        slots: [
          "activity_photos",
          { id: "activity_photos", label: "活动图片", kinds: ["image"], min: 1, max: 20 },
        ],
      }),
    ).toThrow(/duplicate slot registration/);
    expect(() => registerFileOwner("dup_owner3", { ...hooks, slots: ["no_such_slot"] })).toThrow(
      /unknown slot/,
    );
  });
});

describe("size limits", () => {
  it("defaults to 10 MB photos, 20 MB PDFs, 500 MB videos", () => {
    expect(uploadLimitsFromEnv({})).toEqual(DEFAULT_UPLOAD_LIMITS);
    expect(DEFAULT_UPLOAD_LIMITS).toMatchObject({ image: 10 * MB, pdf: 20 * MB, video: 500 * MB });
  });

  it("takes overrides from the environment and rejects nonsense", () => {
    const limits = uploadLimitsFromEnv({
      KEPU_MAX_PHOTO_MB: "5",
      KEPU_MAX_PDF_MB: "0.5",
      KEPU_MAX_VIDEO_MB: "",
    });
    expect(limits).toMatchObject({ image: 5 * MB, pdf: MB / 2, video: 500 * MB });
    expect(() => uploadLimitsFromEnv({ KEPU_MAX_PHOTO_MB: "abc" })).toThrow(/KEPU_MAX_PHOTO_MB/);
    expect(() => uploadLimitsFromEnv({ KEPU_MAX_VIDEO_MB: "-1" })).toThrow();
  });

  it("streams up to the largest kind of a slot, then applies the kind's own limit", () => {
    const proof = catalogSlot("volunteer_proof")!;
    expect(streamLimitFor(proof, DEFAULT_UPLOAD_LIMITS)).toBe(20 * MB);
    expect(maxBytesFor(proof, "image", DEFAULT_UPLOAD_LIMITS)).toBe(10 * MB);
    expect(maxBytesFor(proof, "pdf", DEFAULT_UPLOAD_LIMITS)).toBe(20 * MB);
    const fixed = { id: "x", label: "x", kinds: ["image", "pdf"] as const, min: 0, max: 1, maxBytes: 1000 };
    expect(streamLimitFor(fixed, DEFAULT_UPLOAD_LIMITS)).toBe(1000);
    expect(maxBytesFor(fixed, "pdf", DEFAULT_UPLOAD_LIMITS)).toBe(1000);
  });

  it("formats limits for messages", () => {
    expect(formatBytes(10 * MB)).toBe("10 MB");
    expect(formatBytes(1.5 * MB)).toBe("1.5 MB");
    expect(formatBytes(4096)).toBe("4 KB");
    expect(formatBytes(100)).toBe("100 字节");
    expect(tooLargeMessage(20 * MB)).toBe("文件超过 20 MB 的上限");
  });
});

describe("checkSlotCounts", () => {
  it("needs exactly one stamped form", () => {
    expect(checkSlotCounts(slot("stamped_form"), 1)).toEqual({ ok: true });
    expect(checkSlotCounts(slot("stamped_form"), 0)).toEqual({
      ok: false,
      message: "「盖章的申报表」需上传 1 个文件，当前 0 个",
    });
    expect(checkSlotCounts(slot("stamped_form"), 2)).toMatchObject({
      ok: false,
      message: expect.stringContaining("最多上传 1 个"),
    });
  });

  it("needs 3 to 5 overview photos", () => {
    expect(checkSlotCounts(slot("overview_photos"), 2)).toEqual({
      ok: false,
      message: "「基地概况照片」需上传 至少 3 个文件，当前 2 个",
    });
    expect(checkSlotCounts(slot("overview_photos"), 3).ok).toBe(true);
    expect(checkSlotCounts(slot("overview_photos"), 5).ok).toBe(true);
    expect(checkSlotCounts(slot("overview_photos"), 6).ok).toBe(false);
  });

  it("lets optional slots be empty", () => {
    expect(checkSlotCounts(slot("honors"), 0).ok).toBe(true);
    expect(checkSlotCounts(slot("others"), 10).ok).toBe(true);
    expect(checkSlotCounts(slot("others"), 11).ok).toBe(false);
    expect(checkSlotCounts(slot("volunteer_proof"), 0).ok).toBe(false);
  });

  it("collects field errors over all application slots", () => {
    const errors = checkAllSlotCounts(APPLICATION_SLOT_DEFS, {
      stamped_form: 1,
      overview_photos: 2,
      activity_photos: 4,
    });
    expect(Object.keys(errors)).toEqual(["overview_photos", "volunteer_proof"]);
    expect(
      checkAllSlotCounts(APPLICATION_SLOT_DEFS, {
        stamped_form: 1,
        overview_photos: 3,
        activity_photos: 5,
        volunteer_proof: 1,
      }),
    ).toEqual({});
  });

  it("checks room for one more file at upload time", () => {
    const form = catalogSlot("stamped_form")!;
    expect(canAddToSlot(form, 0).ok).toBe(true);
    expect(canAddToSlot(form, 1)).toEqual({
      ok: false,
      message: "「盖章的申报表」最多上传 1 个文件，请先删除后再上传",
    });
  });
});
