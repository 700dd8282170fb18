// Jobs over HTTP: creation answers, lifecycle, results per type, cancellation, one active job per
// project and direct uploads.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type TestSandbox } from "./support/harness";

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

let sandbox: TestSandbox;

beforeAll(async () => {
  sandbox = await startSandbox();
});

afterAll(async () => {
  await sandbox.close();
});

describe("creating jobs", () => {
  it("an import with project_name creates a new project and answers the live id format at once", async () => {
    const created = await sandbox.createJob("import/project_media", { project_name: "new project" });
    expect(created.job_id).toMatch(new RegExp(`^project-media-import-${UUID}$`));
    expect(created.project_id).toMatch(new RegExp(`^${UUID}$`));
    expect(created.project_url).toBe(`https://web.descript.com/${created.project_id}`);
    expect(created).toMatchObject({ drive_id: expect.any(String), drive_name: "Sandbox Drive" });
    expect(created).not.toHaveProperty("upload_urls");
  });

  it("agent and publish job ids embed the project id", async () => {
    const agent = await sandbox.createJob("agent", { project_name: "agent ids", prompt: "tidy up" });
    expect(agent.job_id).toMatch(new RegExp(`^project-agent-edit-${agent.project_id}-${UUID}$`));
    await sandbox.waitForStop(agent.job_id);
    const publish = await sandbox.createJob("publish", { project_id: agent.project_id });
    expect(publish.job_id).toMatch(new RegExp(`^project-media-publish-${agent.project_id}-${UUID}$`));
  });

  it("an import into an unknown project answers 404 and creates nothing", async () => {
    const answer = await sandbox.call("POST", "/jobs/import/project_media", {
      body: { project_id: "1b4e28ba-2fa1-41d2-883f-0016d3cca427" },
    });
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({ error: "not_found", message: "Project not found" });
  });
});

