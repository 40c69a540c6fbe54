import { describe, expect, it } from "vitest";
import { allColumns, fromJson } from "./json-subqueries.ts";

describe("fromJson", () => {
  it("parses SQLite's text and passes PostgreSQL's values through", () => {
    expect(fromJson('[{"a":1}]')).toEqual([{ a: 1 }]);
    expect(fromJson([{ a: 1 }])).toEqual([{ a: 1 }]);
    expect(fromJson(null)).toBeNull();
  });
});

describe("allColumns", () => {
  interface Row {
    id: string;
    name: string;
    version: number;
  }
  it("returns the columns as listed", () => {
    expect(allColumns<Row>()(["id", "name", "version"])).toEqual(["id", "name", "version"]);
  });
  it("does not compile when a column is missing", () => {
    // @ts-expect-error "version" is not listed
    const some = allColumns<Row>()(["id", "name"]);
    expect(some).toEqual(["id", "name"]);
  });
});
