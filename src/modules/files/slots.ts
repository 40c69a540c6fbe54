/**
 * Upload slots: where a file may go, what it may be, how large and how many.
 * Pure data and rules (no I/O), shared by the upload route, the UI and submit-time checks.
 */

export type FileKind = "image" | "pdf" | "video" | "document";

export const KIND_LABELS: Record<FileKind, string> = {
  image: "图片",
  pdf: "PDF",
  video: "视频",
  document: "文档",
};

/**
 * MIME types accepted for each kind, as `file-type` reports them from the magic bytes.
 * HEIC (iPhone) is absent on purpose: the bundled libvips cannot decode HEVC, so it cannot be re-encoded.
 */
export const KIND_MIMES: Record<FileKind, readonly string[]> = {
  image: ["image/jpeg", "image/png", "image/webp", "image/avif"],
  pdf: ["application/pdf"],
  video: ["video/mp4", "video/quicktime", "video/webm", "video/x-m4v"],
  document: [
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
    // Legacy Office and WPS files are OLE compound files; the extension decides the served type.
    "application/x-cfb",
  ],
};

/** File-name extensions shown to users in the slot hint (the type itself is checked from the bytes). */
export const KIND_EXTENSIONS: Record<FileKind, readonly string[]> = {
  image: ["jpg", "jpeg", "png", "webp", "avif"],
  pdf: ["pdf"],
  video: ["mp4", "mov", "webm", "m4v"],
  document: ["doc", "docx", "xls", "xlsx", "ppt", "pptx", "wps", "et", "dps", "odt", "ods", "odp"],
};

export function kindOfMime(mime: string): FileKind | null {
  for (const kind of Object.keys(KIND_MIMES) as FileKind[]) {
    if (KIND_MIMES[kind].includes(mime)) return kind;
  }
  return null;
}

/** Per-file size limits for each kind, in bytes. */
export type UploadLimits = Record<FileKind, number>;

const MB = 1024 * 1024;

export const DEFAULT_UPLOAD_LIMITS: UploadLimits = {
  image: 10 * MB,
  pdf: 20 * MB,
  video: 500 * MB,
  document: 20 * MB,
};

const LIMIT_ENV: Record<FileKind, string> = {
  image: "KEPU_MAX_PHOTO_MB",
  pdf: "KEPU_MAX_PDF_MB",
  video: "KEPU_MAX_VIDEO_MB",
  document: "KEPU_MAX_DOCUMENT_MB",
};

/** The defaults, overridden by KEPU_MAX_PHOTO_MB, KEPU_MAX_PDF_MB, KEPU_MAX_VIDEO_MB, KEPU_MAX_DOCUMENT_MB. */
export function uploadLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): UploadLimits {
  const limits = { ...DEFAULT_UPLOAD_LIMITS };
  for (const kind of Object.keys(LIMIT_ENV) as FileKind[]) {
    const raw = env[LIMIT_ENV[kind]];
    if (raw === undefined || raw.trim() === "") continue;
    const mb = Number(raw);
    if (!Number.isFinite(mb) || mb <= 0) throw new Error(`${LIMIT_ENV[kind]} 无效：${raw}`);
    limits[kind] = Math.floor(mb * MB);
  }
  return limits;
}

export interface SlotDef {
  id: string;
  /** Chinese label, as on the form. */
  label: string;
  kinds: readonly FileKind[];
  /** Fewest files needed at submit time. */
  min: number;
  /** Most files allowed; enforced at upload time. */
  max: number;
  /** A fixed per-file cap for this slot, instead of the per-kind limits. */
  maxBytes?: number;
}

/**
 * The platform's shared slot definitions, by id. An owner type picks them by id when it registers
 * (`registerFileOwner`) or brings its own; the registry is keyed by owner type and slot id, so two
 * features may use the same slot id with different rules.
 */
export const SLOT_DEFS: readonly SlotDef[] = [
  { id: "stamped_form", label: "盖章的申报表", kinds: ["pdf"], min: 1, max: 1 },
  { id: "overview_photos", label: "基地概况照片", kinds: ["image"], min: 3, max: 5 },
  { id: "activity_photos", label: "科普活动照片", kinds: ["image"], min: 3, max: 5 },
  { id: "volunteer_proof", label: "科技志愿服务队注册情况", kinds: ["image", "pdf"], min: 1, max: 5 },
  { id: "honors", label: "所获荣誉", kinds: ["image", "pdf"], min: 0, max: 10 },
  { id: "others", label: "其他", kinds: ["image", "pdf", "document", "video"], min: 0, max: 10 },
  { id: "site_inspection_photos", label: "实地核查照片", kinds: ["image"], min: 0, max: 10 },
  { id: "call_documents", label: "通知附件", kinds: ["pdf", "document", "image"], min: 0, max: 10 },
  { id: "base_photos", label: "基地照片", kinds: ["image"], min: 0, max: 9 },
  { id: "revocation_evidence", label: "撤销依据材料", kinds: ["pdf", "image", "document"], min: 0, max: 10 },
  { id: "change_evidence", label: "变更证明材料", kinds: ["pdf", "image", "document"], min: 0, max: 10 },
  { id: "objection_evidence", label: "异议证明材料", kinds: ["pdf", "image"], min: 0, max: 5 },
  { id: "org_license", label: "营业执照或事业单位法人证书", kinds: ["pdf", "image"], min: 1, max: 3 },
  { id: "org_authorization", label: "授权委托书", kinds: ["pdf", "image"], min: 1, max: 3 },
];

