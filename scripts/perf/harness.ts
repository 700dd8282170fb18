// What `npm run bench` and `npm run drills` share: the stack around a production build, running jobs
// seeded with SQL, signed progress callbacks, and autocannon runs that count what was acknowledged.
import type { ChildProcess } from "node:child_process";
import os from "node:os";
import autocannon from "autocannon";
import pg from "pg";
import { hashKey, newApiKey, visiblePrefix } from "../../lib/auth/key-format";
import { signCallbackToken } from "../../lib/jobs/callback-token";
import { startBuiltApp, type Stack } from "../stack";

export interface SeededJob {
  id: string;
  upstreamJobId: string;
}

/**
 * Running jobs written straight to the table, created 20 days ago: long enough to stay off the
 * list's first page, and inside the 30-day retention, or the in-app worker's expiry sweep deletes
 * them mid-run and their callbacks answer 404 (the Postgres drill failed so whenever a sweep fell
 * inside it). Upstream has never heard of them, so their first poll is a day away: the in-app worker would
 * otherwise end them as unknown upstream in the middle of a run, and later callbacks would be stale.
 * `last_polled_at` a day ahead too: opening the live table brings the newest active jobs' polls to
 * three seconds after their last one, and the worker's 404s for a hundred of them took the app's CPU
 * in bursts each second for the first fifteen seconds of the live part (idle samples of 190 ms).
 */
export async function seedRunningJobs(db: pg.Pool, count: number, label: string): Promise<SeededJob[]> {
  const { rows } = await db.query<{ id: string; upstream_job_id: string }>(
    `INSERT INTO jobs (id, upstream_job_id, type, state, upstream_state, request, submitted_by, project_name, upstream_created_at, created_at, updated_at, next_poll_at, last_polled_at)
     SELECT gen_random_uuid(), gen_random_uuid()::text, 'import/project_media', 'running', 'running', '{}', 'bench', $2 || ' ' || n,
            now() - interval '20 days', now() - interval '20 days' + n * interval '1 ms', now(), now() + interval '1 day', now() + interval '1 day'
     FROM generate_series(1, $1::int) AS n RETURNING id, upstream_job_id`,
    [count, label],
  );
  return rows.map((row) => ({ id: row.id, upstreamJobId: row.upstream_job_id }));
}

/**
 * A progress callback for `job` whose `step` orders it: a higher step carries a later
 * `last_update_at`, so the state machine applies it over any lower one.
 */
export function progressCallback(secret: string, job: SeededJob, step: number): { path: string; body: string } {
  return {
    path: `/api/callbacks/descript/${signCallbackToken(job.id, secret)}`,
    body: JSON.stringify({
      job_id: job.upstreamJobId,
      job_type: "import/project_media",
      job_state: "running",
      created_at: "2020-01-01T00:00:00.000Z",
      progress: { label: `step ${step}`, percent: step % 100, last_update_at: new Date(Date.UTC(2021, 0, 1) + step * 1000).toISOString() },
    }),
  };
}

/** Sends one progress callback; answers whether it was acknowledged, and after how many ms. */
export async function sendProgress(appUrl: string, secret: string, job: SeededJob, step: number): Promise<{ ok: boolean; ms: number }> {
  const callback = progressCallback(secret, job, step);
  const started = performance.now();
  try {
    const answer = await fetch(`${appUrl}${callback.path}`, { method: "POST", headers: { "content-type": "application/json" }, body: callback.body });
    await answer.arrayBuffer();
    return { ok: answer.ok, ms: performance.now() - started };
  } catch {
    return { ok: false, ms: performance.now() - started };
  }
}

export interface LoadOutcome {
  sent: number;
  acknowledged: number;
  non2xx: number;
  errors: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number };
  durationSeconds: number;
  /** How many answers had each status code. */
  statusCodes: Record<string, number>;
}

