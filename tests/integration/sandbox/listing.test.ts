// GET /jobs: keyset pagination, filters, the created_at window, and 30-day retention.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSandbox, type JobBody, type TestSandbox } from "./support/harness";

interface JobPage {
  data: JobBody[];
  pagination: { next_cursor?: string };
}

const DAY_SECONDS = 24 * 60 * 60;

let sandbox: TestSandbox;

beforeAll(async () => {
  sandbox = await startSandbox();
});

beforeEach(async () => {
  await sandbox.control("POST", "reset");
});

afterAll(async () => {
  await sandbox.close();
});

const listJobs = async (query: string) => {
  const answer = await sandbox.call<JobPage>("GET", `/jobs?${query}`);
  expect(answer.status, answer.text).toBe(200);
  return answer.body;
};

describe("pagination", () => {
  it("pages through 250 jobs newest first without duplicates or gaps while new jobs keep arriving", async () => {
    const createdIds: string[] = [];
    for (let index = 0; index < 250; index += 1) {
      createdIds.push((await sandbox.createJob("import/project_media", { project_name: `bulk ${index}` })).job_id);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listJobs(`limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      expect(page.data.length).toBeLessThanOrEqual(7);
      seen.push(...page.data.map((job) => job.job_id));
      cursor = page.pagination.next_cursor;
      // A job created between pages is newer than the cursor and never leaks into later pages.
      await sandbox.createJob("agent", { project_name: "interloper", prompt: "x" });
    } while (cursor !== undefined);

    expect(seen).toEqual([...createdIds].reverse());
  });

  it("lists newest first with a default page of 20 and no cursor on the last page", async () => {
    for (let index = 0; index < 21; index += 1) await sandbox.createJob("agent", { project_name: `p${index}`, prompt: "x" });
    const first = await listJobs("");
    expect(first.data).toHaveLength(20);
    const createdAt = first.data.map((job) => Date.parse(job.created_at));
    expect(createdAt).toEqual([...createdAt].sort((a, b) => b - a));
    const last = await listJobs(`cursor=${encodeURIComponent(first.pagination.next_cursor ?? "")}`);
    expect(last.data).toHaveLength(1);
    expect(last.pagination).toEqual({});
  });

  it("refuses a cursor it did not issue with 400", async () => {
    const answer = await sandbox.call("GET", "/jobs?cursor=not-a-cursor");
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ error: "invalid_input", message: expect.any(String) });
  });

  it("refuses a limit outside 1–100", async () => {
    // Only decimal digits, as Joi parses a query integer: 1e1 and 0x10 are numbers to JavaScript only.
    for (const limit of ["0", "101", "abc", "2.5", "1e1", "0x10", "+5", " 5", ""]) {
      const answer = await sandbox.call("GET", `/jobs?limit=${limit}`);
      expect(answer.status, limit).toBe(400);
      expect(answer.body).toMatchObject({ error: "invalid_input", message: expect.stringContaining('"limit"') });
    }
  });
});

describe("filters", () => {
  it("filters by project_id and by type", async () => {
    const projectId = await sandbox.createIdleProject("filtered");
    const agent = await sandbox.createJob("agent", { project_id: projectId, prompt: "x" });
    await sandbox.waitForStop(agent.job_id);
    await sandbox.createJob("agent", { project_name: "other", prompt: "x" });

    const byProject = await listJobs(`project_id=${projectId}`);
    expect(byProject.data.map((job) => job.project_id)).toEqual([projectId, projectId]);
    const byBoth = await listJobs(`project_id=${projectId}&type=agent`);
    expect(byBoth.data.map((job) => job.job_id)).toEqual([agent.job_id]);
    const imports = await listJobs("type=import/project_media");
    expect(imports.data.every((job) => job.job_type === "import/project_media")).toBe(true);
  });

  it("refuses a project_id that is not a UUID", async () => {
    const answer = await sandbox.call("GET", "/jobs?project_id=abc");
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ error: "invalid_input", message: "Invalid project_id format" });
  });

  it("shows the last 7 days by default and at most 30 days back", async () => {
    const old = await sandbox.createJob("agent", { project_name: "eight days old", prompt: "x" });
    await sandbox.control("POST", "clock", { advance_seconds: 8 * DAY_SECONDS });
    const recent = await sandbox.createJob("agent", { project_name: "fresh", prompt: "x" });

    expect((await listJobs("")).data.map((job) => job.job_id)).toEqual([recent.job_id]);
    const now = Date.parse(((await sandbox.getJob(recent.job_id)).body.created_at));
    const tenDaysAgo = new Date(now - 10 * DAY_SECONDS * 1000).toISOString();
    expect((await listJobs(`created_after=${tenDaysAgo}`)).data.map((job) => job.job_id)).toEqual([recent.job_id, old.job_id]);
    const oneDayAgo = new Date(now - DAY_SECONDS * 1000).toISOString();
    expect((await listJobs(`created_before=${oneDayAgo}&created_after=${tenDaysAgo}`)).data.map((job) => job.job_id)).toEqual([old.job_id]);
  });

  it("refuses a created_after that is not ISO 8601", async () => {
    const answer = await sandbox.call("GET", "/jobs?created_after=yesterday");
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ error: "invalid_input", message: '"created_after" must be in ISO 8601 date format' });
  });
});

describe("retention", () => {
  // The list cannot show what retention removed: its window reaches 30 days back at most. Whether
  // retention really drops a job is checked by GET here and by the store's unit tests.
  it("a job older than 30 days answers 404", async () => {
    const created = await sandbox.createJob("agent", { project_name: "ancient", prompt: "x" });
    await sandbox.waitForStop(created.job_id);
    await sandbox.control("POST", "clock", { advance_seconds: 29 * DAY_SECONDS });
    expect((await listJobs("created_after=2000-01-01")).data.map((job) => job.job_id)).toEqual([created.job_id]);

    await sandbox.control("POST", "clock", { advance_seconds: 2 * DAY_SECONDS });
    const answer = await sandbox.getJob(created.job_id);
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({ error: "not_found", message: expect.stringContaining(created.job_id) });
    expect((await sandbox.call("DELETE", `/jobs/${created.job_id}`)).status).toBe(404);
  });

  it("an expired job leaves its project usable, even a stalled one that held it", async () => {
    const stalled = await sandbox.createJob("agent", { project_name: "abandoned #stall", prompt: "x" });
    await sandbox.control("POST", "clock", { advance_seconds: 31 * DAY_SECONDS });
    const answer = await sandbox.call("POST", "/jobs/agent", { body: { project_id: stalled.project_id, prompt: "again" } });
    expect(answer.status).toBe(201);
  });

  it("a job 29 days old is still there", async () => {
    const created = await sandbox.createJob("agent", { project_name: "old but kept", prompt: "x" });
    await sandbox.control("POST", "clock", { advance_seconds: 29 * DAY_SECONDS });
    expect((await sandbox.getJob(created.job_id)).status).toBe(200);
  });
});
