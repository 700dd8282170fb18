// Every callback lost, at real speed: an app instance of its own, on a database of its own (no
// history, so no learned durations), against a sandbox of its own at SANDBOX_SPEED 1, where an
// import works 5–30 s as Descript's would. The stack's sandbox runs 200 times faster, where any
// poll comes after the job stopped and "within a minute" would prove nothing.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSandbox, type Sandbox } from "@/lib/sandbox/server";
import { startAppInstance, type AppInstance } from "../../support/instance";
import { proxyPost } from "../../support/jobs";
import { ownDatabase } from "../../support/own-database";
import { sandboxToken, uniqueName, waitFor, withDatabase } from "../../support/stack";
import type { RecordedRequest } from "../../support/worker";

const media = (name: string) => `https://media.example.com/${name}`;
/** What the issue asks: each job ends correct within a minute of upstream stopping. */
const WITHIN_MS = 60_000;

const { url: ownDatabaseUrl, withDatabase: withOwnDatabase } = ownDatabase("speed1");

let sandbox: Sandbox | undefined;
let sandboxUrl = "";
let instance: AppInstance | undefined;

beforeAll(async () => {
  // The test stack's admin key works on this instance too: its stored form is copied over.
  const { rows: keys } = await withDatabase((db) => db.query("SELECT * FROM api_keys WHERE name = 'test-admin' AND revoked_at IS NULL"));
  await withOwnDatabase(async (db) => {
    for (const key of keys) {
      const columns = Object.keys(key);
      await db.query(`INSERT INTO api_keys (${columns.map((column) => pg.escapeIdentifier(column)).join(", ")}) VALUES (${columns.map((_, index) => `$${index + 1}`).join(", ")})`, columns.map((column) => key[column]));
    }
  });
  sandbox = createSandbox({ token: sandboxToken, speed: 1 });
  sandboxUrl = (await sandbox.listen(0)).baseUrl;
  instance = await startAppInstance({ DATABASE_URL: ownDatabaseUrl, DESCRIPT_API_URL: sandboxUrl });
}, 120_000);

afterAll(async () => {
  await instance?.terminate();
  await sandbox?.close();
});

async function upstreamJob(id: string) {
  const response = await fetch(`${sandboxUrl}/jobs/${id}`, { headers: { authorization: `Bearer ${sandboxToken}` } });
  return (await response.json()) as { job_state: string; created_at: string; stopped_at?: string; result?: { status: string } };
}

describe("with every callback lost, at SANDBOX_SPEED 1", () => {
  it("each job ends in upstream's final state within a minute of upstream stopping, for one or two polls", async () => {
    // A busy budget (owed calls, as after a burst of creates): each create waits a second or two
    // for its slot, submitting, so the worker sees it before Descript answers, as it often does.
    await withOwnDatabase((db) => db.query("UPDATE upstream_budget SET tokens = -8, refilled_at = now(), blocked_until = NULL WHERE id = 1"));
    const since = Date.now();
    // Quick, partial, long (a slow file: ~30 s), longer than the first poll (two slow files: ~55 s), failed.
    const requests = [
      { path: "/jobs/import/project_media", body: { project_name: uniqueName("real speed #drop"), add_media: { "a.mp4": { url: media("a.mp4") } } }, outcome: "success" },
      { path: "/jobs/import/project_media", body: { project_name: uniqueName("real speed #drop"), add_media: { "a.mp4": { url: media("a.mp4") }, "b.mp4": { url: media("fail/b.mp4") } } }, outcome: "partial" },
      { path: "/jobs/import/project_media", body: { project_name: uniqueName("real speed #drop"), add_media: { "a.mp4": { url: media("slow/a.mp4") } } }, outcome: "success" },
      { path: "/jobs/import/project_media", body: { project_name: uniqueName("real speed #drop"), add_media: { "a.mp4": { url: media("slow/a.mp4") }, "b.mp4": { url: media("slow/b.mp4") } } }, outcome: "success" },
      { path: "/jobs/agent", body: { project_name: uniqueName("real speed #drop #error"), prompt: "tidy up" }, outcome: "error" },
    ];
    const submitted = await Promise.all(requests.map(async (request) => {
      const answer = await proxyPost(request.path, request.body, { instanceUrl: instance!.url });
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      return { ...request, upstreamJobId: answer.body.job_id as string };
    }));
    const ids = submitted.map((job) => job.upstreamJobId);

    const rows = await waitFor(async () => {
      const found = await withOwnDatabase(async (db) => (await db.query<{ upstream_job_id: string; state: string; outcome: string | null; callback_missed_at: Date | null; ended_at: Date | null }>(
        `SELECT upstream_job_id, state, outcome, callback_missed_at,
                (SELECT min(created_at) FROM job_events e WHERE e.job_id = j.id AND e.kind = 'reconciled') AS ended_at
         FROM jobs j WHERE upstream_job_id = ANY($1::text[])`, [ids])).rows);
      return found.length === ids.length && found.every((row) => row.state === "stopped" && row.ended_at !== null) ? found : undefined;
    }, { what: "every job to end by polling", timeoutMs: 100_000, intervalMs: 500 });

    const calls = (await (await fetch(`${sandboxUrl}/_sandbox/requests?since=${since}`, { headers: { authorization: `Bearer ${sandboxToken}` } })).json()) as { data: RecordedRequest[] };
    expect(calls.data.filter((call) => call.status === 429)).toEqual([]);
    const creates = calls.data.filter((call) => call.method === "POST");
    expect(creates).toHaveLength(ids.length);
    // They did wait their turn: the worker had them on its schedule while they were submitting.
    expect(Math.min(...creates.map((create) => create.received_at)) - since).toBeGreaterThanOrEqual(1_000);
    for (const job of submitted) {
      const row = rows.find((found) => found.upstream_job_id === job.upstreamJobId)!;
      const upstream = await upstreamJob(job.upstreamJobId);
      expect(upstream).toMatchObject({ job_state: "stopped", result: { status: job.outcome } });
      expect(row).toMatchObject({ state: "stopped", outcome: job.outcome });
      expect(row.callback_missed_at).not.toBeNull();
      const lateMs = row.ended_at!.getTime() - Date.parse(upstream.stopped_at!);
      expect(lateMs, `${job.upstreamJobId} ended ${lateMs} ms after upstream stopped`).toBeGreaterThanOrEqual(0);
      expect(lateMs, `${job.upstreamJobId} ended ${lateMs} ms after upstream stopped`).toBeLessThanOrEqual(WITHIN_MS);
      // Economical still: the first look after the usual duration (30 s until five of a type have
      // finished, so 47 s), a second only for the job that runs past it.
      const polls = calls.data.filter((call) => call.method === "GET" && call.path === `/v1/jobs/${job.upstreamJobId}`);
      const createdAt = Date.parse(upstream.created_at);
      const timeline = `polls at ${polls.map((poll) => poll.received_at - createdAt).join(", ")} ms after upstream created it, which stopped at ${Date.parse(upstream.stopped_at!) - createdAt} ms`;
      expect(polls.length, timeline).toBeGreaterThanOrEqual(1);
      expect(polls.length, timeline).toBeLessThanOrEqual(2);
    }
    // Nothing else went upstream: no look-ups, no cancels.
    expect(calls.data.length).toBe(ids.length + calls.data.filter((call) => call.method === "GET" && ids.some((id) => call.path === `/v1/jobs/${id}`)).length);
  }, 150_000);
});
