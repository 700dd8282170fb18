// Every sandbox response body, success and error, for every endpoint, against Descript's OpenAPI.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { startSandbox, setUpSandboxAndReceiver, waitFor, type CallbackReceiver, type JobBody, type TestSandbox } from "./support/harness";
import { assertJobMatchesContract, assertMatchesContract } from "../../support/openapi-contract";

let sandbox: TestSandbox;
let receiver: CallbackReceiver;
setUpSandboxAndReceiver((started) => ({ sandbox, receiver } = started));

/** Calls the sandbox and checks the answer against the contract entry for (path, method, status). */
async function expectContract(options: {
  method: string;
  path: string;
  contractPath: string;
  status: number;
  body?: unknown;
  rawBody?: string;
  token?: string | null;
}) {
  const answer = await sandbox.call(options.method, options.path, { body: options.body, rawBody: options.rawBody, token: options.token });
  expect(answer.status, answer.text).toBe(options.status);
  assertMatchesContract({ path: options.contractPath, method: options.method, status: options.status, body: answer.body ?? answer.text });
  return answer;
}

describe("job-creating endpoints", () => {
  it("answer the documented 201 for an import with URL, direct-upload and multitrack media", async () => {
    const answer = await expectContract({
      method: "POST",
      path: "/jobs/import/project_media",
      contractPath: "/jobs/import/project_media",
      status: 201,
      body: {
        project_name: "contract import",
        add_media: {
          "Misc/intro.mp4": { url: "https://media.example.com/intro.mp4", language: "en" },
          "recording.mp4": { content_type: "video/mp4", file_size: 1024 },
          "Multicam": { tracks: [{ media: "Misc/intro.mp4", offset: 0.5 }] },
        },
        add_compositions: [{ name: "Rough Cut", clips: [{ media: "Misc/intro.mp4" }] }],
      },
    });
    expect(Object.keys((answer.body as { upload_urls: object }).upload_urls)).toEqual(["recording.mp4"]);
  });

  it("answer the documented 201 for an agent job and a publish job", async () => {
    const agent = await expectContract({
      method: "POST",
      path: "/jobs/agent",
      contractPath: "/jobs/agent",
      status: 201,
      body: { project_name: "contract agent", prompt: "add studio sound" },
    });
    await sandbox.waitForStop(agent.body.job_id as string);
    await expectContract({
      method: "POST",
      path: "/jobs/publish",
      contractPath: "/jobs/publish",
      status: 201,
      body: { project_id: agent.body.project_id, media_type: "Video", resolution: "1080p", access_level: "unlisted" },
    });
  });

  it.each(["/jobs/import/project_media", "/jobs/agent", "/jobs/publish"])("%s answers the documented 400, 401, 404 and 429", async (path) => {
    const unknownProject = { project_id: randomUUID(), ...(path === "/jobs/agent" && { prompt: "trim" }) };
    await expectContract({ method: "POST", path, contractPath: path, status: 400, body: { fps: 30 } });
    await expectContract({ method: "POST", path, contractPath: path, status: 401, body: unknownProject, token: "wrong" });
    await expectContract({ method: "POST", path, contractPath: path, status: 404, body: unknownProject });

    const busy = await sandbox.createJob("import/project_media", { project_name: "busy #stall" });
    const onBusyProject = { ...unknownProject, project_id: busy.project_id };
    const refused = await expectContract({ method: "POST", path, contractPath: path, status: 429, body: onBusyProject });
    expect(refused.body).toEqual({ error: "rate_limit_exceeded", message: "A job is already running for this project" });
    await sandbox.call("DELETE", `/jobs/${busy.job_id}`);
  });
});

