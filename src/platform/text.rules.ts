/**
 * One rule for every typed text (issue 14): what a form stores is NFC, trimmed, and holds no
 * control characters, bidi overrides or U+FFFD. They are removed rather than refused: none of
 * them is ever typed on purpose, and most arrive by pasting from other programs.
 */

// C0 except tab and line breaks, DEL, C1, bidi embeddings/overrides and isolates, U+FFFD.
const FORBIDDEN =
  "[\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f\\u202a-\\u202e\\u2066-\\u2069\\ufffd]";
const ALWAYS = new RegExp(FORBIDDEN, "g");
const ANY_FORBIDDEN = new RegExp(FORBIDDEN);
const LINE_BREAKS = /\r\n?|[\n\t]/g;

// Lone surrogates: only a JSON body or a script can carry them; they are not text.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function wellFormed(s: string): string {
  return s.replace(LONE_SURROGATE, "");
}

// Invisible characters pasted from web pages and chat apps: zero width space, word joiner and a
// BOM inside the text carry nothing, and would make " 某某科普教育基地\u200b" fail the name rules or
// a search. Zero width (non-)joiners are removed only at the ends: inside, they may join an emoji.
const INVISIBLE = /[\u200b\u2060\ufeff]/g;
const EDGES = /^[\s\u200b-\u200d\u2060\ufeff]+|[\s\u200b-\u200d\u2060\ufeff]+$/gu;

/** Trims whitespace of every kind (U+3000 full-width spaces, no-break spaces) and invisible characters. */
function trimAll(s: string): string {
  return s.replace(INVISIBLE, "").replace(EDGES, "");
}

/** A single-line field (names, titles, phones): tabs and line breaks become spaces. */
export function cleanLine(s: string): string {
  return trimAll(wellFormed(s).replace(LINE_BREAKS, " ").replace(ALWAYS, "").normalize("NFC"));
}

/** A multi-line field (descriptions, notes): line breaks become \n, tabs stay. */
export function cleanText(s: string): string {
  return trimAll(wellFormed(s).replace(/\r\n?/g, "\n").replace(ALWAYS, "").normalize("NFC"));
}

/** Only the removal, for output built from older rows (an ICS feed): line breaks and tabs stay. */
export function stripForbidden(s: string): string {
  return wellFormed(s).replace(ALWAYS, "");
}

/** Whether a stored or outgoing string still holds a character the rule above removes. */
export function hasForbiddenChars(s: string, multiline = true): boolean {
  return ANY_FORBIDDEN.test(s) || /\r/.test(s) || (!multiline && /[\n\t]/.test(s)) || wellFormed(s) !== s;
}
