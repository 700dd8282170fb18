// Callbacks: body, headers, retries with backoff, the delivery record, and the callback tags.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCallbackReceiver, startSandbox, waitFor, type TestSandbox } from "./support/harness";

interface Attempt {
  job_id: string;
  url: string;
  copy: number;
  attempt: number;
  attempted_at: string;
  status?: number;
  error?: string;
  body: unknown;
}

let sandbox: TestSandbox;
let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;

beforeAll(async () => {
  sandbox = await startSandbox();
  receiver = await startCallbackReceiver();
});

afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});

const attemptsFor = async (jobId: string) =>
  (await sandbox.control<{ data: Attempt[] }>("GET", `callbacks?job_id=${encodeURIComponent(jobId)}`)).body.data;

const waitForCallbacks = (jobId: string, count: number) =>
  waitFor(() => {
    const callbacks = receiver.forJob(jobId);
    return callbacks.length >= count ? callbacks : undefined;
  }, { description: `${count} callback(s) for ${jobId}` });

describe("delivery", () => {
  it("POSTs a body identical to GET /jobs/{id} as JSON, without an authorization header", async () => {
    const created = await sandbox.createJob("agent", { project_name: "plain", prompt: "x", callback_url: receiver.url("/plain") });
    const [callback] = await waitForCallbacks(created.job_id, 1);
    expect(callback?.body).toEqual((await sandbox.getJob(created.job_id)).body);
    expect(callback?.body.job_state).toBe("stopped");
    expect(callback?.headers["content-type"]).toBe("application/json");
    expect(callback?.headers).not.toHaveProperty("authorization");
    expect(callback?.path).toBe("/plain");
  });

  it("records every delivery attempt for the control API, filtered by job", async () => {
    const created = await sandbox.createJob("import/project_media", { project_name: "recorded", callback_url: receiver.url() });
    await waitForCallbacks(created.job_id, 1);
    const attempts = await waitFor(async () => ((await attemptsFor(created.job_id)).length > 0 ? attemptsFor(created.job_id) : undefined));
    expect(attempts).toEqual([
      {
        job_id: created.job_id,
        url: receiver.url(),
        copy: 1,
        attempt: 1,
        attempted_at: expect.any(String),
        status: 200,
        body: receiver.forJob(created.job_id)[0]?.body,
      },
    ]);
  });

  it("retries a receiver that answers non-2xx until it accepts, with the same body each time", async () => {
    receiver.answerWith((callback, countOnPath) => (callback.path === "/flaky" && countOnPath <= 2 ? 500 : 200));
    const created = await sandbox.createJob("agent", { project_name: "flaky", prompt: "x", callback_url: receiver.url("/flaky") });
    const callbacks = await waitForCallbacks(created.job_id, 3);
    expect(new Set(callbacks.map((callback) => JSON.stringify(callback.body))).size).toBe(1);
    const attempts = await waitFor(async () => {
      const recorded = await attemptsFor(created.job_id);
      return recorded.length === 3 ? recorded : undefined;
    });
    expect(attempts.map(({ attempt, status }) => [attempt, status])).toEqual([[1, 500], [2, 500], [3, 200]]);
    receiver.answerWith(() => 200);
  });

  it("backs off exponentially between attempts: 1 s, then 2 s, divided by speed", async () => {
    // A slower sandbox (speed 10: 100 ms, then 200 ms) makes the waits measurable; timers never
    // fire early, so these lower bounds hold under any load.
    const slower = await startSandbox({ speed: 10 });
    try {
      receiver.answerWith((callback, countOnPath) => (callback.path === "/backoff" && countOnPath <= 2 ? 503 : 200));
      const created = await slower.createJob("agent", { project_name: "backoff #early", prompt: "x", callback_url: receiver.url("/backoff") });
      const attempts = (await slower.control<{ data: Attempt[] }>("GET", `callbacks?job_id=${created.job_id}`)).body.data;
      const times = attempts.map((attempt) => Date.parse(attempt.attempted_at));
      expect(attempts.map(({ status }) => status)).toEqual([503, 503, 200]);
      expect((times[1] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(95);
      expect((times[2] ?? 0) - (times[1] ?? 0)).toBeGreaterThanOrEqual(195);
    } finally {
      receiver.answerWith(() => 200);
      await slower.close();
    }
  });

  it("gives up after five attempts when the receiver cannot be reached", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));

    const created = await sandbox.createJob("agent", { project_name: "unreachable", prompt: "x", callback_url: `http://127.0.0.1:${port}/gone` });
    const attempts = await waitFor(async () => {
      const recorded = await attemptsFor(created.job_id);
      return recorded.length === 5 ? recorded : undefined;
    });
    expect(attempts.map((attempt) => attempt.attempt)).toEqual([1, 2, 3, 4, 5]);
    expect(attempts.every((attempt) => attempt.status === undefined && typeof attempt.error === "string")).toBe(true);
  });

  it("a cancelled job calls back too, with job_state cancelled", async () => {
    const created = await sandbox.createJob("agent", { project_name: "cancelled #stall", prompt: "x", callback_url: receiver.url() });
    await sandbox.call("DELETE", `/jobs/${created.job_id}`);
    const [callback] = await waitForCallbacks(created.job_id, 1);
    expect(callback?.body).toEqual((await sandbox.getJob(created.job_id)).body);
    expect(callback?.body.job_state).toBe("cancelled");
  });
});