describe("job reads", () => {
  it("return jobs of every type and state that match the documented job object", async () => {
    const projectId = await sandbox.createIdleProject("contract reads");
    const created = [
      await sandbox.createJob("import/project_media", { project_name: "ok", add_media: { "a.mp4": { url: "https://m.example.com/a.mp4" } } }),
      await sandbox.createJob("import/project_media", {
        project_name: "partial",
        add_media: { "a.mp4": { url: "https://m.example.com/a.mp4" }, "b.mp4": { url: "https://m.example.com/fail/b.mp4" } },
      }),
      await sandbox.createJob("import/project_media", { project_name: "broken #error" }),
      await sandbox.createJob("import/project_media", { project_name: "waiting", add_media: { "u.mp4": { content_type: "video/mp4", file_size: 9 } } }),
      await sandbox.createJob("agent", { project_name: "agent ok", prompt: "remove filler words" }),
      await sandbox.createJob("agent", { project_name: "agent broken", prompt: "#error please" }),
      await sandbox.createJob("agent", { project_name: "agent stalled", prompt: "#stall forever" }),
      await sandbox.createJob("publish", { project_id: projectId, media_type: "Audio" }),
    ];
    const cancelled = await sandbox.createJob("agent", { project_name: "agent cancelled", prompt: "#stall then cancel" });
    await sandbox.call("DELETE", `/jobs/${cancelled.job_id}`);

    const settled = await Promise.all(
      created.map((job) => sandbox.waitForJob(job.job_id, (body) => body.job_state === "stopped" || body.progress !== undefined)),
    );
    expect(new Set(settled.map((job) => job.result?.status ?? job.job_state))).toEqual(new Set(["success", "partial", "error", "running"]));
    for (const job of [...created, cancelled]) {
      await expectContract({ method: "GET", path: `/jobs/${job.job_id}`, contractPath: "/jobs/{job_id}", status: 200 });
    }
    const list = await expectContract({ method: "GET", path: "/jobs?limit=100", contractPath: "/jobs", status: 200 });
    expect((list.body.data as JobBody[]).length).toBeGreaterThanOrEqual(created.length + 1);
    const page = await expectContract({ method: "GET", path: "/jobs?limit=1", contractPath: "/jobs", status: 200 });
    expect(page.body.pagination).toHaveProperty("next_cursor");
  });

  it("a queued job matches the documented job object", async () => {
    // At speed 0.01 a job waits 100 s in the queue, longer than the test may run: it is still
    // queued when read, however slow the machine.
    const patient = await startSandbox({ speed: 0.01 });
    try {
      const created = await patient.createJob("agent", { project_name: "queued", prompt: "just created" });
      const answer = await patient.getJob(created.job_id);
      expect(answer.body.job_state).toBe("queued");
      assertJobMatchesContract(answer.body);
    } finally {
      await patient.close();
    }
  });

  it("callbacks carry a body that matches the documented job object", async () => {
    const created = await sandbox.createJob("agent", { project_name: "called back", prompt: "hi", callback_url: receiver.url() });
    const [callback] = await waitFor(() => (receiver.forJob(created.job_id).length > 0 ? receiver.forJob(created.job_id) : undefined));
    assertJobMatchesContract(callback?.body);
  });

  it("GET /jobs answers the documented 400 and 401", async () => {
    await expectContract({ method: "GET", path: "/jobs?project_id=not-a-uuid", contractPath: "/jobs", status: 400 });
    await expectContract({ method: "GET", path: "/jobs?limit=101", contractPath: "/jobs", status: 400 });
    await expectContract({ method: "GET", path: "/jobs", contractPath: "/jobs", status: 401, token: null });
  });

  it("GET and DELETE /jobs/{job_id} answer the documented 401, 404 and 204", async () => {
    const missing = `/jobs/project-media-import-${randomUUID()}`;
    for (const method of ["GET", "DELETE"]) {
      await expectContract({ method, path: missing, contractPath: "/jobs/{job_id}", status: 404 });
      await expectContract({ method, path: missing, contractPath: "/jobs/{job_id}", status: 401, token: "wrong" });
    }
    const created = await sandbox.createJob("agent", { project_name: "to cancel", prompt: "#stall" });
    await expectContract({ method: "DELETE", path: `/jobs/${created.job_id}`, contractPath: "/jobs/{job_id}", status: 204 });
  });

  it("GET /status answers the live status body, the documented 401 and a whitelisted 429", async () => {
    await expectContract({ method: "GET", path: "/status", contractPath: "/status", status: 200 });
    await expectContract({ method: "GET", path: "/status", contractPath: "/status", status: 401, token: "wrong" });
    await sandbox.control("POST", "faults", { status: 429, count: 1, retry_after: 2 });
    await expectContract({ method: "GET", path: "/status", contractPath: "/status", status: 429 });
  });

  it("a rate-limited read answers the documented 429", async () => {
    await sandbox.control("POST", "faults", { status: 429, count: 1, retry_after: 2 });
    await expectContract({ method: "GET", path: "/jobs", contractPath: "/jobs", status: 429 });
  });
});

describe("the contract check itself", () => {
  const validJob = {
    job_id: `project-agent-edit-${randomUUID()}-${randomUUID()}`,
    job_type: "agent",
    job_state: "stopped",
    created_at: "2026-01-01T10:00:00.000Z",
    stopped_at: "2026-01-01T10:01:00.000Z",
    drive_id: randomUUID(),
    project_id: randomUUID(),
    project_url: "https://web.descript.com/x",
    result: { status: "success", agent_response: "done", project_changed: true },
  };

  it("accepts a well-formed job object", () => {
    expect(() => assertJobMatchesContract(validJob)).not.toThrow();
  });

  it("rejects a job without a required field, with a bad enum value or with a job id in neither format", () => {
    const { project_url: _omitted, ...withoutUrl } = validJob;
    expect(() => assertJobMatchesContract(withoutUrl)).toThrow(/project_url/);
    expect(() => assertJobMatchesContract({ ...validJob, job_state: "failed" })).toThrow();
    expect(() => assertJobMatchesContract({ ...validJob, job_id: "job-1" })).toThrow(/job_id/);
    expect(() => assertJobMatchesContract({ ...validJob, result: { status: "success" } })).toThrow();
  });

  it("rejects an error body without a message and a 204 with a body", () => {
    expect(() => assertMatchesContract({ path: "/jobs", method: "get", status: 400, body: { error: "invalid_input" } })).toThrow();
    expect(() => assertMatchesContract({ path: "/jobs/{job_id}", method: "delete", status: 204, body: "{}" })).toThrow();
  });

  it("accepts an undocumented error status only where it is whitelisted", () => {
    const notFound = { error: "not_found", message: "Project not found" };
    expect(() => assertMatchesContract({ path: "/jobs/publish", method: "post", status: 404, body: notFound })).not.toThrow();
    expect(() => assertMatchesContract({ path: "/jobs", method: "get", status: 404, body: notFound })).toThrow(/documents no 404/);
    expect(() => assertMatchesContract({ path: "/jobs/agent", method: "post", status: 403, body: { error: "forbidden", message: "no" } })).toThrow(
      /documents no 403/,
    );
  });
});
