// Callbacks: body, headers, retries with backoff, the delivery record, and the callback tags.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { MAX_ATTEMPTS, retryDelayMs, type DeliveryAttempt } from "@/lib/sandbox/callbacks";
import { startSandbox, setUpSandboxAndReceiver, waitFor, type CallbackReceiver, type TestSandbox } from "./support/harness";

let sandbox: TestSandbox;
let receiver: CallbackReceiver;
setUpSandboxAndReceiver((started) => ({ sandbox, receiver } = started));

afterEach(() => {
  receiver.answerWith(() => 200);
});

const attemptsFor = async (jobId: string, from: TestSandbox = sandbox) =>
  (await from.control<{ data: DeliveryAttempt[] }>("GET", `callbacks?job_id=${encodeURIComponent(jobId)}`)).body.data;

const waitForAttempts = (jobId: string, count: number, from: TestSandbox = sandbox) =>
  waitFor(async () => {
    const recorded = await attemptsFor(jobId, from);
    return recorded.length >= count ? recorded : undefined;
  }, { description: `${count} recorded attempt(s) for ${jobId}` });

/**
 * Long enough for another retry to have come, were one still scheduled: many times the longest
 * backoff at the harness's speed 1000 (8 ms). Waiting longer can only make the check stricter.
 */
const pastAnyRetry = () => sleep(25 * retryDelayMs(MAX_ATTEMPTS - 1, 1000));

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

  it("retries a receiver that answers non-2xx until it accepts, with the same body each time, then stops", async () => {
    receiver.answerWith((callback, countOnPath) => (callback.path === "/flaky" && countOnPath <= 2 ? 500 : 200));
    const created = await sandbox.createJob("agent", { project_name: "flaky", prompt: "x", callback_url: receiver.url("/flaky") });
    const callbacks = await waitForCallbacks(created.job_id, 3);
    expect(new Set(callbacks.map((callback) => JSON.stringify(callback.body))).size).toBe(1);
    await waitForAttempts(created.job_id, 3);
    await pastAnyRetry();
    expect((await attemptsFor(created.job_id)).map(({ attempt, status }) => [attempt, status])).toEqual([[1, 500], [2, 500], [3, 200]]);
    expect(receiver.forJob(created.job_id)).toHaveLength(3);
  });

  it("backs off exponentially between attempts: 1 s, then 2 s, divided by speed", async () => {
    // A slower sandbox (speed 10: 100 ms, then 200 ms) makes the waits measurable; timers never
    // fire early, so these lower bounds hold under any load.
    const slower = await startSandbox({ speed: 10 });
    try {
      receiver.answerWith((callback, countOnPath) => (callback.path === "/backoff" && countOnPath <= 2 ? 503 : 200));
      const created = await slower.createJob("agent", { project_name: "backoff", prompt: "x", callback_url: receiver.url("/backoff") });
      const attempts = await waitForAttempts(created.job_id, 3, slower);
      const times = attempts.map((attempt) => Date.parse(attempt.attempted_at));
      expect(attempts.map(({ status }) => status)).toEqual([503, 503, 200]);
      expect((times[1] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(95);
      expect((times[2] ?? 0) - (times[1] ?? 0)).toBeGreaterThanOrEqual(195);
      // A fourth attempt would come 400 ms after the third: wait twice that, none comes.
      await sleep(2 * retryDelayMs(3, 10));
      expect(await attemptsFor(created.job_id, slower)).toHaveLength(3);
    } finally {
      await slower.close();
    }
  });

  it("gives up after five attempts when the receiver cannot be reached", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));

    const created = await sandbox.createJob("agent", { project_name: "unreachable", prompt: "x", callback_url: `http://127.0.0.1:${port}/gone` });
    await waitForAttempts(created.job_id, 5);
    await pastAnyRetry();
    const attempts = await attemptsFor(created.job_id);
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
    await waitForAttempts(created.job_id, 3);
    await pastAnyRetry();
    expect((await attemptsFor(created.job_id)).map((attempt) => attempt.copy)).toEqual([1, 2, 3]);
  });

  it("#dup=0 still delivers the callback once: only #drop suppresses it", async () => {
    const created = await sandbox.createJob("agent", { project_name: "zero #dup=0", prompt: "x", callback_url: receiver.url() });
    await waitForAttempts(created.job_id, 1);
    await pastAnyRetry();
    expect(await attemptsFor(created.job_id)).toHaveLength(1);
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

  it("#early holds the answer for the first attempt only: retries and further copies go on in the background", async () => {
    // The first attempt fails at once; every later one is held until the test lets it go. The
    // create answer arriving while they are held shows that it did not wait for them.
    let release = () => {};
    const released = new Promise<number>((resolve) => (release = () => resolve(200)));
    receiver.answerWith((callback, countOnPath) => (callback.path === "/held" && countOnPath > 1 ? released : 500));
    const created = await sandbox.createJob("agent", { project_name: "held #early #dup=2", prompt: "x", callback_url: receiver.url("/held") });
    expect(receiver.forJob(created.job_id).length).toBeGreaterThanOrEqual(1);
    expect((await sandbox.getJob(created.job_id)).body.job_state).toBe("stopped");
    expect((await attemptsFor(created.job_id))[0]).toMatchObject({ copy: 1, attempt: 1, status: 500 });

    release();
    const attempts = await waitFor(async () => {
      const recorded = await attemptsFor(created.job_id);
      return recorded.some((attempt) => attempt.copy === 2 && attempt.status === 200) ? recorded : undefined;
    });
    expect(attempts.map(({ copy, attempt, status }) => [copy, attempt, status])).toEqual([[1, 1, 500], [1, 2, 200], [2, 1, 200]]);
  });

  it("#early with #delay answers at once, the delayed callback left to the background", async () => {
    // An hour's delay: were the answer to wait for the callback, this test would time out.
    const created = await sandbox.createJob("agent", { project_name: "patient #early #delay=3600000", prompt: "x", callback_url: receiver.url() });
    expect((await sandbox.getJob(created.job_id)).body.job_state).toBe("stopped");
  });

  it("#early is ignored while a direct-upload import waits for its bytes", async () => {
    const created = await sandbox.createJob("import/project_media", {
      project_name: "eager #early",
      add_media: { "u.mp4": { content_type: "video/mp4", file_size: 5 } },
      callback_url: receiver.url(),
    });
    const waiting = await sandbox.waitForJob(created.job_id, (job) => job.job_state === "running");
    expect(waiting.progress).toMatchObject({ label: "Waiting for upload", percent: 0 });
    const upload = await fetch(created.upload_urls?.["u.mp4"]?.upload_url ?? "", { method: "PUT", body: "bytes" });
    expect(upload.status).toBe(200);
    expect((await sandbox.waitForStop(created.job_id)).result?.status).toBe("success");
    await waitForCallbacks(created.job_id, 1);
  });

  it("#drop never delivers the callback", async () => {
    const dropped = await sandbox.createJob("agent", { project_name: "silent #drop", prompt: "x", callback_url: receiver.url() });
    await sandbox.waitForStop(dropped.job_id);
    // The sandbox reports the decision when the job stops; nothing is sent after it either.
    await waitFor(() => sandbox.logs.find((line) => line === `callback ${dropped.job_id} dropped (#drop)`), {
      description: "the dropped callback in the log",
    });
    await pastAnyRetry();
    expect(receiver.forJob(dropped.job_id)).toEqual([]);
    expect(await attemptsFor(dropped.job_id)).toEqual([]);
  });
});

