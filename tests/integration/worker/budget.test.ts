// One upstream budget for the whole deployment (UPSTREAM_RATE_PER_SEC=5 in the test stack), counted
// from the sandbox's own record of what it received: a token bucket of depth 5 at 5 calls/s lets
// at most 5 + 5·W calls into any W seconds; one more second's worth is allowed for timers that fire
// late on a loaded machine. The economy of polling is counted the same way.
import { afterEach, describe, expect, it } from "vitest";
import { submitImport } from "../../support/jobs";
import { appFetch, consoleApi, sandboxControl, uniqueName, waitFor, withDatabase } from "../../support/stack";
import { busiestWindow, resetBudget, sandboxRequests, type RecordedRequest } from "../../support/worker";

const RATE = 5;
const media = (name: string) => `https://media.example.com/${name}`;

async function waitUntilEnded(ids: string[], timeoutMs: number) {
  return waitFor(async () => {
    const rows = await withDatabase(async (db) => (await db.query<{ id: string; state: string; outcome: string | null; upstream_job_id: string }>(
      "SELECT id, state, outcome, upstream_job_id FROM jobs WHERE id = ANY($1::uuid[])", [ids])).rows);
    return rows.length === ids.length && rows.every((row) => row.state === "stopped") ? rows : undefined;
  }, { what: `${ids.length} jobs to end`, timeoutMs, intervalMs: 500 });
}

const pollsOf = (requests: RecordedRequest[], upstreamJobIds: string[]) =>
  requests.filter((request) => request.method === "GET" && upstreamJobIds.some((id) => request.path === `/v1/jobs/${id}`));

afterEach(resetBudget);

describe("the shared upstream budget", () => {
  it("keeps 100 jobs submitted at once within 5 calls/s, without a 429, and ends them all correctly", async () => {
    const since = Date.now();
    // One in five loses its callback, so polls compete with the creates for the budget.
    const submitted = await Promise.all(
      Array.from({ length: 100 }, (_, index) =>
        submitImport(uniqueName(index % 5 === 0 ? "crowd #drop" : "crowd"), { "a.mp4": media("a.mp4"), ...(index % 3 === 0 ? { "b.mp4": media("fail/b.mp4") } : {}) }),
      ),
    );
    const rows = await waitUntilEnded(submitted.map((job) => job.localId), 150_000);
    const byId = new Map(rows.map((row) => [row.id, row]));
    submitted.forEach((job, index) => expect(byId.get(job.localId)?.outcome).toBe(index % 3 === 0 ? "partial" : "success"));

    const requests = (await sandboxRequests(since)).filter((request) => !request.path.startsWith("/v1/_sandbox"));
    expect(requests.filter((request) => request.method === "POST")).toHaveLength(100);
    expect(requests.filter((request) => request.status === 429)).toEqual([]);
    for (const seconds of [1, 5, 10]) {
      expect(busiestWindow(requests, seconds * 1000), `calls in the busiest ${seconds} s`).toBeLessThanOrEqual(RATE + RATE * seconds + RATE);
    }
  }, 240_000);

  it("holds every caller back for the Retry-After of an injected 429", async () => {
    await sandboxControl("faults", { status: 429, count: 1, retry_after: 2, method: "POST", path_prefix: "/jobs/agent" });
    const since = Date.now();
    const refused = await appFetch("/api/v1/jobs/agent", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ project_name: uniqueName("throttled"), prompt: "tidy up" }),
    });
    expect(refused.status).toBe(429);
    // Five more callers right away: each waits out the hold before upstream hears from it.
    const followers = await Promise.all(Array.from({ length: 5 }, () => submitImport(uniqueName("after 429"), { "a.mp4": media("a.mp4") })));
    expect(followers).toHaveLength(5);

    const requests = await sandboxRequests(since);
    const throttled = requests.find((request) => request.status === 429);
    expect(throttled).toBeDefined();
    const after = requests.filter((request) => request.received_at > throttled!.answered_at);
    // A call already on its way when the 429 came back may still land just after it.
    const early = after.filter((request) => request.received_at > throttled!.answered_at + 300 && request.received_at < throttled!.answered_at + 1_800);
    expect(early).toEqual([]);
    const creates = after.filter((request) => request.method === "POST");
    expect(creates).toHaveLength(5);
    for (const create of creates) expect(create.received_at - throttled!.answered_at).toBeGreaterThanOrEqual(1_800);
    // About 2 s, not more: the shared hold is exactly the Retry-After (not a backoff, not a
    // rate-limit window), and the first caller goes soon after it ends.
    const hold = await withDatabase(async (db) =>
      Number((await db.query("SELECT extract(epoch FROM blocked_until - last_429_at) * 1000 AS ms FROM upstream_budget WHERE id = 1")).rows[0].ms));
    expect(hold).toBeCloseTo(2_000, -1);
    expect(Math.min(...creates.map((create) => create.received_at)) - throttled!.answered_at).toBeLessThan(5_000);

    const status = await consoleApi<{ budget: { last429At: string | null } }>("/api/status");
    expect(status.body.budget.last429At).not.toBeNull();
  }, 60_000);
});

describe("upstream calls per finished job", () => {
  it("costs its create and at most 0.2 polls on average while callbacks arrive, and still ends correctly without them", async () => {
    const count = 10;
    const since = Date.now();
    const withCallbacks = await Promise.all(Array.from({ length: count }, () => submitImport(uniqueName("economy"), { "a.mp4": media("a.mp4") })));
    const withoutCallbacks = await Promise.all(Array.from({ length: count }, () => submitImport(uniqueName("economy #drop"), { "a.mp4": media("a.mp4") })));
    await waitUntilEnded(withCallbacks.map((job) => job.localId), 60_000);
    // Every lost callback is made up for by polling within a minute of upstream stopping.
    const rows = await waitUntilEnded(withoutCallbacks.map((job) => job.localId), 90_000);
    expect(rows.every((row) => row.outcome === "success")).toBe(true);

    const requests = await sandboxRequests(since);
    const creates = requests.filter((request) => request.method === "POST");
    expect(creates).toHaveLength(2 * count);
    const normalPolls = pollsOf(requests, withCallbacks.map((job) => job.upstreamJobId));
    expect(normalPolls.length / count).toBeLessThanOrEqual(0.2);
    const lostPolls = pollsOf(requests, withoutCallbacks.map((job) => job.upstreamJobId));
    expect(lostPolls.length).toBeGreaterThanOrEqual(count);
    expect(lostPolls.length / count).toBeLessThanOrEqual(3);
  }, 180_000);
});
