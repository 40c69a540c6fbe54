import { type Kysely, sql } from "kysely";

/**
 * 绩效评价 and 动态管理 (issue 16): versioned rubrics, yearly rounds with their evaluators, one entry per
 * base and round (automatic figures, 自评, 初审意见, result), the evaluators' scores, and base warnings
 * (警示 → 限期整改 → 整改报告 → 复查). Scores are double precision on both engines; lists are JSON text.
 */
export function evaluation() {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable("evaluation_rubrics")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("version", "integer", (c) => c.notNull().unique())
        .addColumn("dimensions", "text", (c) => c.notNull())
        .addColumn("note", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("created_by", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();

      await db.schema
        .createTable("evaluation_rounds")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("year", "integer", (c) => c.notNull().unique())
        .addColumn("title", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) =>
          c
            .notNull()
            .defaultTo("draft")
            .check(
              sql`status in ('draft', 'self_assessment', 'county_review', 'scoring', 'publicity', 'closed')`,
            ),
        )
        .addColumn("rubric_id", "text", (c) => c.notNull().references("evaluation_rubrics.id"))
        .addColumn("self_deadline", "text", (c) => c.notNull())
        .addColumn("scoring_deadline", "text", (c) => c.notNull())
        .addColumn("thresholds", "text", (c) => c.notNull())
        .addColumn("spread_limit", "double precision", (c) => c.notNull().defaultTo(15))
        .addColumn("subsidies", "text", (c) => c.notNull().defaultTo("{}"))
        .addColumn("notice_id", "text")
        .addColumn("confirmed_at", "text")
        .addColumn("created_by", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
        .execute();

      await db.schema
        .createTable("evaluation_round_evaluators")
        .addColumn("round_id", "text", (c) => c.notNull().references("evaluation_rounds.id"))
        .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
        .addColumn("scope_kind", "text", (c) => c.notNull().check(sql`scope_kind in ('county', 'category')`))
        /** JSON array of county codes or category codes. */
        .addColumn("scope_values", "text", (c) => c.notNull())
        /** The evaluator's own unit (USCC), so it never scores a base of its own organization. */
        .addColumn("unit_uscc", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("unit_name", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("finished_at", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("evaluation_round_evaluators_pk", ["round_id", "user_id"])
        .execute();

      await db.schema
        .createTable("evaluation_entries")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("round_id", "text", (c) => c.notNull().references("evaluation_rounds.id"))
        .addColumn("base_id", "text", (c) => c.notNull().references("bases.id"))
        .addColumn("region_code", "text", (c) => c.notNull())
        .addColumn("category_code", "text", (c) => c.notNull())
        .addColumn("base_name", "text", (c) => c.notNull())
        .addColumn("uscc", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) =>
          c
            .notNull()
            .defaultTo("pending")
            .check(sql`status in ('pending', 'submitted', 'returned', 'passed')`),
        )
        .addColumn("auto_figures", "text", (c) => c.notNull().defaultTo("{}"))
        .addColumn("auto_score", "double precision", (c) => c.notNull().defaultTo(0))
        .addColumn("self_scores", "text", (c) => c.notNull().defaultTo("{}"))
        .addColumn("submitted_at", "text")
        .addColumn("late", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("county_opinion", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("county_by", "text")
        .addColumn("county_at", "text")
        .addColumn("manual_score", "double precision")
        .addColumn("final_score", "double precision")
        .addColumn("grade", "text")
        .addColumn("spread_flag", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
        .addUniqueConstraint("evaluation_entries_round_base", ["round_id", "base_id"])
        .execute();
      await db.schema
        .createIndex("evaluation_entries_region")
        .on("evaluation_entries")
        .columns(["round_id", "region_code", "base_name", "id"])
        .execute();
      await db.schema
        .createIndex("evaluation_entries_base")
        .on("evaluation_entries")
        .columns(["base_id", "round_id"])
        .execute();

      await db.schema
        .createTable("evaluation_scores")
        .addColumn("entry_id", "text", (c) => c.notNull().references("evaluation_entries.id"))
        .addColumn("evaluator_id", "text", (c) => c.notNull().references("users.id"))
        .addColumn("round_id", "text", (c) => c.notNull())
        .addColumn("scores", "text", (c) => c.notNull().defaultTo("{}"))
        .addColumn("total", "double precision")
        .addColumn("comment", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("submitted_at", "text")
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
        .addPrimaryKeyConstraint("evaluation_scores_pk", ["entry_id", "evaluator_id"])
        .execute();
      await db.schema
        .createIndex("evaluation_scores_evaluator")
        .on("evaluation_scores")
        .columns(["round_id", "evaluator_id"])
        .execute();

      await db.schema
        .createTable("base_warnings")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("base_id", "text", (c) => c.notNull().references("bases.id"))
        .addColumn("region_code", "text", (c) => c.notNull())
        .addColumn("source", "text", (c) =>
          c.notNull().check(sql`source in ('manual', 'grade', 'late_change')`),
        )
        .addColumn("round_id", "text")
        .addColumn("status", "text", (c) =>
          c
            .notNull()
            .defaultTo("proposed")
            .check(
              sql`status in ('proposed', 'open', 'rectifying', 'report_filed', 'lifted', 'revocation_proposed', 'dismissed')`,
            ),
        )
        .addColumn("reason", "text", (c) => c.notNull())
        .addColumn("evidence", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("measures", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("deadline", "text")
        .addColumn("report_text", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("report_at", "text")
        .addColumn("recheck_note", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("inspection", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("revocation_reason", "integer")
        .addColumn("created_by", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
        .execute();
      await db.schema
        .createIndex("base_warnings_region")
        .on("base_warnings")
        .columns(["region_code", "status", "deadline"])
        .execute();
      await db.schema
        .createIndex("base_warnings_base")
        .on("base_warnings")
        .columns(["base_id", "created_at"])
        .execute();
    },
  };
}
