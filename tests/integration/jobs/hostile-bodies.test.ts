// Findings 5, 6 and 7 of issue #11, written as the attacks: replayed large deliveries, bodies that
// can never be stored, and a body trickled in to hold a socket.
import crypto from "node:crypto";
import http from "node:http";
import { describe, expect, it } from "vitest";
import type { JobDetail, JobEventPage } from "@/lib/jobs/api-types";
import { MAX_EVENTS_PER_JOB } from "@/lib/jobs/repository";
import { callbackUrl, getDetail, postCallback, proxyPost, submitImport, waitForDetail } from "../../support/jobs";
import { consoleApi, sandboxJob, uniqueName, withDatabase } from "../../support/stack";

async function finishedImport(label: string) {
  const job = await submitImport(uniqueName(label), { "a.mp4": "https://media.example.com/a.mp4" });
  await waitForDetail(job.localId, (detail) => detail.state === "stopped", "the import to stop");
  return job;
}

const timelineBytes = (localId: string) =>
  withDatabase(async (db) => Number((await db.query("SELECT coalesce(sum(pg_column_size(e.*)), 0)::bigint AS bytes FROM job_events e WHERE job_id = $1", [localId])).rows[0].bytes));

describe("replayed deliveries", () => {
  it("100 replays of a 1 MiB duplicate grow storage by kilobytes, not megabytes", async () => {
    const { localId, upstreamJobId } = await finishedImport("replayed");
    const finished = (await sandboxJob(upstreamJobId)) as Record<string, unknown>;
    // Random padding: it does not compress, so storing it whole would cost its full size.
    const padding = crypto.randomBytes(768 * 1024).toString("base64");
    const replay = JSON.stringify({ ...finished, padding });
    expect(replay.length).toBeGreaterThan(1024 * 1024);
    const before = await timelineBytes(localId);
    for (let copy = 0; copy < 100; copy++) {
      const answer = await postCallback(localId, replay);
      expect(answer).toEqual({ status: 200, body: { received: true, verdict: "duplicate" } });
    }
    const grown = (await timelineBytes(localId)) - before;
    expect(grown).toBeLessThan(200 * 1024);
    const detail = await consoleApi<JobDetail>(`/api/jobs/${localId}`);
    expect(JSON.stringify(detail.body).length).toBeLessThan(300 * 1024);
    const duplicate = detail.body.events.find((event) => event.verdict === "duplicate");
    expect(duplicate?.payload).toMatchObject({ sha256: crypto.createHash("sha256").update(replay).digest("hex"), bytes: replay.length });
  });

  it("stops storing a job's timeline at its cap and counts what it dropped", async () => {
    const { localId, upstreamJobId } = await finishedImport("capped");
    const replay = JSON.stringify(await sandboxJob(upstreamJobId));
    await withDatabase((db) => db.query("UPDATE jobs SET stored_events = $2 WHERE id = $1", [localId, MAX_EVENTS_PER_JOB - 1]));
    const eventsBefore = (await getDetail(localId)).events.length;
    for (let copy = 0; copy < 3; copy++) expect((await postCallback(localId, replay)).body).toMatchObject({ verdict: "duplicate" });
    const detail = await getDetail(localId);
    expect(detail.events).toHaveLength(eventsBefore + 1);
    expect(detail.droppedEvents).toBe(2);
  });

  it("answers the first page of a long timeline with the job, and the rest from its events", async () => {
    const { localId } = await finishedImport("paged");
    await withDatabase((db) =>
      db.query("INSERT INTO job_events (job_id, kind, message) SELECT $1, 'poll_result', 'filler ' || n FROM generate_series(1, 150) AS n", [localId]),
    );
    const first = await getDetail(localId);
    expect(first.events).toHaveLength(100);
    expect(first.eventsNextCursor).not.toBeNull();
    const rest = await consoleApi<JobEventPage>(`/api/jobs/${localId}/events?cursor=${first.eventsNextCursor}&limit=200`);
    expect(rest.status).toBe(200);
    expect(rest.body.nextCursor).toBeNull();
    const ids = [...first.events, ...rest.body.data].map((event) => BigInt(event.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : 1)));
    expect((await consoleApi(`/api/jobs/${localId}/events?cursor=abc`)).status).toBe(400);
  });
});

