import * as pg from "kysely/helpers/postgres";
import * as sqlite from "kysely/helpers/sqlite";
import type { Engine } from "../config.ts";

/**
 * Kysely's jsonObjectFrom / jsonArrayFrom for the engine: a page's related rows come back in its one
 * statement, since on PostgreSQL every statement is a round trip.
 */
export const jsonHelpers = (engine: Engine) => (engine === "postgres" ? pg : sqlite);

/** A JSON subquery's value: SQLite hands it back as text, PostgreSQL already parsed. */
export function fromJson<T>(value: unknown): T {
  return (typeof value === "string" ? JSON.parse(value) : value) as T;
}

type Missing<Row, K extends readonly PropertyKey[]> = Exclude<keyof Row, K[number]>;

/**
 * Every column of a table, listed for the SQLite JSON helpers (which cannot take selectAll()). Listing
 * one too few fails to compile, so a column added later is not silently left out.
 */
export function allColumns<Row>() {
  return <const K extends readonly (keyof Row & string)[]>(
    columns: K & ([Missing<Row, K>] extends [never] ? unknown : { missing: Missing<Row, K> }),
  ): K => columns;
}
