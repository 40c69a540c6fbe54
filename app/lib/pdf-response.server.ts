/**
 * A generated PDF as a private download: the ASCII fallback name for old clients, the Chinese name as
 * RFC 5987 `filename*`, and never cached (it can hold personal data).
 */
export function pdfResponse(
  pdf: Uint8Array,
  name: { ascii: string; chinese: string },
  disposition: "inline" | "attachment",
): Response {
  return new Response(new Uint8Array(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `${disposition}; filename="${name.ascii}"; filename*=UTF-8''${encodeURIComponent(name.chinese)}`,
      "Content-Length": String(pdf.length),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
