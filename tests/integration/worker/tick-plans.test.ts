// The worker's statements on every tick read an index range of the jobs they are about (due,
// unscheduled), never the ended jobs beside them. A full index on next_poll_at, bounded by the
// volatile clock_timestamp(), and an unscheduled scan filtered row by row walked all of them: at a
// million jobs one tick took about 1.5 s of Postgres time (docs/decisions/0014).
import { describe, expect, it } from "vitest";
import { claimDueJobsStatement, scheduleNewJobsStatement } from "@/lib/worker/repository";
import { withDatabase } from "../../support/stack";

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Actual Rows": number;
  "Rows Removed by Filter"?: number;
  Plans?: PlanNode[];
}

/** Every node of a plan that reads the jobs table. */
function jobScans(node: PlanNode): PlanNode[] {
  const own = node["Relation Name"] === "jobs" && node["Node Type"] !== "ModifyTable" ? [node] : [];
  return [...own, ...(node.Plans ?? []).flatMap(jobScans)];
}

describe("the worker's tick at scale", () => {
  it("claims due jobs and schedules new ones through index ranges, beside fifty thousand ended jobs and five thousand not due", async () => {
    await withDatabase(async (db) => {
      // Inside a transaction that is rolled back: the rows, their statistics and the statements'
      // writes are this test's alone.
      await db.query("BEGIN");
      try {
        await db.query(
          `INSERT INTO jobs (id, upstream_job_id, type, state, upstream_state, outcome, request, submitted_by, created_at, updated_at)
           SELECT gen_random_uuid(), gen_random_uuid()::text, 'import/project_media', 'stopped', 'stopped', 'success', '{}', 'tick plans',
                  now() - n * interval '1 second', now() - n * interval '1 second'
           FROM generate_series(1, 50000) AS n`,
        );
        // …and five thousand running ones whose next look is an hour away: not due yet.
        await db.query(
          `INSERT INTO jobs (id, upstream_job_id, type, state, upstream_state, request, submitted_by, created_at, updated_at, next_poll_at)
           SELECT gen_random_uuid(), gen_random_uuid()::text, 'import/project_media', 'running', 'running', '{}', 'tick plans', now(), now(), now() + interval '1 hour'
           FROM generate_series(1, 5000)`,
        );
        await db.query("ANALYZE jobs");
        const statements = {
          claim: claimDueJobsStatement({ workerId: "tick-plans", limit: 5, leaseSeconds: 60 }),
          schedule: scheduleNewJobsStatement({ firstDelays: { agent: 30 }, fallbackDelay: 47, submittingDelay: 4 }),
        };
        for (const [name, statement] of Object.entries(statements)) {
          // Run, inside the transaction, to count the rows each scan read and dropped.
          const { rows } = await db.query<{ "QUERY PLAN": Array<{ Plan: PlanNode }> }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${statement.text}`, statement.values);
          const scans = jobScans(rows[0]!["QUERY PLAN"][0]!.Plan);
          expect(scans.length, name).toBeGreaterThan(0);
          for (const scan of scans) {
            // A walk of the table, or of an index with a filter alone, drops thousands of the jobs above
            // (an index or bitmap scan over a range or a partial index drops none).
            const where = `${name}: ${scan["Node Type"]} on ${scan["Index Name"] ?? "jobs"}`;
            expect(scan["Node Type"], where).not.toBe("Seq Scan");
            expect(scan["Rows Removed by Filter"] ?? 0, `${where}, rows read and dropped`).toBeLessThan(100);
          }
        }
      } finally {
        await db.query("ROLLBACK");
      }
    });
  });
});
