import { AppError } from "../errors.ts";
import {
  formatBytes,
  readZipBounded,
  ZipFormatError,
  ZipLimitError,
  type ZipLimits,
} from "../zip/bounded-zip.server.ts";

/** An uploaded workbook: every part inflated and counted before any XLSX parser sees it. */
export const XLSX_UPLOAD_LIMITS: ZipLimits = {
  // A workbook from Excel or WPS has a dozen parts; a few hundred leaves room for many sheets.
  maxEntries: 200,
  // 5000 rows of 18 columns, long introductions included, are well under this.
  maxEntryBytes: 20 * 1024 * 1024,
  maxTotalBytes: 40 * 1024 * 1024,
};

/**
 * Checks an uploaded XLSX within `limits` (actual inflated bytes, not the sizes it declares) and
 * refuses it with a message naming the limit. Run before ExcelJS, which inflates whole parts into
 * memory.
 */
export async function assertXlsxWithinLimits(
  buffer: Buffer,
  limits: ZipLimits = XLSX_UPLOAD_LIMITS,
  unreadable = "无法读取该文件，请上传 Excel（.xlsx）文件",
): Promise<void> {
  try {
    await readZipBounded(buffer, limits);
  } catch (e) {
    if (e instanceof ZipFormatError) throw new AppError("VALIDATION", unreadable);
    if (!(e instanceof ZipLimitError)) throw e;
    const v = e.violation;
    if (v.kind === "entries")
      throw new AppError(
        "VALIDATION",
        `文件包含的部件超过${v.limit}个，不是常规的 Excel 文件，请另存后再导入`,
      );
    if (v.kind === "total")
      throw new AppError("VALIDATION", `文件解压后超过 ${formatBytes(v.limit)}，请拆分后再导入`);
    const what = /^xl\/worksheets\//.test(v.entry)
      ? "工作表"
      : /sharedStrings/.test(v.entry)
        ? "文件中的文字"
        : `文件中的“${v.entry.slice(0, 60)}”`;
    throw new AppError("VALIDATION", `${what}解压后超过 ${formatBytes(v.limit)}，请拆分后再导入`);
  }
}
