import { type Kysely, sql } from "kysely";
import type { Engine } from "../../config.ts";

/**
 * Keyword search over bases (directory and staff list) without reading every row: a keyword may
 * match anywhere in name, unit or address, so an ordinary index does not help, and on 50,000 bases
 * each search read the whole table (about 40 ms on SQLite). Trigram indexes answer `like '%词%'`
 * for keywords of three or more characters; shorter ones still scan, as before.
 *
 * SQLite: an FTS5 table with the trigram tokenizer, keyed by the base's id (not its rowid, which
 * VACUUM may renumber), kept by triggers. PostgreSQL: pg_trgm's GIN index on the same column, used
 * by the same LIKE; where the extension may not be created the migration leaves search unindexed.
 */
export function basesSearch(engine: Engine) {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was
    async up(db: Kysely<any>): Promise<void> {
      if (engine === "postgres") {
        await sql`do $$ begin
          create extension if not exists pg_trgm;
          create index bases_search_trgm on bases using gin (search_text gin_trgm_ops);
        exception when others then
          raise notice 'bases keyword search stays unindexed: %', sqlerrm;
        end $$`.execute(db);
        return;
      }
      await sql`create virtual table bases_search using fts5(base_id unindexed, search_text, tokenize = 'trigram')`.execute(
        db,
      );
      await sql`insert into bases_search (base_id, search_text) select id, search_text from bases`.execute(
        db,
      );
      await sql`create trigger bases_search_insert after insert on bases begin
        insert into bases_search (base_id, search_text) values (new.id, new.search_text);
      end`.execute(db);
      await sql`create trigger bases_search_update after update of search_text on bases
        when old.search_text is not new.search_text begin
        delete from bases_search where base_id = old.id;
        insert into bases_search (base_id, search_text) values (new.id, new.search_text);
      end`.execute(db);
      await sql`create trigger bases_search_delete after delete on bases begin
        delete from bases_search where base_id = old.id;
      end`.execute(db);
    },
  };
}
