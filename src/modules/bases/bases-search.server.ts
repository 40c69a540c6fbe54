import { type Expression, type SqlBool, sql } from "kysely";
import type { Engine } from "#src/platform/config.ts";
import { keywordPattern } from "./bases.rules.ts";

/**
 * A keyword anywhere in a base's name, unit or address (`bases.search_text`), for the directory and
 * the staff list. On SQLite the trigram table `bases_search` (migration 0008) finds the candidates;
 * a keyword with LIKE's own characters (% _ \) needs ESCAPE, which that index does not take, so it
 * is matched on the table itself. PostgreSQL's trigram index serves the plain LIKE.
 */
export function baseKeywordMatches(engine: Engine, q: string): Expression<SqlBool> {
  const pattern = keywordPattern(q);
  if (engine === "sqlite" && !/[%_\\]/.test(q))
    return sql<SqlBool>`bases.id in (select base_id from bases_search where search_text like ${pattern})`;
  // An explicit ESCAPE: SQLite has no default escape character, PostgreSQL's is the backslash.
  return sql<SqlBool>`bases.search_text like ${pattern} escape '\\'`;
}
