/** The current list's query string without its page: an export takes every page of the same filters. */
export function exportQuery(sp: URLSearchParams): string {
  const q = new URLSearchParams(sp);
  q.delete("page");
  const s = q.toString();
  return s ? `?${s}` : "";
}
