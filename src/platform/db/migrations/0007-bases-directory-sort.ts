import { type Kysely, sql } from "kysely";

/**
 * The public directory's 最新认定 sort (`sort=newest`): per listed status, bases ordered by
 * recognition year, then date (missing dates as ''), then name and id, exactly as
 * listPublicBases orders them. With this index each per-status query walks the index in order and
 * stops after one page instead of sorting every listed base. Both engines accept the expression
 * and the mixed directions.
 */
export function basesDirectorySort() {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was
    async up(db: Kysely<any>): Promise<void> {
      await sql`create index bases_status_newest on bases
        (status, recognized_year desc, coalesce(recognized_at, '') desc, name, id)`.execute(db);
    },
  };
}
