import { beforeAll, describe, expect, it } from "vitest";
import type { JobDetail, JobEventPage } from "@/lib/jobs/api-types";
import type { SubmissionAnswer } from "@/lib/jobs/submission";
import { getDetail, submitImport, waitForDetail } from "../../support/jobs";
import { consoleApi, sandboxJob, uniqueName } from "../../support/stack";

interface Problem {
  code: string;
  detail: string;
  invalidParams?: Array<{ name: string; reason: string }>;
}

const post = <T>(path: string, body?: unknown) =>
  consoleApi<T>(path, { method: "POST", headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });

describe("the drill-down's API", () => {
  let partial: { localId: string; upstreamJobId: string; projectId: string };

  beforeAll(async () => {
    partial = await submitImport(uniqueName("pages partial"), {
      "intro.mp4": "https://media.example.com/intro.mp4",
      "broken.mp4": "https://media.example.com/fail/broken.mp4",
      "outro.mp4": "https://media.example.com/outro.mp4",
    });
    await waitForDetail(partial.localId, (job) => job.outcome === "partial", "the import to end partial");
  });

  it("finds a job by Descript's job_id as well as by Jobdeck's id, and says 404 for neither", async () => {
    const byUpstream = await consoleApi<JobDetail>(`/api/jobs/${partial.upstreamJobId}`);
    expect(byUpstream.status).toBe(200);
    expect(byUpstream.body.id).toBe(partial.localId);
    expect(byUpstream.body.upstreamJobId).toBe(partial.upstreamJobId);
    expect((await consoleApi<JobDetail>(`/api/jobs/${partial.localId.toUpperCase()}`)).body.id).toBe(partial.localId);
    const unknown = await consoleApi<Problem>("/api/jobs/no-such-job");
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("content-type")).toBe("application/problem+json");
    expect(unknown.body.code).toBe("not_found");
  });

  it("says when the record expires here: JOB_RETENTION_DAYS (30 in tests) after creation", async () => {
    const job = await getDetail(partial.localId);
    expect(Date.parse(job.expiresAt) - Date.parse(job.createdAt)).toBe(30 * 24 * 60 * 60 * 1000);
  });

  it("pages the timeline with keyset cursors, oldest first, without gaps or repeats, by either id", async () => {
    const all = (await getDetail(partial.localId)).events.map((event) => event.id);
    expect(all.length).toBeGreaterThanOrEqual(3);
    for (const key of [partial.localId, partial.upstreamJobId]) {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: { status: number; body: JobEventPage } = await consoleApi<JobEventPage>(
          `/api/jobs/${key}/events?limit=2${cursor ? `&cursor=${cursor}` : ""}`,
        );
        expect(page.status).toBe(200);
        expect(page.body.data.length).toBeLessThanOrEqual(2);
        seen.push(...page.body.data.map((event) => event.id));
        cursor = page.body.nextCursor;
        pages++;
      } while (cursor);
      expect(seen).toEqual(all);
      expect(pages).toBe(Math.ceil(all.length / 2));
    }
  });

  it("refuses a malformed cursor or limit with the field named", async () => {
    for (const query of ["cursor=abc", "cursor=-1", "limit=0", "limit=201", "after=1"]) {
      const answer = await consoleApi<Problem>(`/api/jobs/${partial.localId}/events?${query}`);
      expect(answer.status, query).toBe(400);
      expect(answer.body.code).toBe("invalid_input");
      expect(answer.body.invalidParams?.[0]?.name).toBe(query.startsWith("after") ? "query" : query.split("=")[0]);
    }
  });

  it("re-imports only the failed files into the same project, upstream, and links both jobs", async () => {
    const answer = await post<SubmissionAnswer>(`/api/jobs/${partial.upstreamJobId}/reimport`);
    expect(answer.status).toBe(201);
    const reimport = await waitForDetail(answer.body.jobId, (job) => job.state === "stopped", "the re-import to stop");
    expect(reimport).toMatchObject({ type: "import/project_media", projectId: partial.projectId, submittedBy: "key:test-admin", reimportOfId: partial.localId });
    expect(reimport.files.map((file) => [file.reference, file.sourceUrl])).toEqual([["broken.mp4", "https://media.example.com/fail/broken.mp4"]]);
    expect(reimport.request).toEqual({ project_id: partial.projectId, add_media: { "broken.mp4": { url: "https://media.example.com/fail/broken.mp4" } } });
    // It went upstream like any job: Descript knows it, in the same project.
    expect(await sandboxJob(answer.body.upstreamJobId)).toMatchObject({ job_id: answer.body.upstreamJobId, project_id: partial.projectId });
    expect((await getDetail(partial.localId)).reimportIds).toContain(answer.body.jobId);
  });

  it("refuses to re-import a job that has nothing to re-import or has not finished", async () => {
    const clean = await submitImport(uniqueName("pages clean"), { "a.mp4": "https://media.example.com/a.mp4" });
    await waitForDetail(clean.localId, (job) => job.outcome === "success", "the clean import to succeed");
    const nothingFailed = await post<Problem>(`/api/jobs/${clean.localId}/reimport`);
    expect(nothingFailed.status).toBe(409);
    expect(nothingFailed.body.detail).toContain("no failed files");

    const running = await submitImport(uniqueName("pages running #stall"), { "a.mp4": "https://media.example.com/fail/a.mp4" });
    const notFinished = await post<Problem>(`/api/jobs/${running.localId}/reimport`);
    expect(notFinished.status).toBe(409);
    expect(notFinished.body.detail).toContain("finished import");

    expect((await post<Problem>("/api/jobs/no-such-job/reimport")).status).toBe(404);
  });
});

describe("the console's submissions", () => {
  it("submits an import as `console` and answers both ids", async () => {
    const projectName = uniqueName("pages form");
    const answer = await post<SubmissionAnswer>("/api/jobs/submissions", {
      type: "import/project_media",
      request: { project_name: projectName, add_media: { "a.mp4": { url: "https://media.example.com/a.mp4" } } },
    });
    expect(answer.status).toBe(201);
    const job = await getDetail(answer.body.jobId);
    expect(job).toMatchObject({ upstreamJobId: answer.body.upstreamJobId, projectName, submittedBy: "key:test-admin" });
  });

  it("refuses what the proxy refuses, naming each field in the proxy's words", async () => {
    const answer = await post<Problem>("/api/jobs/submissions", {
      type: "import/project_media",
      request: { project_name: "", add_media: { "a.mp4": { url: "ftp://media.example.com/a.mp4" } } },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.invalidParams).toEqual([
      { name: "project_name", reason: '"project_name" is not allowed to be empty' },
      { name: "add_media.a.mp4.url", reason: expect.stringContaining('"add_media.a.mp4.url"') },
    ]);
    const agent = await post<Problem>("/api/jobs/submissions", { type: "agent", request: { project_id: "nope", prompt: "" } });
    expect(agent.body.invalidParams).toEqual([
      { name: "project_id", reason: "Invalid project_id format" },
      { name: "prompt", reason: '"prompt" is not allowed to be empty' },
    ]);
    const publish = await post<Problem>("/api/jobs/submissions", { type: "publish", request: {} });
    expect(publish.status).toBe(400);
    expect(publish.body.invalidParams?.[0]?.name).toBe("type");
  });
});
