import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it } from "vitest";
import type { JobListPage } from "@/lib/jobs/api-types";
import { getDb, STATEMENT_TIMEOUT_MS } from "@/lib/server/db";
import { json, route } from "@/lib/server/route";
import { appFetch, consoleApi, credentials, uniqueName, withDatabase } from "../../support/stack";

const list = (query: Record<string, string>) => consoleApi<JobListPage>(`/api/jobs?${new URLSearchParams(query)}`);

async function listAllIds(query: Record<string, string>): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const page: { status: number; body: JobListPage } = await list({ ...query, ...(cursor ? { cursor } : {}) });
    expect(page.status).toBe(200);
    seen.push(...page.body.data.map((job) => job.id));
    cursor = page.body.nextCursor;
  } while (cursor);
  return seen;
}

describe("the console's list, served by its indexes", () => {
  const project = uniqueName("scale").replaceAll(" ", "-");
  let jobs: Array<{ id: string; upstream_job_id: string; created_at: Date; updated_at: Date }> = [];

  beforeAll(async () => {
    // 120 jobs written straight to the database, several sharing each instant so ties are exercised.
    // Upstream never heard of them: the worker is told to look at them tomorrow, so that its polls
    // (which would end them) leave their update times as written while the pages are walked.
    jobs = await withDatabase(async (db) => {
      const { rows } = await db.query<(typeof jobs)[number]>(
        `INSERT INTO jobs (id, upstream_job_id, type, state, request, submitted_by, project_name, created_at, updated_at, next_poll_at)
         SELECT gen_random_uuid(), gen_random_uuid()::text, 'import/project_media', 'running', '{}', 'test', $1 || ' ' || n,
                now() - interval '2 days' + (n / 3) * interval '1 second',
                now() - interval '1 day' - (n / 4) * interval '1 second',
                now() + interval '1 day'
         FROM generate_series(1, 120) AS n RETURNING id, upstream_job_id, created_at, updated_at`,
        [project],
      );
      await db.query(
        `INSERT INTO job_files (id, job_id, reference) SELECT gen_random_uuid(), id, $1 || '-' || upstream_job_id || '.mp4' FROM jobs WHERE project_name LIKE $1 || ' %'`,
        [project],
      );
      return rows;
    });
  });

  it("finds a job by its exact id or upstream id typed in the search box", async () => {
    const target = jobs[57]!;
    expect((await list({ q: target.id })).body.data.map((job) => job.id)).toEqual([target.id]);
    expect((await list({ q: target.id.toUpperCase() })).body.data.map((job) => job.id)).toEqual([target.id]);
    expect((await list({ q: target.upstream_job_id })).body.data.map((job) => job.id)).toEqual([target.id]);
  });

  it("answers a whole id with its job alone, though another job's file name contains it", async () => {
    const target = jobs[58]!;
    const other = await withDatabase(async (db) => {
      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO jobs (id, type, state, request, submitted_by, project_name, updated_at)
         VALUES (gen_random_uuid(), 'import/project_media', 'running', '{}', 'test', $1, now()) RETURNING id`,
        [`${project} copy`],
      );
      await db.query("INSERT INTO job_files (id, job_id, reference) VALUES (gen_random_uuid(), $1, $2)", [rows[0]!.id, `copy-of-${target.upstream_job_id}.mp4`]);
      return rows[0]!.id;
    });
    expect((await list({ q: target.upstream_job_id })).body.data.map((job) => job.id)).toEqual([target.id]);
    const partial = (await list({ q: target.upstream_job_id.slice(0, -1) })).body.data.map((job) => job.id);
    expect(partial.sort()).toEqual([target.id, other].sort());
    await withDatabase((db) => db.query("DELETE FROM jobs WHERE id = $1", [other]));
  });

  it("finds jobs by a substring of a project or file name, newest first", async () => {
    const target = jobs[10]!;
    const fragment = target.upstream_job_id.slice(4, 16);
    const byFile = await list({ q: `${project.slice(-6)}-${target.upstream_job_id.slice(0, 8)}` });
    expect(byFile.body.data.map((job) => job.id)).toEqual([target.id]);
    expect((await list({ q: fragment })).body.data.map((job) => job.id)).toContain(target.id);
    const byProject = await listAllIds({ q: project.toUpperCase(), limit: "50" });
    const newestFirst = [...jobs].sort((a, b) => b.created_at.getTime() - a.created_at.getTime() || (b.id > a.id ? 1 : -1));
    expect(byProject).toEqual(newestFirst.map((job) => job.id));
  });

  it("walks every sort to its last page without skipping or repeating a job", async () => {
    const byTime = (field: "created_at" | "updated_at", sign: 1 | -1) => [...jobs]
      .sort((a, b) => sign * (a[field].getTime() - b[field].getTime()) || sign * (a.id > b.id ? 1 : -1))
      .map((job) => job.id);
    expect(await listAllIds({ project, sort: "created_desc", limit: "7" })).toEqual(byTime("created_at", -1));
    expect(await listAllIds({ project, sort: "created_asc", limit: "7" })).toEqual(byTime("created_at", 1));
    expect(await listAllIds({ project, sort: "updated_desc", limit: "7" })).toEqual(byTime("updated_at", -1));
    const running = await listAllIds({ q: project, state: "running", limit: "9" });
    expect(running).toEqual(byTime("created_at", -1));
  });

  it("counts each job's files by status", async () => {
    const jobId = await withDatabase(async (db) => {
      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO jobs (id, type, state, request, submitted_by, project_name, updated_at)
         VALUES (gen_random_uuid(), 'import/project_media', 'stopped', '{}', 'test', $1, now()) RETURNING id`,
        [`${project} counted`],
      );
      await db.query(
        `INSERT INTO job_files (id, job_id, reference, status)
         SELECT gen_random_uuid(), $1, 'file-' || n, (ARRAY['success', 'success', 'failed', 'pending', 'success'])[n]::"FileStatus"
         FROM generate_series(1, 5) AS n`,
        [rows[0]!.id],
      );
      return rows[0]!.id;
    });
    const [listed] = (await list({ q: jobId })).body.data;
    expect(listed?.fileCounts).toEqual({ total: 5, succeeded: 3, failed: 1, pending: 1 });
    await withDatabase((db) => db.query("DELETE FROM jobs WHERE id = $1", [jobId]));
  });

  it("answers the same through Next's route (Next alone) as through the front listener (npm start)", async () => {
    const { GET } = await import("@/app/api/jobs/route");
    const query = `project=${encodeURIComponent(project)}&limit=5`;
    const headers = { authorization: `Bearer ${credentials.keys.viewer}` };
    const viaNext = await GET(new NextRequest(`http://jobdeck.test/api/jobs?${query}`, { headers }), { params: Promise.resolve({}) });
    const viaFront = await appFetch(`/api/jobs?${query}`, {}, { as: "viewer" });
    expect([viaNext.status, viaFront.status]).toEqual([200, 200]);
    const [fromNext, fromFront] = [(await viaNext.json()) as JobListPage, (await viaFront.json()) as JobListPage];
    expect(fromNext.data).toHaveLength(5);
    expect(fromNext).toEqual(fromFront);
  });

  it("refuses a NUL character in free text as invalid input instead of failing the query", async () => {
    const answer = await consoleApi<{ code: string; invalidParams: Array<{ name: string }> }>(`/api/jobs?q=${encodeURIComponent("\u0000abc")}`);
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe("invalid_input");
    expect(answer.body.invalidParams.map((param) => param.name)).toEqual(["q"]);
  });

  it("cancels a statement that runs past the timeout and answers the one error shape", async () => {
    const settings = await getDb().$queryRaw<Array<{ statement_timeout: string }>>`SHOW statement_timeout`;
    expect(settings[0]?.statement_timeout).toBe(`${STATEMENT_TIMEOUT_MS / 1000}s`);
    const slow = route({ format: "problem", access: "public" }, async () => {
      await getDb().$queryRaw`SELECT pg_sleep(${STATEMENT_TIMEOUT_MS / 1000 + 30}::float8)`;
      return json({ finished: true });
    });
    const response = await slow(new NextRequest("http://jobdeck.test/api/slow"), { params: Promise.resolve({}) });
    expect(response.status).toBe(503);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(await response.json()).toMatchObject({ status: 503, code: "database_unavailable" });
    // The connection went back to the pool: the next query answers.
    expect(await getDb().$queryRaw`SELECT 1 AS one`).toEqual([{ one: 1 }]);
  }, 30_000);
});