describe("bodies that can never be stored", () => {
  it("a lone surrogate in a callback is stored replaced and answered 2xx, once and for good", async () => {
    const { localId, upstreamJobId } = await submitImport(uniqueName("surrogate #stall"), { "a.mp4": "https://media.example.com/a.mp4" });
    const now = new Date().toISOString();
    // Written as text: JSON.stringify would never produce these escapes from a well-formed string.
    const body = `{"job_id":"${upstreamJobId}","job_type":"import/project_media","job_state":"stopped","created_at":"${now}","stopped_at":"${now}",
      "result":{"status":"partial","error_message":"half \\ud800 done","media_status":{"a.mp4":{"status":"failed","error_message":"bad \\udc00"},"\\ud83d.mp4":{"status":"success"}}}}`;
    expect(await postCallback(localId, body)).toEqual({ status: 200, body: { received: true, verdict: "applied" } });
    expect(await postCallback(localId, body)).toEqual({ status: 200, body: { received: true, verdict: "duplicate" } });
    const job = await getDetail(localId);
    expect(job).toMatchObject({ state: "stopped", outcome: "partial", errorMessage: "half \ufffd done" });
    expect(job.files.map((file) => [file.reference, file.status, file.errorMessage])).toEqual([
      ["a.mp4", "failed", "bad \ufffd"],
      ["\ufffd.mp4", "success", null],
    ]);
  });

  it("5,000 levels of nesting in a callback are answered 2xx rejected, and the job is left as it was", async () => {
    const { localId, upstreamJobId } = await submitImport(uniqueName("deep #stall"), { "a.mp4": "https://media.example.com/a.mp4" });
    const deep = `${"[".repeat(5000)}${"]".repeat(5000)}`;
    const body = `{"job_id":"${upstreamJobId}","job_type":"import/project_media","job_state":"stopped","created_at":"${new Date().toISOString()}","result":{"status":"success","x":${deep}}}`;
    const before = await getDetail(localId);
    expect(await postCallback(localId, body)).toEqual({ status: 200, body: { received: true, verdict: "rejected" } });
    const after = await getDetail(localId);
    expect(after.state).toBe(before.state);
    expect(after.events.at(-1)).toMatchObject({ verdict: "rejected", message: expect.stringContaining("nested deeper") });
  });

  it("the proxy refuses a lone surrogate and deep nesting with 400, not 500", async () => {
    const surrogate = await proxyPost("/jobs/agent", `{"project_name":"odd \\ud800","prompt":"go"}`);
    expect(surrogate.status).toBe(400);
    expect(surrogate.body).toEqual({ error: "invalid_input", message: '"value" must not contain null characters or unpaired surrogates' });
    const deep = await proxyPost("/jobs/agent", `{"project_name":"deep","prompt":"go","x":${"[".repeat(5000)}${"]".repeat(5000)}}`);
    expect(deep.status).toBe(400);
  });
});

/** Sends a body one byte every 200 ms (the whole would take hours); resolves with the answer's status. */
function trickle(target: URL): { status: Promise<number>; sent: () => number } {
  const declared = 100_000;
  let sent = 0;
  const status = new Promise<number>((resolve, reject) => {
    const request = http.request(target, { method: "POST", headers: { "content-type": "application/json", "content-length": declared } });
    let timer: NodeJS.Timeout | undefined;
    request.on("response", (response) => {
      clearTimeout(timer);
      response.resume();
      resolve(response.statusCode ?? 0);
      request.destroy();
    });
    request.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    const next = () => {
      request.write(" ");
      sent += 1;
      timer = setTimeout(next, 200);
    };
    next();
  });
  return { status, sent: () => sent };
}

describe("slow bodies", () => {
  it("a trickled callback body is cut within the configured timeout, while it is still trickling", async () => {
    const { localId } = await submitImport(uniqueName("trickle #stall"), { "a.mp4": "https://media.example.com/a.mp4" });
    const slow = trickle(new URL(callbackUrl(localId)));
    expect(await slow.status).toBe(408);
    expect(slow.sent()).toBeLessThan(100_000);
  });

  it("holds only a bounded number of unfinished bodies: past it, a body is answered 503 at once, and the slots come back", async () => {
    const { localId, upstreamJobId } = await submitImport(uniqueName("many trickles #stall"), { "a.mp4": "https://media.example.com/a.mp4" });
    const target = new URL(callbackUrl(localId));
    // More than the 16 slots: the ones past them are refused while the first are still trickling.
    const answered: number[] = [];
    const slow = Array.from({ length: 24 }, () => trickle(target));
    await Promise.all(slow.map((one) => one.status.then((status) => answered.push(status))));
    expect(answered.filter((status) => status === 503).length).toBeGreaterThan(0);
    expect(answered.indexOf(503)).toBeLessThan(answered.indexOf(408));
    expect(answered.filter((status) => status === 408).length).toBeGreaterThanOrEqual(16);
    // Every slot was given back: a whole body is read as usual.
    const finished = JSON.stringify(await sandboxJob(upstreamJobId));
    expect((await postCallback(localId, finished)).status).toBe(200);
  });
});