describe("callback tags", () => {
  it("#dup=3 delivers the same callback three times", async () => {
    const created = await sandbox.createJob("agent", { project_name: "echo #dup=3", prompt: "x", callback_url: receiver.url() });
    const callbacks = await waitForCallbacks(created.job_id, 3);
    expect(callbacks.map((callback) => callback.body)).toEqual(Array(3).fill(callbacks[0]?.body));
    const attempts = await waitFor(async () => {
      const recorded = await attemptsFor(created.job_id);
      return recorded.length === 3 ? recorded : undefined;
    });
    expect(attempts.map((attempt) => attempt.copy)).toEqual([1, 2, 3]);
  });

  it("#delay=MS delivers the callback no sooner than MS real milliseconds after the job stopped", async () => {
    const created = await sandbox.createJob("agent", { project_name: "later #delay=300", prompt: "x", callback_url: receiver.url() });
    const [callback] = await waitForCallbacks(created.job_id, 1);
    const [attempt] = await attemptsFor(created.job_id);
    const waitedMs = Date.parse(attempt?.attempted_at ?? "") - Date.parse(callback?.body.stopped_at ?? "");
    // Timers never fire early by more than a clock tick, whatever the load.
    expect(waitedMs).toBeGreaterThanOrEqual(290);
  });

  it("#early stops the job and delivers its callback before the create request is answered", async () => {
    const created = await sandbox.createJob("import/project_media", {
      project_name: "hurry #early",
      add_media: { "a.mp4": { url: "https://m.example.com/a.mp4" } },
      callback_url: receiver.url(),
    });
    // No waiting: the callback is already here when the 201 arrives.
    expect(receiver.forJob(created.job_id)).toHaveLength(1);
    expect(receiver.forJob(created.job_id)[0]?.body.job_state).toBe("stopped");
    expect((await sandbox.getJob(created.job_id)).body.job_state).toBe("stopped");
  });

  it("#drop never delivers the callback", async () => {
    const dropped = await sandbox.createJob("agent", { project_name: "silent #drop", prompt: "x", callback_url: receiver.url() });
    await sandbox.waitForStop(dropped.job_id);
    // A later job's callback arrives; the dropped one, due earlier, never does.
    const later = await sandbox.createJob("agent", { project_name: "loud", prompt: "x", callback_url: receiver.url() });
    await waitForCallbacks(later.job_id, 1);
    expect(receiver.forJob(dropped.job_id)).toEqual([]);
    expect(await attemptsFor(dropped.job_id)).toEqual([]);
  });
});
