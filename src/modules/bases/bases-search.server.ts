import { type Expression, type RawBuilder, type SqlBool, sql } from "kysely";
import type { Engine } from "#src/platform/config.ts";
import type { AppContext } from "#src/platform/context.ts";
import { keywordPattern } from "./bases.rules.ts";

/** SQLite's search table can answer the keyword: its LIKE takes no ESCAPE, so not for % _ \. */
function searchTableAnswers(engine: Engine, q: string): boolean {
  return engine === "sqlite" && !/[%_\\]/.test(q);
}

/**
 * A keyword anywhere in a base's name, unit or address (`bases.search_text`), for the directory and
 * the staff list. On SQLite the trigram table `bases_search` (migrations 0008, 0009) finds the candidates;
 * a keyword with LIKE's own characters (% _ \) needs ESCAPE, which that index does not take, so it
 * is matched on the table itself. PostgreSQL's trigram index serves the plain LIKE.
 */
export function baseKeywordMatches(engine: Engine, q: string): Expression<SqlBool> {
  const pattern = keywordPattern(q);
  if (searchTableAnswers(engine, q))
    return sql<SqlBool>`bases.id in (select base_id from bases_search where search_text like ${pattern})`;
  // An explicit ESCAPE: SQLite has no default escape character, PostgreSQL's is the backslash.
  return sql<SqlBool>`bases.search_text like ${pattern} escape '\\'`;
}

export interface KeywordPageQuery {
  q: string;
  statuses: readonly string[];
  county?: string;
  category?: string;
  /** Any of these 开放形式 (one for the 开放形式 filter, several for 青少年免费). */
  openingForms?: readonly string[];
  sort: "name" | "newest" | "county";
  limit: number;
  offset: number;
  /** Keyset: only rows after this one in the sort (then offset is 0). */
  after?: DirectoryKey;
}

/** A row's place in the directory's orders: the sort columns, and the id last. */
export interface DirectoryKey {
  id: string;
  name: string;
  regionCode: string;
  recognizedYear: number;
  /** '' when missing, as the orders coalesce it. */
  recognizedAt: string;
}

/**
 * Rows after `a` in `sort`, over `bases` or the search table (whose id column is base_id). The
 * leading column bounds the range (a row value on both engines), so an index walk starts there.
 */
export function afterKey(
  sort: KeywordPageQuery["sort"],
  a: DirectoryKey,
  idColumn: "id" | "base_id" = "id",
): RawBuilder<SqlBool> {
  const id = sql.ref(idColumn);
  if (sort === "name") return sql<SqlBool>`(name, ${id}) > (${a.name}, ${a.id})`;
  if (sort === "county")
    return sql<SqlBool>`(region_code, name, ${id}) > (${a.regionCode}, ${a.name}, ${a.id})`;
  // newest: year and date descending, then name and id ascending.
  const at = sql`coalesce(recognized_at, '')`;
  return sql<SqlBool>`recognized_year <= ${a.recognizedYear} and (recognized_year < ${a.recognizedYear}
    or ${at} < ${a.recognizedAt}
    or (${at} = ${a.recognizedAt} and (name, ${id}) > (${a.name}, ${a.id})))`;
}

const KEYWORD_ORDER = {
  name: sql`order by name, base_id`,
  county: sql`order by region_code, name, base_id`,
  // coalesce: missing dates order as in the directory's other queries.
  newest: sql`order by recognized_year desc, coalesce(recognized_at, '') desc, name, base_id`,
} as const;

/**
 * SQLite: one keyword page of the public directory from the search table alone, which carries the
 * directory's filter and sort columns (migration 0009): the page's base ids in order, and how many
 * bases match. Only the page's rows are then read from `bases`. null where the table cannot answer
 * (PostgreSQL, or a keyword with LIKE's own characters, which its LIKE cannot escape): the caller
 * queries `bases` with baseKeywordMatches instead.
 */
export async function keywordDirectoryPage(
  ctx: AppContext,
  query: KeywordPageQuery,
): Promise<{ ids: string[]; total: number | null } | null> {
  if (!searchTableAnswers(ctx.engine, query.q)) return null;
  if (query.openingForms?.length === 0) return { ids: [], total: 0 };
  const q = query.q.trim();
  const conds = [
    // Three characters or more: the trigram index's phrase match, which is the same substring test
    // as LIKE and cheaper. Shorter keywords have no trigram, so LIKE reads the table.
    [...q].length >= 3
      ? sql`bases_search match ${`"${q.replaceAll('"', '""')}"`}`
      : sql`search_text like ${keywordPattern(q)}`,
    sql`status in (${sql.join(query.statuses)})`,
  ];
  if (query.county) conds.push(sql`region_code = ${query.county}`);
  if (query.category) conds.push(sql`category_code = ${query.category}`);
  if (query.openingForms) conds.push(sql`opening_form in (${sql.join(query.openingForms)})`);
  if (query.after) conds.push(afterKey(query.sort, query.after, "base_id"));
  const { rows } = await sql<{ base_id: string; matches: number }>`
    select base_id, count(*) over () as matches from bases_search
    where ${sql.join(conds, sql` and `)}
    ${KEYWORD_ORDER[query.sort]}
    limit ${query.limit} offset ${query.offset}`.execute(ctx.db);
  // A page past the end has no rows to carry the count: the caller counts on its own.
  return { ids: rows.map((r) => r.base_id), total: rows.length ? Number(rows[0].matches) : null };
}