describe("the lifecycle", () => {
  it("an import runs to stopped with a success result per file and no progress afterwards", async () => {
    const created = await sandbox.createJob("import/project_media", {
      project_name: "lifecycle",
      add_media: { "Misc/intro.mp4": { url: "https://m.example.com/intro.mp4" }, "demo.mp4": { url: "https://m.example.com/demo.mp4" } },
      add_compositions: [{ name: "Rough Cut", clips: [{ media: "demo.mp4" }] }],
    });
    const job = await sandbox.waitForStop(created.job_id);
    expect(job).toMatchObject({ job_type: "import/project_media", project_id: created.project_id, stopped_at: expect.any(String) });
    expect(job).not.toHaveProperty("progress");
    expect(Date.parse(job.stopped_at ?? "")).toBeGreaterThanOrEqual(Date.parse(job.created_at));
    const result = job.result as { status: string; media_status: Record<string, { status: string; duration_seconds: number }>; media_seconds_used: number; created_compositions: { name: string }[] };
    expect(result.status).toBe("success");
    expect(Object.keys(result.media_status).sort()).toEqual(["Misc/intro.mp4", "demo.mp4"]);
    const seconds = Object.values(result.media_status).reduce((sum, status) => sum + status.duration_seconds, 0);
    expect(result.media_seconds_used).toBe(Math.ceil(seconds));
    expect(result.created_compositions).toEqual([{ id: expect.any(String), name: "Rough Cut" }]);
  });

  it("a job passes through running, where it reports progress, before it stops", async () => {
    // #stall keeps it running, so the running state is observable without racing the timers.
    const created = await sandbox.createJob("agent", { project_name: "observable #stall", prompt: "watch me" });
    const running = await sandbox.waitForJob(created.job_id, (job) => job.job_state === "running");
    expect(running.progress).toEqual({ label: expect.any(String), percent: expect.any(Number), last_update_at: expect.any(String) });
    expect(running).not.toHaveProperty("result");
    expect(running).not.toHaveProperty("stopped_at");
    await sandbox.call("DELETE", `/jobs/${created.job_id}`);
  });

  it("an agent job reports its response, the resolved model and the conversation", async () => {
    const created = await sandbox.createJob("agent", {
      project_name: "agent result",
      prompt: "add studio sound",
      model: "some-model",
      conversation_id: "conversation-7",
    });
    expect(created).toMatchObject({ resolved_model: "some-model", conversation_id: "conversation-7" });
    const job = await sandbox.waitForStop(created.job_id);
    expect(job.result).toMatchObject({
      status: "success",
      agent_response: expect.any(String),
      project_changed: true,
      resolved_model: "some-model",
      conversation_id: "conversation-7",
    });
  });

  it("an agent job with the default model answers the model it resolved and a new conversation", async () => {
    const created = await sandbox.createJob("agent", { project_name: "auto model", prompt: "go" });
    expect(created.resolved_model).toEqual(expect.any(String));
    expect(created.resolved_model).not.toBe("auto");
    expect(created.conversation_id).toEqual(expect.any(String));
  });

  it("publishing the same composition twice reuses the share URL", async () => {
    const projectId = await sandbox.createIdleProject("publish twice");
    const first = await sandbox.waitForStop((await sandbox.createJob("publish", { project_id: projectId })).job_id);
    const second = await sandbox.waitForStop((await sandbox.createJob("publish", { project_id: projectId })).job_id);
    expect(first.result).toMatchObject({ status: "success", media_type: "Video", share_url: expect.stringMatching(/^https:\/\//) });
    expect(second.result?.share_url).toBe(first.result?.share_url);
    const audio = await sandbox.waitForStop((await sandbox.createJob("publish", { project_id: projectId, media_type: "Audio" })).job_id);
    expect(audio.result?.share_url).not.toBe(first.result?.share_url);
  });
});

describe("one active job per project", () => {
  it("refuses a second job on a busy project with 429 and Retry-After, and accepts one once it stopped", async () => {
    const busy = await sandbox.createJob("import/project_media", { project_name: "busy #stall" });
    for (const [path, body] of [
      ["/jobs/import/project_media", { project_id: busy.project_id }],
      ["/jobs/agent", { project_id: busy.project_id, prompt: "x" }],
      ["/jobs/publish", { project_id: busy.project_id }],
    ] as const) {
      const refused = await sandbox.call("POST", path, { body });
      expect(refused.status).toBe(429);
      expect(refused.body).toEqual({ error: "rate_limit_exceeded", message: "A job is already running for this project" });
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    }
    expect((await sandbox.call("DELETE", `/jobs/${busy.job_id}`)).status).toBe(204);
    const next = await sandbox.call("POST", "/jobs/agent", { body: { project_id: busy.project_id, prompt: "now" } });
    expect(next.status).toBe(201);
  });

  it("jobs on different projects run side by side", async () => {
    const first = await sandbox.createJob("agent", { project_name: "one #stall", prompt: "a" });
    const second = await sandbox.call("POST", "/jobs/agent", { body: { project_name: "two", prompt: "b" } });
    expect(second.status).toBe(201);
    await sandbox.call("DELETE", `/jobs/${first.job_id}`);
  });
});

describe("cancellation", () => {
  it("DELETE answers 204 with no body and the job reads cancelled with stopped_at", async () => {
    const created = await sandbox.createJob("import/project_media", { project_name: "cancel me #stall" });
    await sandbox.waitForJob(created.job_id, (job) => job.job_state === "running");
    const answer = await sandbox.call("DELETE", `/jobs/${created.job_id}`);
    expect(answer.status).toBe(204);
    expect(answer.text).toBe("");
    const job = (await sandbox.getJob(created.job_id)).body;
    expect(job.job_state).toBe("cancelled");
    expect(job.stopped_at).toEqual(expect.any(String));
    expect(job).not.toHaveProperty("progress");
    expect(job).not.toHaveProperty("result");
  });

  it("a cancelled job stays cancelled after the time it would have needed to finish", async () => {
    const created = await sandbox.createJob("import/project_media", {
      project_name: "cancelled for good",
      add_media: { "a.mp4": { content_type: "video/mp4", file_size: 1 } },
    });
    await sandbox.call("DELETE", `/jobs/${created.job_id}`);
    const ticket = created.upload_urls?.["a.mp4"]?.upload_url ?? "";
    expect((await fetch(ticket, { method: "PUT", body: "x" })).status).toBe(200);
    // A whole import on another project starts and stops meanwhile.
    await sandbox.createIdleProject("time passes");
    expect((await sandbox.getJob(created.job_id)).body.job_state).toBe("cancelled");
  });

  it("cancelling a job that already stopped answers 204 and leaves it stopped", async () => {
    const created = await sandbox.createJob("agent", { project_name: "too late", prompt: "x" });
    const stopped = await sandbox.waitForStop(created.job_id);
    expect((await sandbox.call("DELETE", `/jobs/${created.job_id}`)).status).toBe(204);
    expect((await sandbox.getJob(created.job_id)).body).toEqual(stopped);
  });
});

describe("direct upload", () => {
  it("an import waits, running, until its bytes are PUT to the signed upload URL, then succeeds", async () => {
    const created = await sandbox.createJob("import/project_media", {
      project_name: "upload",
      add_media: { "recording.mp4": { content_type: "video/mp4", file_size: 11 }, "intro.mp4": { url: "https://m.example.com/intro.mp4" } },
    });
    const ticket = created.upload_urls?.["recording.mp4"];
    expect(Object.keys(created.upload_urls ?? {})).toEqual(["recording.mp4"]);
    expect(ticket).toEqual({ upload_url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/uploads\//), asset_id: expect.any(String), artifact_id: expect.any(String) });

    const waiting = await sandbox.waitForJob(created.job_id, (job) => job.job_state === "running");
    expect(waiting.progress).toMatchObject({ label: "Waiting for upload", percent: 0 });
    // The project stays blocked while the bytes are missing.
    expect((await sandbox.call("POST", "/jobs/agent", { body: { project_id: created.project_id, prompt: "x" } })).status).toBe(429);

    const forged = await fetch(`${ticket?.upload_url ?? ""}0`, { method: "PUT", body: "hello world" });
    expect(forged.status).toBe(403);
    expect((await sandbox.getJob(created.job_id)).body.job_state).toBe("running");

    const upload = await fetch(ticket?.upload_url ?? "", {
      method: "PUT",
      headers: { "content-type": "application/octet-stream" },
      body: "hello world",
    });
    expect(upload.status).toBe(200);
    const job = await sandbox.waitForStop(created.job_id);
    expect(job.result).toMatchObject({ status: "success", media_status: { "recording.mp4": { status: "success" }, "intro.mp4": { status: "success" } } });
  });
});
