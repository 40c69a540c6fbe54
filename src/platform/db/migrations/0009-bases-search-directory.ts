import { type Kysely, sql } from "kysely";
import type { Engine } from "../../config.ts";

/** The directory's filter and sort columns, copied into the SQLite search table. */
const DIRECTORY_COLUMNS = [
  "status",
  "name",
  "region_code",
  "category_code",
  "opening_form",
  "recognized_year",
  "recognized_at",
] as const;

/**
 * SQLite: a keyword page of the directory answered from the search table alone. 0008's table held
 * only the text, so every match was looked up in `bases` by its text id to filter and sort, which
 * cost about 40 ms for a common keyword (3,500 of 50,000 bases) while the match itself took 7 ms.
 * The table now carries the directory's filter and sort columns too (unindexed), so the page's
 * ids and the count come from it, and only the page's rows are read from `bases`.
 *
 * Its rowid comes from `bases_search_keys`, whose INTEGER PRIMARY KEY survives VACUUM (a plain
 * rowid may not), so the triggers find a base's entry by rowid instead of scanning for its id.
 * PostgreSQL keeps 0008's trigram index: its planner reads the matches from the index itself.
 */
export function basesSearchDirectory(engine: Engine) {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was
    async up(db: Kysely<any>): Promise<void> {
      if (engine === "postgres") return;
      const cols = sql.raw(DIRECTORY_COLUMNS.join(", "));
      const newCols = sql.raw(DIRECTORY_COLUMNS.map((c) => `new.${c}`).join(", "));
      const unindexed = sql.raw(DIRECTORY_COLUMNS.map((c) => `${c} unindexed`).join(", "));
      for (const t of ["bases_search_insert", "bases_search_update", "bases_search_delete"])
        await sql`drop trigger if exists ${sql.raw(t)}`.execute(db);
      await sql`drop table if exists bases_search`.execute(db);
      await sql`create table bases_search_keys (
        search_rowid integer primary key,
        base_id text not null unique
      )`.execute(db);
      await sql`create virtual table bases_search using fts5(
        base_id unindexed, ${unindexed}, search_text, tokenize = 'trigram'
      )`.execute(db);
      await sql`insert into bases_search_keys (base_id) select id from bases order by id`.execute(db);
      await sql`insert into bases_search (rowid, base_id, ${cols}, search_text)
        select k.search_rowid, b.id, ${sql.raw(DIRECTORY_COLUMNS.map((c) => `b.${c}`).join(", "))}, b.search_text
        from bases b join bases_search_keys k on k.base_id = b.id`.execute(db);
      const rowidOf = (ref: string) =>
        sql.raw(`(select search_rowid from bases_search_keys where base_id = ${ref})`);
      await sql`create trigger bases_search_insert after insert on bases begin
        insert into bases_search_keys (base_id) values (new.id);
        insert into bases_search (rowid, base_id, ${cols}, search_text)
          values (${rowidOf("new.id")}, new.id, ${newCols}, new.search_text);
      end`.execute(db);
      await sql`create trigger bases_search_update after update of ${cols}, search_text on bases begin
        delete from bases_search where rowid = ${rowidOf("old.id")};
        insert into bases_search (rowid, base_id, ${cols}, search_text)
          values (${rowidOf("old.id")}, new.id, ${newCols}, new.search_text);
      end`.execute(db);
      await sql`create trigger bases_search_delete after delete on bases begin
        delete from bases_search where rowid = ${rowidOf("old.id")};
        delete from bases_search_keys where base_id = old.id;
      end`.execute(db);
    },
  };
}
