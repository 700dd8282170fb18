import { describe, expect, it } from "vitest";
import type { FailureReport, UsageReport } from "@/lib/reports/api-types";
import { consoleApi, uniqueName, withDatabase } from "../../support/stack";

const DAY_MS = 24 * 60 * 60 * 1000;

interface SeedJob {
  type?: string;
  state?: string;
  outcome?: string | null;
  createdAt: Date;
  mediaSeconds?: number;
  aiCredits?: number;
  failed?: Array<{ reference: string; message: string | null }>;
}

/** Writes finished jobs straight into the store: reports read what is there, however it got there. */
async function seed(projectName: string, jobs: SeedJob[]): Promise<string[]> {
  return withDatabase(async (db) => {
    const ids: string[] = [];
    for (const job of jobs) {
      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO jobs (id, type, state, outcome, request, submitted_by, project_name, media_seconds_used, ai_credits_used, created_at, updated_at)
         VALUES (gen_random_uuid(), $1, $2, $3, '{}', 'test', $4, $5, $6, $7, $7) RETURNING id`,
        [job.type ?? "import/project_media", job.state ?? "stopped", job.outcome === undefined ? "partial" : job.outcome, projectName, job.mediaSeconds ?? null, job.aiCredits ?? null, job.createdAt],
      );
      const id = rows[0]!.id;
      ids.push(id);
      for (const file of job.failed ?? []) {
        await db.query(`INSERT INTO job_files (id, job_id, reference, status, error_message) VALUES (gen_random_uuid(), $1, $2, 'failed', $3)`, [id, file.reference, file.message]);
      }
      await db.query(`INSERT INTO job_files (id, job_id, reference, status) VALUES (gen_random_uuid(), $1, 'fine.mp4', 'success')`, [id]);
    }
    return ids;
  });
}

describe("the failures report", () => {
  it("groups failed files of partial and failed imports by error message, with their jobs", async () => {
    const tag = uniqueName("failures");
    const [messageA, messageB] = [`${tag} timeout`, `${tag} codec`];
    const now = new Date();
    const [first, second, third] = await seed(tag, [
      { createdAt: now, failed: [{ reference: "a1.mp4", message: messageA }, { reference: "b1.mp4", message: messageB }] },
      { createdAt: new Date(now.getTime() - 1000), outcome: "error", failed: [{ reference: "a2.mp4", message: messageA }] },
      { createdAt: new Date(now.getTime() - 2000), failed: [{ reference: "a3.mp4", message: messageA }] },
      // Not a partial or failed import, or too old: none of these count.
      { createdAt: now, outcome: "success", failed: [{ reference: "x1.mp4", message: messageA }] },
      { createdAt: now, type: "agent", outcome: "error", failed: [{ reference: "x2.mp4", message: messageA }] },
      { createdAt: new Date(now.getTime() - 40 * DAY_MS), failed: [{ reference: "x3.mp4", message: messageA }] },
    ]);
    const report = await consoleApi<FailureReport>("/api/reports/failures?days=30");
    expect(report.status).toBe(200);
    const groupA = report.body.groups.find((group) => group.message === messageA);
    const groupB = report.body.groups.find((group) => group.message === messageB);
    expect(groupA).toMatchObject({ fileCount: 3, jobCount: 3 });
    expect(groupA?.files.map((file) => [file.reference, file.jobId])).toEqual([
      ["a1.mp4", first],
      ["a2.mp4", second],
      ["a3.mp4", third],
    ]);
    expect(groupA?.files[1]).toMatchObject({ outcome: "error", projectName: tag });
    expect(groupB).toMatchObject({ fileCount: 1, jobCount: 1, files: [expect.objectContaining({ reference: "b1.mp4", jobId: first })] });
    // The bigger group comes first.
    expect(report.body.groups.indexOf(groupA!)).toBeLessThan(report.body.groups.indexOf(groupB!));
  });

  it("refuses a range it does not offer", async () => {
    for (const days of ["5", "abc", "-7"]) {
      const answer = await consoleApi<{ code: string; invalidParams: Array<{ name: string }> }>(`/api/reports/failures?days=${days}`);
      expect(answer.status).toBe(400);
      expect(answer.body.invalidParams[0]?.name).toBe("days");
    }
  });
});

describe("the usage report", () => {
  const day = (report: UsageReport, date: string) => report.daily.find((entry) => entry.day === date)!;

  it("counts jobs by outcome, failed files, media minutes and AI credits per UTC day, every day of the range", async () => {
    const date = new Date(Date.now() - 3 * DAY_MS);
    const dayKey = date.toISOString().slice(0, 10);
    const before = await consoleApi<UsageReport>("/api/reports/usage?days=7");
    expect(before.status).toBe(200);
    expect(before.body.daily).toHaveLength(7);
    expect(before.body.daily.at(-1)?.day).toBe(new Date().toISOString().slice(0, 10));
    await seed(uniqueName("usage"), [
      { createdAt: date, outcome: "success", mediaSeconds: 90, aiCredits: 1.25 },
      { createdAt: date, outcome: "success", mediaSeconds: 30, aiCredits: 0.25 },
      { createdAt: date, outcome: "partial", failed: [{ reference: "a.mp4", message: "x" }, { reference: "b.mp4", message: "y" }] },
      { createdAt: date, state: "cancelled", outcome: null },
      { createdAt: date, state: "running", outcome: null },
    ]);
    const after = await consoleApi<UsageReport>("/api/reports/usage?days=7");
    const [was, is] = [day(before.body, dayKey), day(after.body, dayKey)];
    expect(is.success - was.success).toBe(2);
    expect(is.partial - was.partial).toBe(1);
    expect(is.cancelled - was.cancelled).toBe(1);
    expect(is.active - was.active).toBe(1);
    expect(is.error - was.error).toBe(0);
    expect(is.filesFailed - was.filesFailed).toBe(2);
    expect(is.mediaMinutes - was.mediaMinutes).toBeCloseTo(2, 5);
    expect(is.aiCredits - was.aiCredits).toBeCloseTo(1.5, 5);
  });

  it("adds the sweep's daily rollups of deleted jobs to the days they were created", async () => {
    const dayKey = new Date(Date.now() - 5 * DAY_MS).toISOString().slice(0, 10);
    const before = day((await consoleApi<UsageReport>("/api/reports/usage?days=7")).body, dayKey);
    const type = uniqueName("rolled-up type");
    await withDatabase((db) =>
      db.query(
        `INSERT INTO job_rollups (day, type, outcome, jobs, files_ok, files_failed, media_seconds, ai_credits)
         VALUES ($1, $2, 'success', 3, 4, 0, 120, 2), ($1, $2, 'partial', 1, 1, 2, 0, 0), ($1, $2, 'cancelled', 2, 0, 0, 0, 0)`,
        [dayKey, type],
      ),
    );
    const after = day((await consoleApi<UsageReport>("/api/reports/usage?days=7")).body, dayKey);
    expect(after.success - before.success).toBe(3);
    expect(after.partial - before.partial).toBe(1);
    expect(after.cancelled - before.cancelled).toBe(2);
    expect(after.filesFailed - before.filesFailed).toBe(2);
    expect(after.mediaMinutes - before.mediaMinutes).toBeCloseTo(2, 5);
    expect(after.aiCredits - before.aiCredits).toBeCloseTo(2, 5);
  });

  it("refuses a range it does not offer", async () => {
    const answer = await consoleApi<{ code: string }>("/api/reports/usage?days=365");
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe("invalid_input");
  });
});
