// Deterministic scenarios chosen by the request body: media URL markers and tags.
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { startSandbox, setUpSandboxAndReceiver, waitFor, type CallbackReceiver, type JobBody, type TestSandbox } from "./support/harness";

let sandbox: TestSandbox;
let receiver: CallbackReceiver;
setUpSandboxAndReceiver((started) => ({ sandbox, receiver } = started));

/** The job's callback, which must say exactly what GET /jobs/{id} says once it stopped. */
async function expectCallbackMatchesJob(job: JobBody) {
  const [callback] = await waitFor(() => {
    const callbacks = receiver.forJob(job.job_id);
    return callbacks.length > 0 ? callbacks : undefined;
  });
  expect(callback?.body).toEqual(job);
}

const media = (path: string) => ({ url: `https://media.example.com${path}` });

describe("media URL markers", () => {
  it("a /fail/ file fails on its own and the import ends partial", async () => {
    const created = await sandbox.createJob("import/project_media", {
      project_name: "partial",
      add_media: { "good.mp4": media("/good.mp4"), "bad.mp4": media("/fail/bad.mp4") },
      callback_url: receiver.url(),
    });
    const job = await sandbox.waitForStop(created.job_id);
    expect(job.result).toMatchObject({
      status: "partial",
      media_status: {
        "good.mp4": { status: "success", duration_seconds: expect.any(Number) },
        "bad.mp4": { status: "failed", error_message: expect.any(String) },
      },
    });
    const goodSeconds = (job.result?.media_status as Record<string, { duration_seconds: number }>)["good.mp4"]?.duration_seconds ?? 0;
    expect(job.result?.media_seconds_used).toBe(Math.ceil(goodSeconds));
    await expectCallbackMatchesJob(job);
  });

  it("when every file is /fail/ the import ends in error", async () => {
    const created = await sandbox.createJob("import/project_media", {
      project_name: "all failed",
      add_media: { "a.mp4": media("/fail/a.mp4"), "b.mp4": media("/x/fail/b.mp4") },
    });
    const job = await sandbox.waitForStop(created.job_id);
    expect(job.result).toEqual({ status: "error", error_message: expect.any(String) });
  });

  it("a /slow/ file makes an import work ten times longer per file than a normal one", async () => {
    // Both imports run side by side at speed 1 (a normal one-file import works 5.5 s); both are
    // then aged by exactly that much on the sandbox clock and read in one snapshot. Progress comes
    // from the clock, so the normal import is done working (99 %, or stopped) while the slow one,
    // planned at 28 s, is far from it. A slow machine only raises both, never the slow one alone.
    const realTime = await startSandbox({ speed: 1 });
    try {
      const normal = await realTime.createJob("import/project_media", { project_name: "normal", add_media: { "n.mp4": media("/n.mp4") } });
      const slow = await realTime.createJob("import/project_media", { project_name: "slow", add_media: { "s.mp4": media("/slow/s.mp4") } });
      await realTime.waitForJob(normal.job_id, (job) => job.job_state !== "queued");
      await realTime.waitForJob(slow.job_id, (job) => job.job_state !== "queued");
      await realTime.control("POST", "clock", { advance_seconds: 5.5 });
      const snapshot = (await realTime.call<{ data: JobBody[] }>("GET", "/jobs?type=import/project_media")).body.data;
      const normalNow = snapshot.find((job) => job.job_id === normal.job_id);
      const slowNow = snapshot.find((job) => job.job_id === slow.job_id);
      expect(normalNow?.job_state === "stopped" || normalNow?.progress?.percent === 99, JSON.stringify(normalNow)).toBe(true);
      expect(slowNow?.job_state).toBe("running");
      expect(slowNow?.progress?.percent).toBeLessThan(99);
    } finally {
      await realTime.close();
    }
  });

  it("a /norange/ URL is refused at submit with 400 and no job is created", async () => {
    const newestJobId = async () => (await sandbox.call<{ data: JobBody[] }>("GET", "/jobs?limit=1")).body.data[0]?.job_id;
    await sandbox.createJob("agent", { project_name: "before the refusal", prompt: "x" });
    const before = await newestJobId();
    const answer = await sandbox.call("POST", "/jobs/import/project_media", {
      body: { project_name: "no range", add_media: { "n.mp4": media("/norange/n.mp4"), "ok.mp4": media("/ok.mp4") } },
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ error: "invalid_input", message: expect.stringMatching(/does not support Range requests/) });
    expect(await newestJobId()).toBe(before);
  });
});

