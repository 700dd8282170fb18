// Several workers on one database: the app's own, `npm run worker` processes and another app
// instance beside it.
import { afterAll, describe, expect, it } from "vitest";
import { startAppInstance, type AppInstance } from "../../support/instance";
import { submitImport } from "../../support/jobs";
import { appFetch, consoleApi, uniqueName, waitFor, withDatabase } from "../../support/stack";
import { resetBudget, sandboxRequests, startScript, type ScriptRun } from "../../support/worker";

const media = (name: string) => `https://media.example.com/${name}`;
const runs: ScriptRun[] = [];
const instances: AppInstance[] = [];

afterAll(async () => {
  for (const run of runs) if (run.child.exitCode === null) run.terminate();
  await Promise.all([...runs.map((run) => run.closed), ...instances.map((instance) => instance.terminate())]);
  await resetBudget();
});

function startWorkerProcess(): ScriptRun {
  const run = startScript("worker");
  runs.push(run);
  return run;
}

async function workerIdOf(run: ScriptRun): Promise<string> {
  return waitFor(async () => /worker (\S+) running/.exec(run.output())?.[1], { what: "the worker to start", timeoutMs: 60_000, intervalMs: 250 });
}

async function cancelAll(ids: string[]) {
  for (const id of ids) await appFetch(`/api/jobs/${id}/cancel`, { method: "POST" });
}

