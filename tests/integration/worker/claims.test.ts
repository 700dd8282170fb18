// Several workers on one database: the app's own and `npm run worker` processes beside it.
import { afterAll, describe, expect, it } from "vitest";
import { submitImport } from "../../support/jobs";
import { appFetch, uniqueName, waitFor, withDatabase } from "../../support/stack";
import { resetBudget, sandboxRequests, startScript, type ScriptRun } from "../../support/worker";

const media = (name: string) => `https://media.example.com/${name}`;
const runs: ScriptRun[] = [];

afterAll(async () => {
  for (const run of runs) if (run.child.exitCode === null) run.terminate();
  await Promise.all(runs.map((run) => run.closed));
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
    // Upstream asked everyone to wait a minute: claimed polls wait in the budget, in flight.
    await withDatabase((db) =>
      db.query("UPDATE upstream_budget SET blocked_until = now() + interval '1 minute', refilled_at = now() + interval '1 minute', tokens = 0 WHERE id = 1"),
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
});
