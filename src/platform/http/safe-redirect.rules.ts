const BASE = "http://kepu.invalid";
/** C0 and C1 controls (tab and newline included) and backslashes, which browsers read as "/". */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters refused
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\\]/;

/**
 * A same-site path to send the user to after signing in, or the fallback. The value is checked as
 * given and after percent-decoding (repeatedly, so double encoding hides nothing): it must be a
 * plain path that starts with one "/", holds no control character or backslash, and resolves to
 * this origin.
 */
export function safeRedirectPath(to: unknown, fallback = "/workbench"): string {
  if (typeof to !== "string" || to.length === 0 || to.length > 2000) return fallback;
  const forms = [to];
  let current = to;
  for (let i = 0; i < 3; i++) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(current);
    } catch {
      return fallback;
    }
    if (decoded === current) break;
    forms.push(decoded);
    current = decoded;
  }
  for (const form of forms) {
    if (!form.startsWith("/") || form.startsWith("//") || UNSAFE.test(form)) return fallback;
  }
  let url: URL;
  try {
    url = new URL(to, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE) return fallback;
  return url.pathname + url.search + url.hash;
}
