import { beforeAll, describe, expect, it } from "vitest";
import type { JobListPage, JobSummary } from "@/lib/jobs/api-types";
import { submitImport, waitForDetail } from "../../support/jobs";
import { consoleApi, uniqueName, withDatabase } from "../../support/stack";

const list = (query: Record<string, string>) => consoleApi<JobListPage>(`/api/jobs?${new URLSearchParams(query)}`);

/** Follows nextCursor to the end, returning the ids of every page in order. */
async function listAllIds(query: Record<string, string>): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const page: { body: JobListPage } = await list({ ...query, ...(cursor ? { cursor } : {}) });
    seen.push(...page.body.data.map((job) => job.id));
    cursor = page.body.nextCursor;
  } while (cursor);
  return seen;
}

describe("the console's job API", () => {
  const tag = uniqueName("console").replaceAll(" ", "-");
  const jobs: Array<{ localId: string; upstreamJobId: string }> = [];

  beforeAll(async () => {
    for (const [index, failing] of [false, true, false, false, true].entries()) {
      const file = failing ? `https://media.example.com/fail/clip${index}.mp4` : `https://media.example.com/clip${index}.mp4`;
      const job = await submitImport(`${tag} ${index}`, { [`${tag}-clip${index}.mp4`]: file, "other.mp4": "https://media.example.com/other.mp4" });
      jobs.push(job);
    }
    for (const job of jobs) await waitForDetail(job.localId, (detail) => detail.state === "stopped", "imports to stop");
  });

  it("finds jobs by free text over project and file names and by job id", async () => {
    const byProject = await list({ q: tag });
    expect(byProject.status).toBe(200);
    expect(byProject.body.data).toHaveLength(5);
    const byFile = await list({ q: `${tag}-clip3.mp4` });
    expect(byFile.body.data.map((job) => job.id)).toEqual([jobs[3]!.localId]);
    const byUpstreamId = await list({ q: jobs[2]!.upstreamJobId });
    expect(byUpstreamId.body.data.map((job) => job.id)).toEqual([jobs[2]!.localId]);
  });

  it("matches % and _ in free text literally, not as wildcards", async () => {
    expect((await list({ q: tag.replace("-", "_") })).body.data).toEqual([]);
    expect((await list({ q: `${tag}%` })).body.data).toEqual([]);
    expect((await list({ q: "%" })).body.data.every((job) => JSON.stringify(job).includes("%"))).toBe(true);
  });

  it("breaks ties between jobs created at the same instant by id, in both orders", async () => {
    const name = uniqueName("tie");
    const ids = await withDatabase(async (db) => {
      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO jobs (id, type, state, request, submitted_by, project_name, created_at, updated_at)
         SELECT gen_random_uuid(), 'agent', 'queued', '{}', 'test', $1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'
         FROM generate_series(1, 3) RETURNING id`,
        [name],
      );
      return rows.map((row) => row.id).sort();
    });
    for (const sort of ["created_desc", "created_asc"]) {
      const seen = await listAllIds({ q: name, sort, limit: "1" });
      expect(seen).toEqual(sort === "created_asc" ? ids : [...ids].reverse());
    }
  });

  it("filters by outcome and state", async () => {
    const partial = await list({ q: tag, outcome: "partial" });
    expect(partial.body.data.map((job) => job.id).sort()).toEqual([jobs[1]!.localId, jobs[4]!.localId].sort());
    expect(partial.body.data.every((job: JobSummary) => job.fileCounts.failed === 1)).toBe(true);
    const running = await list({ q: tag, state: "running" });
    expect(running.body.data).toEqual([]);
  });

  it("pages with keyset cursors in both sort orders without duplicates or gaps", async () => {
    for (const sort of ["created_desc", "created_asc", "updated_desc"]) {
      const seen = await listAllIds({ q: tag, sort, limit: "2" });
      expect(new Set(seen).size).toBe(5);
      expect(seen).toHaveLength(5);
      if (sort === "created_asc") expect(seen).toEqual(jobs.map((job) => job.localId));
      if (sort === "created_desc") expect(seen).toEqual(jobs.map((job) => job.localId).reverse());
    }
  });

  it("answers bad queries with one problem+json shape naming the parameter", async () => {
    const createdDesc = await list({ q: tag, limit: "1" });
    const queries: Array<Record<string, string>> = [{ state: "exploded" }, { limit: "0" }, { cursor: "not-a-cursor" },
      { sort: "created_asc", cursor: createdDesc.body.nextCursor ?? "" }, { unknown: "1" }, { createdFrom: "yesterday" }];
    for (const query of queries) {
      const answer = await consoleApi<{ status: number; code: string; detail: string; requestId: string }>(`/api/jobs?${new URLSearchParams(query)}`);
      expect(answer.status, JSON.stringify(query)).toBe(400);
      expect(answer.headers.get("content-type")).toContain("application/problem+json");
      expect(answer.body).toMatchObject({ status: 400, code: "invalid_input", requestId: expect.any(String), detail: expect.any(String) });
    }
  });

  it("shows one job with its files and timeline, and 404 for an unknown one", async () => {
    const detail = await consoleApi<{ files: unknown[]; events: Array<{ kind: string }>; request: unknown }>(`/api/jobs/${jobs[1]!.localId}`);
    expect(detail.status).toBe(200);
    expect(detail.body.files).toHaveLength(2);
    expect(detail.body.events.map((event) => event.kind)).toEqual(["submitted", "upstream_answered", "callback_received"]);
    const missing = await consoleApi<{ code: string }>("/api/jobs/00000000-0000-4000-8000-000000000000");
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe("not_found");
  });
});
