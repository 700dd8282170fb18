import { describe, expect, it } from "vitest";
import { PlainDescriptClient, DescriptApiError, type DescriptJob } from "../../support/descript-client";
import { proxyPost, submitImport } from "../../support/jobs";
import { assertMatchesContract } from "../../support/openapi-contract";
import { appFetch, appUrl, credentials, sandboxControl, sandboxToken, sandboxUrl, uniqueName, withDatabase } from "../../support/stack";

const viaJobdeck = new PlainDescriptClient(`${appUrl}/api/v1`, credentials.keys.admin, 200);
const direct = new PlainDescriptClient(sandboxUrl, sandboxToken, 200);

async function jobCount(): Promise<number> {
  return withDatabase(async (db) => Number((await db.query("SELECT count(*) FROM jobs")).rows[0].count));
}

/** A client's whole session: import, poll to the end, then cancel a stalled job. */
async function session(client: PlainDescriptClient) {
  const created = await client.importMedia({
    project_name: uniqueName("client"),
    add_media: { "a.mp4": { url: "https://media.example.com/a.mp4" }, "b.mp4": { url: "https://media.example.com/fail/b.mp4" } },
  });
  const finished = await client.waitUntilDone(created.job_id);
  const stalled = await client.importMedia({ project_name: uniqueName("client #stall"), add_media: { "c.mp4": { url: "https://media.example.com/c.mp4" } } });
  const cancelAnswer = await client.cancel(stalled.job_id);
  const cancelled = await client.waitForState(stalled.job_id, "cancelled");
  return { created, finished, cancelAnswer, cancelled };
}

const shape = (job: DescriptJob) => ({
  job_type: job.job_type,
  job_state: job.job_state,
  result_status: job.result?.status,
  files: Object.fromEntries(Object.entries(job.result?.media_status ?? {}).map(([name, file]) => [name, file.status])),
  has_stopped_at: job.stopped_at !== undefined,
});