describe("tags", () => {
  it("#error in project_name ends an import in error", async () => {
    const created = await sandbox.createJob("import/project_media", {
      project_name: "demo #error",
      add_media: { "a.mp4": media("/a.mp4") },
      callback_url: receiver.url(),
    });
    const job = await sandbox.waitForStop(created.job_id);
    expect(job.result).toEqual({ status: "error", error_message: expect.any(String) });
    await expectCallbackMatchesJob(job);
  });

  it("#error in a media reference key ends an import in error", async () => {
    const created = await sandbox.createJob("import/project_media", { project_name: "demo", add_media: { "clip #error.mp4": media("/a.mp4") } });
    expect((await sandbox.waitForStop(created.job_id)).result?.status).toBe("error");
  });

  it("#error in a prompt ends an agent job in error", async () => {
    const created = await sandbox.createJob("agent", { project_name: "agent", prompt: "make it pop #error" });
    expect((await sandbox.waitForStop(created.job_id)).result).toEqual({ status: "error", error_message: expect.any(String) });
  });

  it("#stall keeps a job running with frozen progress until it is cancelled", async () => {
    const created = await sandbox.createJob("agent", { project_name: "stuck #stall", prompt: "x" });
    await sandbox.waitForJob(created.job_id, (job) => job.job_state === "running");
    // A whole import (at least 4 ms of timers) outlasts the point where the stalled work freezes
    // (30 % of its 9 ms); from then on its progress never changes, however long we wait.
    await sandbox.createIdleProject("meanwhile 1");
    const frozen = (await sandbox.getJob(created.job_id)).body;
    await sandbox.createIdleProject("meanwhile 2");
    const later = (await sandbox.getJob(created.job_id)).body;
    expect(later.job_state).toBe("running");
    expect(frozen.progress?.percent).toBeLessThan(100);
    expect(later.progress).toEqual(frozen.progress);
    await sandbox.call("DELETE", `/jobs/${created.job_id}`);
    expect((await sandbox.getJob(created.job_id)).body.job_state).toBe("cancelled");
  });

  it("#nochange makes an agent job succeed without changing the project", async () => {
    const created = await sandbox.createJob("agent", { project_name: "calm", prompt: "remove filler words #nochange", callback_url: receiver.url() });
    const job = await sandbox.waitForStop(created.job_id);
    expect(job.result).toMatchObject({ status: "success", project_changed: false, agent_response: expect.any(String) });
    await expectCallbackMatchesJob(job);
  });

  it("an agent job without tags changes the project", async () => {
    const created = await sandbox.createJob("agent", { project_name: "busy bee", prompt: "remove filler words" });
    expect((await sandbox.waitForStop(created.job_id)).result).toMatchObject({ status: "success", project_changed: true });
  });

  it("a publish reads its tags from the name its project was created with", async () => {
    const erring = await sandbox.createJob("import/project_media", { project_name: "doomed #error" });
    await sandbox.waitForStop(erring.job_id);
    const failed = await sandbox.createJob("publish", { project_id: erring.project_id, callback_url: receiver.url() });
    const job = await sandbox.waitForStop(failed.job_id);
    expect(job.result).toEqual({ status: "error", error_message: expect.any(String) });
    await expectCallbackMatchesJob(job);

    const echoing = await sandbox.createIdleProject("echo #dup=2");
    const echoed = await sandbox.createJob("publish", { project_id: echoing, callback_url: receiver.url() });
    expect((await sandbox.waitForStop(echoed.job_id)).result?.status).toBe("success");
    await waitFor(() => (receiver.forJob(echoed.job_id).length >= 2 ? true : undefined));
  });

  it("a publish on a project named with #stall keeps running until it is cancelled", async () => {
    const stalled = await sandbox.createJob("import/project_media", { project_name: "frozen #stall" });
    await sandbox.call("DELETE", `/jobs/${stalled.job_id}`);
    const publish = await sandbox.createJob("publish", { project_id: stalled.project_id });
    await sandbox.waitForJob(publish.job_id, (job) => job.job_state === "running");
    // Many times a publish's whole work at speed 1000 (8 ms); a publish that was not held would have stopped.
    await sleep(100);
    expect((await sandbox.getJob(publish.job_id)).body.job_state).toBe("running");
    expect((await sandbox.call("DELETE", `/jobs/${publish.job_id}`)).status).toBe(204);
  });
});