/** A short, honest name for each autocannon figure this tool reports. */
export function toOutcome(result: autocannon.Result, sent: number): LoadOutcome {
  const latency = result.latency as autocannon.Histogram & { p95?: number };
  return {
    sent,
    acknowledged: result["2xx"],
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    requestsPerSecond: Math.round((result["2xx"] / result.duration) * 10) / 10,
    latencyMs: { p50: latency.p50, p95: latency.p97_5 === undefined ? latency.p90 : (latency.p95 ?? latency.p97_5), p99: latency.p99 },
    durationSeconds: result.duration,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, stats]) => [code, stats?.count ?? 0])),
  };
}

/**
 * Sends progress callbacks for `seconds` over `connections`, each to the next job in turn (a job's
 * step rises each time round), and reports which (job, step) pairs were acknowledged with a 2xx.
 */
export async function floodCallbacks(options: {
  baseUrl: string;
  secret: string;
  jobs: SeededJob[];
  connections: number;
  seconds: number;
  /** Steps start above this, so a later flood over the same jobs is news to every one of them. */
  firstStep?: number;
  onAcknowledged?: (job: SeededJob, step: number, verdict: string) => void;
}): Promise<LoadOutcome> {
  let next = 0;
  const firstStep = options.firstStep ?? 0;
  const result = await autocannon({
    url: options.baseUrl,
    connections: options.connections,
    duration: options.seconds,
    method: "POST",
    headers: { "content-type": "application/json" },
    requests: [
      {
        setupRequest: (request, rawContext) => {
          const context = rawContext as { job?: SeededJob; step?: number };
          const index = next++;
          const job = options.jobs[index % options.jobs.length]!;
          const step = firstStep + 1 + Math.floor(index / options.jobs.length);
          context.job = job;
          context.step = step;
          return { ...request, ...progressCallback(options.secret, job, step) };
        },
        onResponse: (status, body, rawContext) => {
          const context = rawContext as { job?: SeededJob; step?: number };
          if (status >= 200 && status < 300 && options.onAcknowledged) {
            const verdict = (JSON.parse(body) as { verdict?: string }).verdict ?? "none";
            options.onAcknowledged(context.job as SeededJob, context.step as number, verdict);
          }
        },
      },
    ],
  });
  return toOutcome(result, next);
}

/** GET load on one path: `connections` clients for `seconds`, with `headers` (the bench's API key). */
export async function loadGet(baseUrl: string, path: string, connections: number, seconds: number, headers: Record<string, string> = {}): Promise<LoadOutcome> {
  const result = await autocannon({ url: `${baseUrl}${path}`, connections, duration: seconds, headers });
  return toOutcome(result, result.requests.sent);
}

/** Percentiles of a list of latencies in milliseconds (nearest rank). */
export function percentiles(samples: number[]): { p50: number; p95: number; p99: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => Math.round((sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN) * 10) / 10;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}

export function machine(serverVersion: string) {
  return {
    cpus: os.cpus().length,
    loadAverage1m: Math.round(os.loadavg()[0]! * 100) / 100,
    node: process.version,
    postgres: serverVersion,
    // What else ran on the machine, which the load average alone does not say (BENCH_MACHINE_NOTE).
    shared: process.env.BENCH_MACHINE_NOTE ?? "the load average includes the bench's own processes",
  };
}

/** The app from a production build; `build: false` reuses the last one (JOBDECK_BENCH_NO_BUILD=1). */
export function startApp(stack: Stack): Promise<ChildProcess> {
  return startBuiltApp(stack, { build: process.env.JOBDECK_BENCH_NO_BUILD !== "1" });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * An admin API key for a run, stored as the app stores keys (lib/auth/key-format.ts): the bench and
 * drills call the console API and the proxy as a program would. Answers the Authorization header.
 */
export type RunAuth = { authorization: string };

export async function createRunKey(db: pg.Pool, name: string): Promise<RunAuth> {
  const key = newApiKey();
  await db.query("INSERT INTO api_keys (id, name, role, hash, prefix, created_by) VALUES (gen_random_uuid(), $1, 'admin', $2, $3, $1)", [name, hashKey(key), visiblePrefix(key)]);
  return { authorization: `Bearer ${key}` };
}