describe("the Descript-compatible proxy", () => {
  it("serves a plain Descript client exactly as Descript (the sandbox) does", async () => {
    const [throughJobdeck, againstUpstream] = await Promise.all([session(viaJobdeck), session(direct)]);
    expect(throughJobdeck.created.job_id).toMatch(/^project-media-import-/);
    expect(Object.keys(throughJobdeck.created).sort()).toEqual(Object.keys(againstUpstream.created).sort());
    expect(shape(throughJobdeck.finished)).toEqual(shape(againstUpstream.finished));
    expect(shape(throughJobdeck.finished)).toMatchObject({ job_state: "stopped", result_status: "partial" });
    expect(throughJobdeck.cancelAnswer).toBeNull();
    expect(shape(throughJobdeck.cancelled)).toEqual(shape(againstUpstream.cancelled));
    // Same job, same record: GET through Jobdeck answers what upstream says.
    const upstreamView = await direct.getJob(throughJobdeck.finished.job_id);
    expect(throughJobdeck.finished).toEqual(upstreamView);
  });

  it("answers GET from its own store without calling upstream", async () => {
    const { upstreamJobId } = await submitImport(uniqueName("store"), { "a.mp4": "https://media.example.com/a.mp4" });
    await viaJobdeck.waitUntilDone(upstreamJobId);
    await sandboxControl("faults", { status: 503, count: 5, method: "GET", path_prefix: `/jobs/${upstreamJobId}` });
    try {
      const job = await viaJobdeck.getJob(upstreamJobId);
      expect(job.job_state).toBe("stopped");
      const list = await viaJobdeck.listJobs({ limit: "5" });
      expect(list.data.length).toBeGreaterThan(0);
    } finally {
      // Use up the injected faults so they cannot leak into another test.
      for (let i = 0; i < 5; i++) await fetch(`${sandboxUrl}/jobs/${upstreamJobId}`, { headers: { authorization: `Bearer ${sandboxToken}` } });
    }
  });

  it("pages GET /jobs with opaque cursors, newest first, without duplicates or gaps", async () => {
    const project = uniqueName("paging");
    const first = await viaJobdeck.importMedia({ project_name: project, add_media: { "a.mp4": { url: "https://media.example.com/a.mp4" } } });
    await viaJobdeck.waitUntilDone(first.job_id);
    const ids = [first.job_id];
    for (let i = 0; i < 6; i++) {
      const next = await viaJobdeck.importMedia({ project_id: first.project_id, add_media: { [`f${i}.mp4`]: { url: "https://media.example.com/f.mp4" } } });
      ids.push(next.job_id);
      await viaJobdeck.waitUntilDone(next.job_id);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await viaJobdeck.listJobs({ project_id: first.project_id, limit: "2", ...(cursor ? { cursor } : {}) });
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((job) => job.job_id));
      cursor = page.pagination.next_cursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    const bad = await appFetch(`/api/v1/jobs?limit=500`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: "invalid_input", message: expect.stringContaining('"limit"') });
  });

  it("passes an upstream 429 on create through with Retry-After, and keeps the refused job as rejected", async () => {
    const busy = await submitImport(uniqueName("busy #stall"), { "a.mp4": "https://media.example.com/a.mp4" });
    const second = await proxyPost("/jobs/import/project_media", { project_id: busy.projectId, add_media: { "b.mp4": { url: "https://media.example.com/b.mp4" } } });
    expect(second.status).toBe(429);
    expect(second.body).toMatchObject({ error: "rate_limit_exceeded" });
    expect(Number(second.headers.get("retry-after"))).toBeGreaterThan(0);
    await viaJobdeck.cancel(busy.upstreamJobId);

    await sandboxControl("faults", { status: 429, count: 1, retry_after: 7, method: "POST", path_prefix: "/jobs/agent" });
    const projectName = uniqueName("limited");
    const limited = await proxyPost("/jobs/agent", { project_name: projectName, prompt: "tidy up" });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("7");
    expect(limited.body).toMatchObject({ error: "rate_limit_exceeded" });
    const rows = await withDatabase(async (db) => (await db.query("SELECT state, upstream_job_id FROM jobs WHERE project_name = $1", [projectName])).rows);
    expect(rows).toEqual([{ state: "rejected", upstream_job_id: null }]);
  });

  it("refuses bad requests in Descript's error shape and stores nothing", async () => {
    const before = await jobCount();
    const cases: Array<[string, unknown, RegExp]> = [
      ["/jobs/agent", { prompt: "x", project_name: "p", fps: 30 }, /"fps" is not allowed/],
      ["/jobs/agent", { project_name: "p" }, /"prompt" is required/],
      ["/jobs/publish", { project_id: "9f36ee32-5a2c-47e7-b1a3-94991d3e3ddb", resolution: "8K" }, /"resolution" must be one of \[480p, 720p, 1080p, 1440p, 4K\]/],
      ["/jobs/import/project_media", { project_id: 42 }, /"project_id" must be a string/],
      ["/jobs/import/project_media", "{oops", /JSON/],
    ];
    for (const [path, body, message] of cases) {
      const answer = await proxyPost(path, body);
      expect(answer.status, `${path} ${JSON.stringify(body)}`).toBe(400);
      expect(answer.body).toEqual({ error: "invalid_input", message: expect.stringMatching(message) });
    }
    // Like Descript's JSON parser, a body not sent as JSON reads as {}.
    const notJson = await appFetch(`/api/v1/jobs/agent`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: JSON.stringify({ project_name: "p", prompt: "x" }),
    });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toEqual({ error: "invalid_input", message: '"prompt" is required' });
    const proto = await proxyPost("/jobs/import/project_media", '{"project_name":"p","add_media":{"__proto__":{"url":"https://media.example.com/fail/a.mp4"}}}');
    expect(proto.body).toEqual({ error: "invalid_input", message: '"add_media.__proto__" is not allowed' });
    const huge = await proxyPost("/jobs/agent", { project_name: "p", prompt: "x".repeat(1024 * 1024 + 1) });
    expect(huge.status).toBe(413);
    expect(await jobCount()).toBe(before);
  });

  it("answers a DELETE of a job that has ended with 204 and changes nothing, as Descript does", async () => {
    const { upstreamJobId } = await submitImport(uniqueName("ended"), { "a.mp4": "https://media.example.com/a.mp4" });
    const finished = await viaJobdeck.waitUntilDone(upstreamJobId);
    await expect(viaJobdeck.cancel(upstreamJobId)).resolves.toBeNull();
    await expect(direct.cancel(upstreamJobId)).resolves.toBeNull();
    expect(await viaJobdeck.getJob(upstreamJobId)).toEqual(finished);
  });

  it("hands a direct upload's signed URL to the client and keeps it out of the timeline", async () => {
    const created = await proxyPost("/jobs/import/project_media", {
      project_name: uniqueName("upload"),
      add_media: { "camera.mp4": { content_type: "video/mp4", file_size: 1024 } },
    });
    expect(created.status).toBe(201);
    const uploadUrls = created.body.upload_urls as Record<string, unknown>;
    expect(Object.keys(uploadUrls)).toEqual(["camera.mp4"]);
    const signed = JSON.stringify(uploadUrls["camera.mp4"]);
    const stored = await withDatabase(async (db) =>
      JSON.stringify((await db.query("SELECT payload FROM job_events WHERE job_id = (SELECT id FROM jobs WHERE upstream_job_id = $1)", [created.body.job_id])).rows),
    );
    expect(stored).toContain("camera.mp4");
    expect(stored).not.toContain(signed.slice(1, -1));
    await viaJobdeck.cancel(created.body.job_id as string);
  });

  it("answers 404 in Descript's shape for a job it does not know", async () => {
    const error = await viaJobdeck.getJob("project-media-import-00000000-0000-4000-8000-000000000000").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DescriptApiError);
    expect((error as DescriptApiError).status).toBe(404);
    expect((error as DescriptApiError).body).toMatchObject({ error: "not_found" });
  });

  it("passes GET /status through to upstream", async () => {
    const response = await appFetch(`/api/v1/status`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ drive_id: expect.any(String) });
  });
});

