// close() and the error log: what happens to work in progress when the sandbox stops, and where
// a failure inside a timer goes instead of taking the process down.
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startCallbackReceiver, startSandbox, waitFor } from "./support/harness";

let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;

beforeAll(async () => {
  receiver = await startCallbackReceiver();
});

afterEach(() => {
  receiver.answerWith(() => 200);
});

afterAll(async () => {
  await receiver.close();
});

describe("close()", () => {
  it("lets a request in progress finish; afterwards no callback arrives and no timer fires", async () => {
    // Speed 10: an import without media waits 100 ms in the queue and works 300 ms.
    const sandbox = await startSandbox({ speed: 10 });
    const working = await sandbox.createJob("import/project_media", { project_name: "working", callback_url: receiver.url() });
    await sandbox.createJob("agent", { project_name: "delayed #early #delay=500", prompt: "x", callback_url: receiver.url() });
    // A #early create waits for its first callback attempt, which this receiver never answers.
    receiver.answerWith((callback) => (callback.path === "/never" ? new Promise<number>(() => {}) : 200));
    const held = sandbox.call("POST", "/jobs/agent", { body: { project_name: "held #early", prompt: "x", callback_url: receiver.url("/never") } });
    await waitFor(() => (receiver.received.some((callback) => callback.path === "/never") ? true : undefined), {
      description: "the held callback attempt",
    });

    await sandbox.close();
    expect((await held).status).toBe(201);
    const receivedAtClose = receiver.received.length;
    const linesAtClose = sandbox.logs.length;
    // Past everything that was scheduled at close: the 500 ms #delay and the import's 400 ms.
    await sleep(1000);
    expect(receiver.received.slice(receivedAtClose)).toEqual([]);
    expect(sandbox.logs.slice(linesAtClose)).toEqual([]);
    // The port is closed too: the job can no longer be read at all.
    await expect(sandbox.getJob(working.job_id)).rejects.toThrow();
  });

  it("can be called twice, and closes the port", async () => {
    const sandbox = await startSandbox();
    await Promise.all([sandbox.close(), sandbox.close()]);
    await expect(fetch(`${sandbox.baseUrl}/status`)).rejects.toThrow();
  });
});

describe("the error log", () => {
  it("a throw while a job stops or is cancelled goes to logError, and the sandbox keeps serving", async () => {
    const errors: string[] = [];
    // The log sink itself throws when a job stops: the one user code that runs inside a timer.
    const sandbox = await startSandbox({
      log: (line) => {
        if (line.startsWith("job ")) throw new Error(`log sink refused: ${line}`);
      },
      logError: (line) => errors.push(line),
    });
    try {
      const finished = await sandbox.createJob("agent", { project_name: "finishes", prompt: "x" });
      await sandbox.waitForStop(finished.job_id);
      await waitFor(() => errors.find((line) => line.includes(finished.job_id)), { description: "the reported stop failure" });

      const stalled = await sandbox.createJob("agent", { project_name: "cancelled #stall", prompt: "x" });
      expect((await sandbox.call("DELETE", `/jobs/${stalled.job_id}`)).status).toBe(204);
      await waitFor(() => errors.find((line) => line.includes(stalled.job_id)), { description: "the reported cancel failure" });

      expect(errors.every((line) => line.includes("log sink refused"))).toBe(true);
      expect((await sandbox.call("GET", "/status")).status).toBe(200);
      expect(sandbox.logs.some((line) => line.startsWith("job "))).toBe(true);
    } finally {
      await sandbox.close();
    }
  });

  it("ordinary requests and callbacks report nothing through logError", async () => {
    const sandbox = await startSandbox();
    const created = await sandbox.createJob("agent", { project_name: "quiet", prompt: "x", callback_url: receiver.url() });
    await waitFor(() => (receiver.forJob(created.job_id).length > 0 ? true : undefined));
    expect((await sandbox.call("GET", "/jobs?limit=abc")).status).toBe(400);
    expect(sandbox.logs).toContain("GET /v1/jobs?limit=abc 400");
    expect(sandbox.errors).toEqual([]);
    await sandbox.close();
  });
});