/** A shared definition by id (for pages that show a slot); undefined when there is none. */
export function catalogSlot(id: string): SlotDef | undefined {
  return SLOT_DEFS.find((s) => s.id === id);
}

const REGISTRY = Symbol.for("kepu.files.slots");

/** The application's slots, in form order. */
export const APPLICATION_SLOT_IDS = [
  "stamped_form",
  "overview_photos",
  "activity_photos",
  "volunteer_proof",
  "honors",
  "others",
] as const;

/** The application's slot definitions (附件2 “上传相关证明材料”), in form order. */
export const APPLICATION_SLOT_DEFS: readonly SlotDef[] = APPLICATION_SLOT_IDS.map((id) => catalogSlot(id)!);

/**
 * One registry per process, kept on globalThis: in development the Express server and Vite's SSR loader
 * each import this module, and both must see the same slots. Keyed `ownerType/slotId`.
 */
const globalRegistry = globalThis as { [REGISTRY]?: Map<string, SlotDef> };
globalRegistry[REGISTRY] ??= new Map<string, SlotDef>();
const registry = globalRegistry[REGISTRY];

const keyOf = (ownerType: string, slotId: string) => `${ownerType}/${slotId}`;

function sameDef(a: SlotDef, b: SlotDef): boolean {
  return (
    a.label === b.label &&
    a.min === b.min &&
    a.max === b.max &&
    a.maxBytes === b.maxBytes &&
    a.kinds.join(",") === b.kinds.join(",")
  );
}

/**
 * Adds a slot to an owner type. A second, different definition for the same owner type and slot id
 * throws (at start), rather than silently changing another feature's rules; registering the very same
 * definition again (a second app in one process) is harmless.
 */
export function registerSlot(ownerType: string, def: SlotDef): void {
  if (!/^[a-z][a-z0-9_]*$/.test(def.id)) throw new Error(`invalid slot id: ${def.id}`);
  if (def.min < 0 || def.max < def.min || def.kinds.length === 0) throw new Error(`invalid slot: ${def.id}`);
  const key = keyOf(ownerType, def.id);
  const existing = registry.get(key);
  if (existing && !sameDef(existing, def)) throw new Error(`duplicate slot registration: ${key}`);
  registry.set(key, { ...def, kinds: [...def.kinds] });
}

/** The slot `slotId` of `ownerType`, as registered. */
export function getSlot(ownerType: string, slotId: string): SlotDef | undefined {
  return registry.get(keyOf(ownerType, slotId));
}

export function allowedMimes(slot: SlotDef): string[] {
  return slot.kinds.flatMap((k) => KIND_MIMES[k]);
}

/** The per-file limit for a file of `kind` in `slot`. */
export function maxBytesFor(slot: SlotDef, kind: FileKind, limits: UploadLimits): number {
  return slot.maxBytes ?? limits[kind];
}

/** The largest file the slot can take, enforced while the upload streams (before the type is known). */
export function streamLimitFor(slot: SlotDef, limits: UploadLimits): number {
  return slot.maxBytes ?? Math.max(...slot.kinds.map((k) => limits[k]));
}

/** “10 MB”, “1.5 MB”, “512 KB”: a limit as users read it. */
export function formatBytes(bytes: number): string {
  if (bytes >= MB) return `${trim(bytes / MB)} MB`;
  if (bytes >= 1024) return `${trim(bytes / 1024)} KB`;
  return `${bytes} 字节`;
}

function trim(n: number): string {
  return String(Math.round(n * 100) / 100);
}

export function tooLargeMessage(limitBytes: number): string {
  return `文件超过 ${formatBytes(limitBytes)} 的上限`;
}

/** What the slot accepts, for hints and 415 messages: “PDF 或 图片（jpg、jpeg、png、webp、avif）”. */
export function describeKinds(slot: SlotDef): string {
  return slot.kinds.map((k) => `${KIND_LABELS[k]}（${KIND_EXTENSIONS[k].join("、")}）`).join(" 或 ");
}

export type SlotCountCheck = { ok: true } | { ok: false; message: string };

/** Submit-time rule: does `count` files satisfy the slot's min/max? */
export function checkSlotCounts(slot: SlotDef, count: number): SlotCountCheck {
  if (count < slot.min) {
    const need = slot.min === slot.max ? `${slot.min}` : `至少 ${slot.min}`;
    return { ok: false, message: `「${slot.label}」需上传 ${need} 个文件，当前 ${count} 个` };
  }
  if (count > slot.max) {
    return { ok: false, message: `「${slot.label}」最多上传 ${slot.max} 个文件，当前 ${count} 个` };
  }
  return { ok: true };
}

/** `checkSlotCounts` over several slots: field errors keyed by slot id (empty when all pass). */
export function checkAllSlotCounts(
  slots: readonly SlotDef[],
  counts: Readonly<Record<string, number>>,
): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const slot of slots) {
    const r = checkSlotCounts(slot, counts[slot.id] ?? 0);
    if (!r.ok) errors[slot.id] = r.message;
  }
  return errors;
}

/** Upload-time rule: may one more file go into a slot that holds `current`? */
export function canAddToSlot(slot: SlotDef, current: number): SlotCountCheck {
  if (current >= slot.max) {
    return { ok: false, message: `「${slot.label}」最多上传 ${slot.max} 个文件，请先删除后再上传` };
  }
  return { ok: true };
}