describe("delivery bookkeeping", () => {
  it("many concurrent #delay deliveries warn of neither listener leaks nor timer overflow", async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
    process.on("warning", onWarning);
    const own = await startSandbox();
    try {
      const created = [];
      for (let index = 0; index < 25; index += 1) {
        created.push(await own.createJob("agent", { project_name: `waits ${index} #delay=600000`, prompt: "x", callback_url: receiver.url() }));
      }
      // Past setTimeout's 2^31 - 1 ms: read as the one-hour cap, not fired at once.
      created.push(await own.createJob("agent", { project_name: "waits forever #delay=99999999999", prompt: "x", callback_url: receiver.url() }));
      await Promise.all(created.map((job) => own.waitForStop(job.job_id)));
      // Every delivery is now waiting out its delay; warnings are emitted on a later tick.
      await new Promise((resolve) => setImmediate(resolve));
      await sleep(10);
      expect(warnings.filter((warning) => /MaxListenersExceeded|TimeoutOverflow/.test(warning))).toEqual([]);
      expect(created.flatMap((job) => receiver.forJob(job.job_id))).toEqual([]);
    } finally {
      process.off("warning", onWarning);
      await own.close();
    }
  });

  it("forgets the delivery attempts of jobs that retention removed", async () => {
    const own = await startSandbox();
    try {
      const created = await own.createJob("agent", { project_name: "forgotten", prompt: "x", callback_url: receiver.url() });
      await waitForAttempts(created.job_id, 1, own);
      await own.control("POST", "clock", { advance_seconds: 31 * 24 * 60 * 60 });
      // Any API request applies retention.
      expect((await own.getJob(created.job_id)).status).toBe(404);
      expect(await attemptsFor(created.job_id, own)).toEqual([]);
    } finally {
      await own.close();
    }
  });
});