describe("the proxy's answers against Descript's published OpenAPI", () => {
  it("match the documented schemas for create, get, list and errors", async () => {
    const created = await proxyPost("/jobs/import/project_media", {
      project_name: uniqueName("contract"),
      add_media: { "a.mp4": { url: "https://media.example.com/a.mp4" }, "b.mp4": { url: "https://media.example.com/fail/b.mp4" } },
    });
    assertMatchesContract({ path: "/jobs/import/project_media", method: "post", status: created.status, body: created.body });
    const jobId = created.body.job_id as string;
    const queued = await appFetch(`/api/v1/jobs/${jobId}`);
    assertMatchesContract({ path: "/jobs/{job_id}", method: "get", status: queued.status, body: await queued.json() });
    const finished = await viaJobdeck.waitUntilDone(jobId);
    assertMatchesContract({ path: "/jobs/{job_id}", method: "get", status: 200, body: finished });
    const list = await appFetch(`/api/v1/jobs?limit=3`);
    assertMatchesContract({ path: "/jobs", method: "get", status: list.status, body: await list.json() });
    const agent = await proxyPost("/jobs/agent", { project_id: finished.project_id, prompt: "tighten the intro" });
    assertMatchesContract({ path: "/jobs/agent", method: "post", status: agent.status, body: agent.body });
    await viaJobdeck.waitUntilDone(agent.body.job_id as string);
    const publish = await proxyPost("/jobs/publish", { project_id: finished.project_id, resolution: "1080p" });
    assertMatchesContract({ path: "/jobs/publish", method: "post", status: publish.status, body: publish.body });
    const invalid = await proxyPost("/jobs/agent", { prompt: "x" });
    assertMatchesContract({ path: "/jobs/agent", method: "post", status: invalid.status, body: invalid.body });
    const missing = await appFetch(`/api/v1/jobs/project-media-import-00000000-0000-4000-8000-000000000000`);
    assertMatchesContract({ path: "/jobs/{job_id}", method: "get", status: missing.status, body: await missing.json() });
  });
});
