import { type Kysely, sql } from "kysely";
import type { Engine } from "../../config.ts";
import { auditRowHash, type ChainedFields, GENESIS_HASH } from "../audit-chain.rules.ts";

/**
 * The audit log keeps its worth:
 * - rows are hash-chained (`seq`, `prev_hash`, `hash`); `audit_head` holds the chain's end, and
 *   every append updates it in the audited transaction, which serializes appends (a row lock on
 *   PostgreSQL; SQLite has one writer at a time);
 * - `audit_denials` counts repeated denials from one source within a window, so a flood writes one
 *   row per window plus a summary instead of a row per request;
 * - on PostgreSQL a statement-level trigger refuses TRUNCATE, which the row-level ones do not see.
 * Existing rows are chained here, oldest first (ids are time-ordered).
 */
export function auditChain(engine: Engine) {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was
    async up(db: Kysely<any>): Promise<void> {
      // biome-ignore lint/suspicious/noExplicitAny: as above
      const work = async (trx: Kysely<any>) => {
        await trx.schema.alterTable("audit_events").addColumn("seq", "bigint").execute();
        await trx.schema.alterTable("audit_events").addColumn("prev_hash", "text").execute();
        await trx.schema.alterTable("audit_events").addColumn("hash", "text").execute();

        // The append-only triggers refuse the one-time fill; lifted only inside this transaction.
        if (engine === "postgres")
          await sql`alter table audit_events disable trigger audit_events_no_update`.execute(trx);
        else await sql`drop trigger audit_events_no_update`.execute(trx);

        let prev = GENESIS_HASH;
        let seq = 0;
        let after = "";
        for (;;) {
          const rows = await trx
            .selectFrom("audit_events")
            .selectAll()
            .where("id", ">", after)
            .orderBy("id")
            .limit(1000)
            .execute();
          if (rows.length === 0) break;
          for (const r of rows) {
            seq++;
            const hash = auditRowHash({ ...(r as ChainedFields), seq }, prev);
            await trx
              .updateTable("audit_events")
              .set({ seq, prev_hash: prev, hash })
              .where("id", "=", r.id)
              .execute();
            prev = hash;
          }
          after = rows[rows.length - 1].id;
        }

        if (engine === "postgres") {
          await sql`alter table audit_events enable trigger audit_events_no_update`.execute(trx);
          await sql`alter table audit_events alter column seq set not null`.execute(trx);
          await sql`alter table audit_events alter column prev_hash set not null`.execute(trx);
          await sql`alter table audit_events alter column hash set not null`.execute(trx);
          await sql`create trigger audit_events_no_truncate before truncate on audit_events
            for each statement execute function audit_events_append_only()`.execute(trx);
        } else {
          await sql`create trigger audit_events_no_update before update on audit_events
            begin select raise(abort, 'audit_events is append-only'); end`.execute(trx);
          // SQLite cannot add NOT NULL to a column; a trigger refuses rows outside the chain.
          await sql`create trigger audit_events_chained before insert on audit_events
            when new.seq is null or new.prev_hash is null or new.hash is null
            begin select raise(abort, 'audit_events rows must be chained'); end`.execute(trx);
        }
        await trx.schema.createIndex("audit_events_seq").unique().on("audit_events").column("seq").execute();

        await trx.schema
          .createTable("audit_head")
          .addColumn("id", "integer", (c) => c.primaryKey())
          .addColumn("seq", "bigint", (c) => c.notNull())
          .addColumn("hash", "text", (c) => c.notNull())
          .execute();
        await trx.insertInto("audit_head").values({ id: 1, seq, hash: prev }).execute();

        await trx.schema
          .createTable("audit_denials")
          .addColumn("key", "text", (c) => c.primaryKey())
          .addColumn("window_start", "text", (c) => c.notNull())
          .addColumn("count", "integer", (c) => c.notNull())
          .execute();
        await trx.schema
          .createIndex("audit_denials_window")
          .on("audit_denials")
          .column("window_start")
          .execute();
      };
      // PostgreSQL runs each migration in a transaction already; SQLite's migrations do not.
      if (engine === "postgres") await work(db);
      else await db.transaction().execute(work);
    },
  };
}