describe("workers sharing one database", () => {
  it("never poll one job at the same time, nor one job faster than every 3 s", async () => {
    const workers = [startWorkerProcess(), startWorkerProcess()];
    await Promise.all(workers.map(workerIdOf));
    const since = Date.now();
    // Stalled jobs stay active, so all three workers keep coming back to them.
    const jobs = await Promise.all(Array.from({ length: 8 }, () => submitImport(uniqueName("shared #stall"), { "a.mp4": media("a.mp4") })));
    const ids = jobs.map((job) => job.localId);
    // Due at once, again and again, so that the workers compete for every poll.
    const makeDue = () => withDatabase((db) => db.query("UPDATE jobs SET next_poll_at = now() WHERE id = ANY($1::uuid[])", [ids]));
    const pollsSoFar = async () =>
      (await sandboxRequests(since)).filter((request) => request.method === "GET" && jobs.some((job) => request.path === `/v1/jobs/${job.upstreamJobId}`));
    await waitFor(async () => {
      await makeDue();
      return (await pollsSoFar()).length >= 24 ? true : undefined;
    }, { what: "two dozen polls", timeoutMs: 90_000, intervalMs: 1_000 });
    const polls = await pollsSoFar();
    for (const job of jobs) {
      const mine = polls.filter((request) => request.path === `/v1/jobs/${job.upstreamJobId}`);
      for (let index = 1; index < mine.length; index++) {
        const gap = mine[index]!.received_at - mine[index - 1]!.answered_at;
        expect(gap, `gap between two polls of ${job.upstreamJobId}`).toBeGreaterThanOrEqual(2_900);
      }
    }
    await cancelAll(ids);
    for (const worker of workers) worker.terminate();
    await Promise.all(workers.map((worker) => worker.closed));
    for (const worker of workers) expect(worker.output()).toMatch(/stopped: \d+ settled, \d+ claims released/);
  }, 180_000);

  it("on SIGTERM, gives back the claims it could not finish", async () => {
    const run = startWorkerProcess();
    const workerId = await workerIdOf(run);
    const jobs = await Promise.all(Array.from({ length: 12 }, () => submitImport(uniqueName("sigterm #stall"), { "a.mp4": media("a.mp4") })));
    const ids = jobs.map((job) => job.localId);
    // Upstream asked everyone to wait 20 s, far longer than the worker's 5 s grace: claimed polls
    // wait in the budget, in flight, and must be given back unfinished.
    await withDatabase((db) =>
      db.query("UPDATE upstream_budget SET blocked_until = now() + interval '20 seconds', refilled_at = now() + interval '20 seconds', tokens = 0 WHERE id = 1"),
    );
    await withDatabase((db) => db.query("UPDATE jobs SET next_poll_at = now() WHERE id = ANY($1::uuid[])", [ids]));
    const heldBy = () => withDatabase(async (db) => Number((await db.query("SELECT count(*) FROM jobs WHERE leased_by = $1", [workerId])).rows[0].count));
    await waitFor(async () => ((await heldBy()) > 0 ? true : undefined), { what: "the worker to claim a job", timeoutMs: 30_000, intervalMs: 200 });
    run.terminate();
    await run.closed;
    const stopped = /stopped: (\d+) settled, (\d+) claims released/.exec(run.output());
    expect(stopped, run.output()).not.toBeNull();
    expect(Number(stopped![2])).toBeGreaterThan(0);
    expect(await heldBy()).toBe(0);
    await resetBudget();
    await cancelAll(ids);
  }, 120_000);

  it("a web instance, on SIGTERM, gives its claims back before it exits, and leaves no job half-updated", async () => {
    const instance = await startAppInstance();
    instances.push(instance);
    const workerId = await instance.workerId();
    const jobs = await Promise.all(Array.from({ length: 12 }, () => submitImport(uniqueName("web sigterm #stall #drop"), { "a.mp4": media("a.mp4") })));
    const ids = jobs.map((job) => job.localId);
    // Upstream asked everyone to wait 20 s, far longer than the worker's 5 s grace: claimed polls
    // wait in the budget, in flight, and must be given back unfinished.
    await withDatabase((db) =>
      db.query("UPDATE upstream_budget SET blocked_until = now() + interval '20 seconds', refilled_at = now() + interval '20 seconds', tokens = 0 WHERE id = 1"),
    );
    await withDatabase((db) => db.query("UPDATE jobs SET next_poll_at = now() WHERE id = ANY($1::uuid[])", [ids]));
    const heldBy = () =>
      withDatabase(async (db) => (await db.query("SELECT * FROM jobs WHERE leased_by = $1 ORDER BY id", [workerId])).rows as Array<Record<string, unknown>>);
    const held = await waitFor(async () => {
      const rows = await heldBy();
      return rows.length > 0 ? rows : undefined;
    }, { what: "the instance's worker to claim jobs", timeoutMs: 30_000, intervalMs: 100 });
    const heldIds = held.map((row) => row.id as string);
    const eventCounts = () =>
      withDatabase(async (db) => (await db.query("SELECT job_id, count(*)::int AS count FROM job_events WHERE job_id = ANY($1::uuid[]) GROUP BY 1 ORDER BY 1", [heldIds])).rows);
    const eventsBefore = await eventCounts();

    const ended = await instance.terminate();
    // It exited by itself, well before the launcher's SIGKILL and long before a 60 s lease runs out.
    expect(ended.signal, instance.output()).toBeNull();
    expect(ended.ms).toBeLessThan(10_000);
    const stopped = /"event":"worker_stopped".*"released":(\d+)/.exec(instance.output());
    expect(stopped, instance.output()).not.toBeNull();
    expect(Number(stopped![1])).toBeGreaterThanOrEqual(held.length);

    // Released, not left to expire: nothing held, due again, and what a poll would change as it was
    // (the app's own worker may flag these stalled jobs stuck meanwhile).
    expect(await heldBy()).toEqual([]);
    const after = await withDatabase(async (db) => (await db.query("SELECT * FROM jobs WHERE id = ANY($1::uuid[]) ORDER BY id", [heldIds])).rows as Array<Record<string, unknown>>);
    const pollFields = ["id", "state", "upstream_state", "outcome", "progress_percent", "updated_at", "poll_count", "last_polled_at", "callback_missed_at", "error_code"];
    const pick = (row: Record<string, unknown>) => Object.fromEntries(pollFields.map((field) => [field, row[field]]));
    expect(after.map(pick)).toEqual(held.map(pick));
    for (const row of after) {
      expect(row).toMatchObject({ leased_by: null, lease_until: null });
      expect(row.next_poll_at).not.toBeNull();
    }
    expect(await eventCounts()).toEqual(eventsBefore);
    await resetBudget();
    for (const id of ids) await consoleApi(`/api/jobs/${id}/cancel`, { method: "POST" });
  }, 120_000);

  it("a web instance with JOBDECK_WORKER=off runs no worker, and still stops promptly on SIGTERM", async () => {
    const instance = await startAppInstance({ JOBDECK_WORKER: "off" });
    instances.push(instance);
    // The control: the same instance with the worker on logs worker_started before it answers (above).
    expect((await fetch(`${instance.url}/api/health`)).status).toBe(200);
    expect(instance.output()).not.toContain("worker_started");
    const ended = await instance.terminate();
    expect(ended.signal, instance.output()).toBeNull();
    expect(instance.output()).not.toContain('"event":"worker_stopped"');
    // The relay worker runs in every instance, and stops with it.
    expect(instance.output()).toContain('"event":"relay_worker_stopped"');
  }, 60_000);
});
