/** Limits for reading an untrusted ZIP (an uploaded XLSX is one). */
export interface ZipLimits {
  /** Entries in the central directory. */
  maxEntries: number;
  /** Bytes one entry may inflate to. */
  maxEntryBytes: number;
  /** Bytes all entries together may inflate to. */
  maxTotalBytes: number;
}

export type ZipViolation =
  | { kind: "entries"; limit: number }
  | { kind: "entry"; entry: string; limit: number }
  | { kind: "total"; limit: number };

/**
 * Counts what a ZIP has inflated so far and names the first limit it passes. The counts are of
 * bytes actually inflated, so a lying header cannot hide a bomb; a declared size over a limit is
 * refused up front, before any inflating.
 */
export class ZipBudget {
  #entries = 0;
  #entryBytes = 0;
  #entryName = "";
  #totalBytes = 0;

  constructor(readonly limits: ZipLimits) {}

  /** A new entry begins. */
  startEntry(name: string, declaredBytes: number): ZipViolation | null {
    this.#entries++;
    this.#entryName = name;
    this.#entryBytes = 0;
    if (this.#entries > this.limits.maxEntries) return { kind: "entries", limit: this.limits.maxEntries };
    if (declaredBytes > this.limits.maxEntryBytes)
      return { kind: "entry", entry: name, limit: this.limits.maxEntryBytes };
    if (this.#totalBytes + declaredBytes > this.limits.maxTotalBytes)
      return { kind: "total", limit: this.limits.maxTotalBytes };
    return null;
  }

  /** `n` more bytes of the current entry were inflated. */
  addBytes(n: number): ZipViolation | null {
    this.#entryBytes += n;
    this.#totalBytes += n;
    if (this.#entryBytes > this.limits.maxEntryBytes)
      return { kind: "entry", entry: this.#entryName, limit: this.limits.maxEntryBytes };
    if (this.#totalBytes > this.limits.maxTotalBytes)
      return { kind: "total", limit: this.limits.maxTotalBytes };
    return null;
  }

  get totalBytes(): number {
    return this.#totalBytes;
  }
}

const MB = 1024 * 1024;

/** "20 MB", "512 KB": a limit as people read it. */
export function formatBytes(n: number): string {
  if (n >= MB && n % MB === 0) return `${n / MB} MB`;
  if (n >= MB) return `${(n / MB).toFixed(1)} MB`;
  return `${Math.ceil(n / 1024)} KB`;
}

/** A Chinese message naming the limit passed. */
export function zipViolationMessage(v: ZipViolation): string {
  switch (v.kind) {
    case "entries":
      return `压缩文件包含的部件超过${v.limit}个，无法读取`;
    case "entry":
      return `压缩文件中的“${v.entry}”解压后超过 ${formatBytes(v.limit)}，请拆分后再上传`;
    case "total":
      return `压缩文件解压后总计超过 ${formatBytes(v.limit)}，请拆分后再上传`;
  }
}
