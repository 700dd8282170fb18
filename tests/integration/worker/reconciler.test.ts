// The reconciler inside the running app: every case where a callback does not settle a job.
// Jobs are read from the database, not the console API, whose detail view would bring polls forward.
import { describe, expect, it } from "vitest";
import type { JobListPage } from "@/lib/jobs/api-types";
import { postCallback, proxyPost, submitImport } from "../../support/jobs";
import { appFetch, consoleApi, sandboxControl, sandboxJob, sandboxToken, sandboxUrl, uniqueName, waitFor, withDatabase } from "../../support/stack";
import { eventMessages, jobRow, sandboxRequests, waitForRow } from "../../support/worker";

const media = (name: string) => `https://media.example.com/${name}`;
const isEnded = (row: { state: string }) => ["stopped", "cancelled", "rejected"].includes(row.state);

describe("the reconciler", () => {
  it("ends a job whose callback was lost (#drop) in its right final state, and records the webhook silence", async () => {
    const { localId, upstreamJobId } = await submitImport(uniqueName("lost #drop"), { "a.mp4": media("a.mp4"), "b.mp4": media("fail/b.mp4") });
    const row = await waitForRow(localId, (job) => isEnded(job) && job.callback_missed_at !== null, "the #drop import to end by polling");
    expect(row).toMatchObject({ state: "stopped", outcome: "partial" });
    expect(await sandboxJob(upstreamJobId)).toMatchObject({ job_state: "stopped", result: { status: "partial" } });
    expect((await eventMessages(localId, "reconciled")).join()).toContain("no callback");
    const status = await consoleApi<{ webhookSilence: { missedLastHour: number; lastMissedJobId: string | null } }>("/api/status");
    expect(status.body.webhookSilence.missedLastHour).toBeGreaterThanOrEqual(1);
  }, 120_000);

  it("does not count a job that is still running as webhook silence when a poll brings its progress", async () => {
    // #stall: upstream keeps it running, and Descript calls back only when a job stops.
    const { localId } = await submitImport(uniqueName("still running #stall"), { "a.mp4": media("a.mp4") });
    const polls = (verdict?: string) =>
      withDatabase(async (db) =>
        (await db.query<{ count: number }>("SELECT count(*)::int AS count FROM job_events WHERE job_id = $1 AND kind = 'poll_result' AND ($2::text IS NULL OR verdict::text = $2)", [localId, verdict ?? null])).rows[0]!.count,
      );
    await waitFor(async () => ((await polls("applied")) > 0 ? true : undefined), { what: "a poll to apply the running job's progress", timeoutMs: 60_000 });
    // One more poll: the reconciler has then finished with the one that applied.
    const seen = await polls();
    await waitFor(async () => ((await polls()) > seen ? true : undefined), { what: "the next poll", timeoutMs: 60_000 });
    const row = await jobRow(localId);
    expect(row.state).toBe("running");
    expect(row.callback_missed_at).toBeNull();
    expect(await eventMessages(localId, "reconciled")).toEqual([]);
  }, 120_000);

  it("adopts a job whose create answer was lost, found through upstream's job list", async () => {
    const projectName = uniqueName("answer lost #drop");
    await sandboxControl("faults", { status: 502, after_work: true, method: "POST", path_prefix: "/jobs/import" });
    const since = Date.now();
    const answer = await proxyPost("/jobs/import/project_media", { project_name: projectName, add_media: { "a.mp4": { url: media("a.mp4") } } });
    expect(answer.status).toBe(502);
    const [created] = (await sandboxRequests(since)).filter((request) => request.method === "POST");
    expect(created?.status).toBe(502);
    const localId = await withDatabase(async (db) => (await db.query<{ id: string }>("SELECT id FROM jobs WHERE project_name = $1", [projectName])).rows[0]!.id);
    const row = await waitForRow(localId, (job) => job.state === "stopped", "the lost create to be adopted and end", 100_000);
    expect(row.upstream_job_id).toMatch(/^project-media-import-/);
    expect(await sandboxJob(row.upstream_job_id!)).toMatchObject({ job_state: "stopped" });
    expect((await eventMessages(localId, "reconciled")).join()).toContain(`adopted Descript job ${row.upstream_job_id}`);
    const lookups = (await sandboxRequests(since)).filter((request) => request.method === "GET" && request.path.startsWith("/v1/jobs?"));
    expect(lookups.length).toBeGreaterThanOrEqual(1);
  }, 120_000);

  it("ends a create that upstream never made with a reason, after the grace period", async () => {
    const projectName = uniqueName("never made");
    await sandboxControl("faults", { status: 503, method: "POST", path_prefix: "/jobs/import" });
    const answer = await proxyPost("/jobs/import/project_media", { project_name: projectName, add_media: { "a.mp4": { url: media("a.mp4") } } });
    expect(answer.status).toBe(503);
    const localId = await withDatabase(async (db) => (await db.query<{ id: string }>("SELECT id FROM jobs WHERE project_name = $1", [projectName])).rows[0]!.id);
    expect((await jobRow(localId)).state).toBe("submitting");
    const row = await waitForRow(localId, isEnded, "the unconfirmed create to end");
    expect(row).toMatchObject({ state: "rejected", error_code: "create_unconfirmed", upstream_job_id: null });
    expect(row.error_message).toContain("never confirmed");
  });

  it("adopts nothing when another client made a job of the same type while the create was in flight", async () => {
    // #drop: no callback will name our job either, so only the look-up could settle it.
    const projectName = uniqueName("answer lost, ambiguous #drop");
    // Another client of the same Descript account creates an import of its own, which Jobdeck never
    // heard of; a moment later our create is made upstream but its answer is lost. The other job is
    // the older of the two, so "the oldest unknown job" would be the wrong one.
    const foreign = await fetch(`${sandboxUrl}/jobs/import/project_media`, {
      method: "POST",
      headers: { authorization: `Bearer ${sandboxToken}`, "content-type": "application/json" },
      body: JSON.stringify({ project_name: uniqueName("another client #drop"), add_media: { "b.mp4": { url: media("b.mp4") } } }),
    });
    expect(foreign.status).toBe(201);
    await sandboxControl("faults", { status: 502, after_work: true, method: "POST", path_prefix: "/jobs/import" });
    const answer = await proxyPost("/jobs/import/project_media", { project_name: projectName, add_media: { "a.mp4": { url: media("a.mp4") } } });
    expect(answer.status).toBe(502);
    const localId = await withDatabase(async (db) => (await db.query<{ id: string }>("SELECT id FROM jobs WHERE project_name = $1", [projectName])).rows[0]!.id);
    const row = await waitForRow(localId, isEnded, "the ambiguous create to end", 100_000);
    // Two jobs could be ours: showing the other client's result as this job's would be a lie.
    expect(row).toMatchObject({ state: "rejected", error_code: "create_unconfirmed", upstream_job_id: null });
    expect(row.error_message).toContain("certainly this one");
  }, 120_000);

  it("ends a job upstream answers 404 for, inside the retention window, saying so", async () => {
    const localId = await withDatabase(async (db) =>
      (await db.query<{ id: string }>(
        `INSERT INTO jobs (id, upstream_job_id, type, state, upstream_state, request, submitted_by, updated_at)
         VALUES (gen_random_uuid(), $1, 'import/project_media', 'running', 'running', '{}', 'test', now()) RETURNING id`,
        [`project-media-import-${crypto.randomUUID()}`],
      )).rows[0]!.id,
    );
    const row = await waitForRow(localId, isEnded, "the forgotten job to end");
    expect(row).toMatchObject({ state: "stopped", outcome: "error", error_code: "upstream_job_unknown" });
    expect(row.error_message).toContain("no longer knows this job");
    expect((await eventMessages(localId, "reconciled")).join()).toContain("no longer knows this job");
  }, 120_000);

  it("settles a cancel whose read-back failed by polling again", async () => {
    const { localId, upstreamJobId } = await submitImport(uniqueName("cancel read-back #stall #drop"), { "a.mp4": media("a.mp4") });
    // The DELETE goes through; the three tries of the read-back that follows all fail.
    await sandboxControl("faults", { status: 503, count: 3, method: "GET", path_prefix: `/jobs/${upstreamJobId}` });
    const cancelled = await appFetch(`/api/jobs/${localId}/cancel`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(cancelled.status).toBe(200);
    expect((await jobRow(localId)).state).toBe("cancel_requested");
    const row = await waitForRow(localId, isEnded, "the cancel to be confirmed by a poll");
    expect(row.state).toBe("cancelled");
    const polls = await withDatabase(async (db) => (await db.query("SELECT verdict FROM job_events WHERE job_id = $1 AND kind = 'poll_result'", [localId])).rows);
    expect(polls).toContainEqual({ verdict: "applied" });
  }, 120_000);

  it("flags a #stall job as stuck with the reason, in the console's job summary", async () => {
    const { localId } = await submitImport(uniqueName("stuck #stall"), { "a.mp4": media("a.mp4") });
    const row = await waitForRow(localId, (job) => job.stuck_since !== null, "the stalled job to be flagged stuck");
    expect(row.stuck_reason).toMatch(/no new progress|far longer than usual/);
    const list = await consoleApi<JobListPage>(`/api/jobs?q=${localId}`);
    expect(list.body.data[0]).toMatchObject({ id: localId, stuckReason: row.stuck_reason });
    expect(list.body.data[0]?.stuckSince).not.toBeNull();
    await appFetch(`/api/jobs/${localId}/cancel`, { method: "POST" });
  });

  it("keeps a job running far longer than usual flagged while its progress moves, rather than clearing and flagging it on every tick", async () => {
    const type = "import/project_media";
    const { localId, upstreamJobId } = await withDatabase(async (db) => {
      // Five imports that took a second each make "usual" short; the worker reads them within TYPICAL_REFRESH_MS.
      await db.query(
        `INSERT INTO jobs (id, upstream_job_id, type, state, upstream_state, outcome, request, submitted_by, upstream_created_at, upstream_stopped_at, created_at, updated_at)
         SELECT gen_random_uuid(), gen_random_uuid()::text, $1, 'stopped', 'stopped', 'success', '{}', 'key:test', now() - interval '1 second', now(), now(), now()
         FROM generate_series(1, 5)`,
        [type],
      );
      // Running for an hour; its next poll a day away, so only the callback below moves it.
      const { rows: [job] } = await db.query<{ id: string; upstream_job_id: string }>(
        `INSERT INTO jobs (id, upstream_job_id, type, state, upstream_state, request, submitted_by, project_name, upstream_created_at, created_at, updated_at, next_poll_at)
         VALUES (gen_random_uuid(), gen_random_uuid()::text, $1, 'running', 'running', '{}', 'key:test', $2, now() - interval '1 hour', now() - interval '1 hour', now(), now() + interval '1 day')
         RETURNING id, upstream_job_id`,
        [type, uniqueName("far longer")],
      );
      return { localId: job!.id, upstreamJobId: job!.upstream_job_id };
    });
    await waitForRow(localId, (job) => job.stuck_since !== null, "the long-running job to be flagged stuck", 30_000);
    // Until the worker has read the five, an early flag may say "no new progress"; after, "far longer" holds too.
    await new Promise((resolve) => setTimeout(resolve, 11_000));
    const flagged = await jobRow(localId);
    const progress = await postCallback(localId, {
      job_id: upstreamJobId,
      job_type: type,
      job_state: "running",
      created_at: new Date(Date.now() - 3_600_000).toISOString(),
      progress: { label: "Importing media", percent: 50, last_update_at: new Date().toISOString() },
    });
    expect(progress.status).toBe(200);
    // A dozen of the worker's ticks (every 250 ms here).
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const after = await jobRow(localId);
    expect(after.stuck_since).toEqual(flagged.stuck_since);
    expect(after.stuck_reason).toBe(flagged.stuck_reason);
    await withDatabase((db) => db.query("UPDATE jobs SET state = 'cancelled' WHERE id = $1", [localId]));
  }, 60_000);

  it("brings a job's next poll forward when someone views it, or watches the live table", async () => {
    const { localId } = await submitImport(uniqueName("viewed #stall"), { "a.mp4": media("a.mp4") });
    const later = () => withDatabase((db) => db.query("UPDATE jobs SET next_poll_at = now() + interval '1 hour' WHERE id = $1", [localId]));
    const isSoon = (row: { next_poll_at: Date | null }) => row.next_poll_at !== null && row.next_poll_at.getTime() < Date.now() + 10 * 60_000;
    await waitForRow(localId, (job) => job.next_poll_at !== null, "the job to be scheduled");
    await later();
    expect(isSoon(await jobRow(localId))).toBe(false);
    expect((await consoleApi(`/api/jobs/${localId}`)).status).toBe(200);
    await waitForRow(localId, isSoon, "the viewed job's poll to come forward", 10_000);

    await later();
    const controller = new AbortController();
    const stream = await appFetch(`/api/jobs/changes`, { signal: controller.signal });
    await stream.body?.getReader().read();
    await waitForRow(localId, isSoon, "the watched job's poll to come forward", 10_000);
    controller.abort();
    await appFetch(`/api/jobs/${localId}/cancel`, { method: "POST" });
  });

  it("answers the status strip's questions", async () => {
    const { status, body } = await consoleApi<Record<string, unknown>>("/api/status");
    expect(status).toBe(200);
    expect(body).toMatchObject({
      upstream: { mode: "sandbox" },
      budget: { ratePerSecond: 5, remaining: expect.any(Number), consumed: expect.any(Number), nextAllowedAt: expect.any(String) },
      sweep: { nextAt: expect.any(String), recentRuns: expect.any(Array) },
      webhookSilence: { missedLastHour: expect.any(Number) },
    });
  });
});
