import sanitizeHtml from "sanitize-html";

/**
 * The allowlist an article's body passes through on every save, and again before it is rendered.
 * Only structural tags the editor produces; no attribute that can carry script (no `on*`, no `style`,
 * no `srcset`); links only to http(s), mailto or a path of this site; images only from this site's
 * files module (`/files/<id>`), which the CSP's `img-src 'self'` allows.
 */

const FILE_IMAGE =
  /^\/files\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?:\/thumb)?(?:\?inline=1)?$/;

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "img",
    "hr",
    "code",
    "pre",
  ],
  allowedAttributes: {
    a: ["href", "title", "rel"],
    img: ["src", "alt", "title"],
    ol: ["start"],
  },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesByTag: { img: [] },
  allowedSchemesAppliedToAttributes: ["href", "src"],
  allowProtocolRelative: false,
  // Script, style and similar elements are dropped together with their text.
  nonTextTags: ["script", "style", "textarea", "option", "noscript", "title", "iframe", "object", "template"],
  disallowedTagsMode: "discard",
  exclusiveFilter: (frame) => frame.tag === "img" && !FILE_IMAGE.test(frame.attribs.src ?? ""),
  // `rel` is set here on every link (and allowed above so that it survives the attribute filter).
  transformTags: {
    a: (tagName, attribs) => ({
      tagName,
      attribs: { ...attribs, rel: "noopener noreferrer nofollow" },
    }),
  },
};

export function sanitizeArticleHtml(html: string): string {
  return sanitizeHtml(html, OPTIONS).trim();
}

/** The body as plain text (for the summary, the feed and the check that the body is not empty). */
export function articleText(html: string): string {
  // Blocks and line breaks part words, as they do on the page.
  const spaced = html.replace(/<\/(p|h[1-6]|li|blockquote|pre)>|<br\s*\/?>/gi, "$& ");
  return sanitizeHtml(spaced, { allowedTags: [], allowedAttributes: {}, nonTextTags: OPTIONS.nonTextTags })
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
}

/** The first sentences of the body, for the lists and the feed. */
export function summaryOf(html: string, max = 120): string {
  const text = articleText(html);
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** The files module ids of the images a body shows. */
export function imageIdsOf(html: string): string[] {
  const ids = new Set<string>();
  for (const m of html.matchAll(/\/files\/([0-9a-f-]{36})/g)) ids.add(m[1]);
  return [...ids];
}
