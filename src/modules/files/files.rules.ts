/** Pure rules for file names and download headers (no I/O). */

const MAX_NAME_CHARS = 120;

/** The usual extension for each stored type; the first is used when a name lacks a fitting one. */
const EXTENSIONS: Record<string, readonly string[]> = {
  "image/jpeg": ["jpg", "jpeg"],
  "image/png": ["png"],
  "application/pdf": ["pdf"],
  "video/mp4": ["mp4"],
  "video/quicktime": ["mov"],
  "video/webm": ["webm"],
  "video/x-m4v": ["m4v", "mp4"],
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ["docx"],
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ["xlsx"],
  "application/vnd.openxmlformats-officedocument.presentationml.presentation": ["pptx"],
  "application/vnd.oasis.opendocument.text": ["odt"],
  "application/vnd.oasis.opendocument.spreadsheet": ["ods"],
  "application/vnd.oasis.opendocument.presentation": ["odp"],
};

/** OLE compound files: the served type follows the extension; other extensions are refused. */
const CFB_TYPES: Record<string, string> = {
  doc: "application/msword",
  xls: "application/vnd.ms-excel",
  ppt: "application/vnd.ms-powerpoint",
  wps: "application/vnd.ms-works",
  et: "application/vnd.ms-excel",
  dps: "application/vnd.ms-powerpoint",
};

export function extensionOf(name: string): string {
  const m = /\.([A-Za-z0-9]{1,8})$/.exec(name);
  return m ? m[1].toLowerCase() : "";
}

/**
 * A display name safe to store and send back: no directories (browsers may send `C:\fakepath\…`),
 * no control or bidi-override characters, NFC, at most 120 characters, never empty.
 */
export function sanitizeFileName(raw: string | undefined | null): string {
  let name = (raw ?? "").normalize("NFC");
  name = name.split(/[\\/]/).pop() ?? "";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  name = name.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, "");
  name = name.replace(/^[\s.]+/, "").trim();
  if (!name) name = "file";
  if ([...name].length > MAX_NAME_CHARS) {
    const ext = extensionOf(name);
    const chars = [...name];
    const keep = MAX_NAME_CHARS - (ext ? ext.length + 1 : 0);
    name = chars.slice(0, keep).join("") + (ext ? `.${ext}` : "");
  }
  return name;
}

/** Replaces or appends the extension so the name matches what is actually stored. */
export function nameForStoredType(name: string, mime: string): string {
  const exts = EXTENSIONS[mime];
  if (!exts) return name;
  const ext = extensionOf(name);
  if (exts.includes(ext)) return name;
  const stem = ext ? name.slice(0, -(ext.length + 1)) : name;
  return `${stem || "file"}.${exts[0]}`;
}

/** For an OLE compound file: the MIME type its extension names, or null when it is not a known office type. */
export function cfbMimeFor(name: string): string | null {
  return CFB_TYPES[extensionOf(name)] ?? null;
}

/** RFC 5987 / RFC 8187 value: UTF-8, percent-encoded, with the characters encodeURIComponent leaves alone. */
function encodeRfc5987(value: string): string {
  return encodeURIComponent(value).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** An ASCII stand-in for old clients: non-ASCII and quoting characters become “_”. */
export function asciiFallbackName(name: string): string {
  const ext = extensionOf(name);
  const stem = ext ? name.slice(0, -(ext.length + 1)) : name;
  let ascii = stem.replace(/[^\x20-\x7e]|["\\%;]/g, "_");
  if (!/[A-Za-z0-9]/.test(ascii)) ascii = "file";
  return ext ? `${ascii}.${ext}` : ascii;
}

/** `attachment; filename="…"; filename*=UTF-8''…` (or `inline; …`). */
export function contentDisposition(
  name: string,
  disposition: "attachment" | "inline" = "attachment",
): string {
  return `${disposition}; filename="${asciiFallbackName(name)}"; filename*=UTF-8''${encodeRfc5987(name)}`;
}

/** A pixel count as people say it: 50 000 000 → "5000 万", 120 000 000 → "1.2 亿", 640 000 → "64 万". */
export function pixelCountText(pixels: number): string {
  if (pixels >= 100_000_000) return `${Number((pixels / 100_000_000).toFixed(2))} 亿`;
  if (pixels >= 10_000) return `${Number((pixels / 10_000).toFixed(1))} 万`;
  return String(pixels);
}

/** The message for an image over the decoder's pixel limit. */
export function tooManyPixelsMessage(limit: number): string {
  return `图片不能超过 ${pixelCountText(limit)}像素，请缩小后再上传`;
}
