// `npm run bench`: measures Jobdeck on a production build, each figure beside a baseline measured in
// the same run on the same machine, and writes bench/results/latest.{json,md} and the README's table
// (docs/decisions/0015-benchmarks.md). Sizes and durations are environment variables, below.
import { spawn } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { jobListQuerySchema } from "../lib/jobs/api-types";
import { jobListStatement, jobsNamedByStatement } from "../lib/jobs/list-sql";
import { decodeCursor, encodeCursor } from "../lib/jobs/serializers";
import type { RecordedRequest } from "../lib/sandbox/requests";
import {
  floodCallbacks,
  loadGet,
  machine,
  percentiles,
  seedRunningJobs,
  sleep,
  createRunKey,
  startApp,
  type LoadOutcome,
  type RunAuth,
  type SeededJob,
} from "./perf/harness";
import { benchLive, LIVE_SETTINGS } from "./perf/live";
import { writeResults, type BenchResults, type Row } from "./perf/report";
import { seedJobList } from "./perf/seed";
import { exitCodeOf, log, prepareDatabase, ROOT, runMain, startStack } from "./stack";

const numberFrom = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const SETTINGS = {
  /** Jobs in the list benchmark; three files each. */
  jobs: numberFrom("BENCH_JOBS", 1_000_000),
  callbackJobs: numberFrom("BENCH_CALLBACK_JOBS", 20_000),
  callbackConnections: 32,
  callbackSeconds: numberFrom("BENCH_CALLBACK_SECONDS", 10),
  callbackRounds: numberFrom("BENCH_CALLBACK_ROUNDS", 2),
  listConnections: 8,
  listSeconds: numberFrom("BENCH_LIST_SECONDS", 5),
  ...LIVE_SETTINGS,
  /** Imports submitted with their callbacks, and as many whose callbacks are all lost (#drop). */
  economyJobs: numberFrom("BENCH_ECONOMY_JOBS", 20),
  burstSubmissions: numberFrom("BENCH_BURST_SUBMISSIONS", 200),
  /** Expired jobs for the sweep, one file and one event each. */
  sweepJobs: numberFrom("BENCH_SWEEP_JOBS", 1_000_000),
};
const BASELINE_PORT = numberFrom("BENCH_BASELINE_PORT", 3290);

const PARTS = ["callbacks", "list", "live", "economy", "sweep"] as const;
type Part = (typeof PARTS)[number];

/** BENCH_PARTS=live,list runs only those parts (all by default); the 1M-job seed only comes with `list`. */
function partsToRun(): Set<Part> {
  const named = (process.env.BENCH_PARTS ?? "").split(",").map((part) => part.trim()).filter(Boolean);
  if (named.length === 0) return new Set(PARTS);
  const unknown = named.filter((part) => !(PARTS as readonly string[]).includes(part));
  if (unknown.length > 0) throw new Error(`BENCH_PARTS: unknown part ${unknown.join(", ")} (known: ${PARTS.join(", ")})`);
  return new Set(named as Part[]);
}

runMain(async () => {
  // A database of its own, emptied first: the bench seeds a million rows and must not touch yours.
  if (process.env.DATABASE_URL) {
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `${url.pathname}_bench`;
    process.env.DATABASE_URL = url.toString();
    await prepareDatabase(process.env.DATABASE_URL, { fresh: true });
  }
  const stack = await startStack({ profile: "bench", withSandbox: true });
  const db = new pg.Pool({ connectionString: stack.env.DATABASE_URL, max: SETTINGS.listConnections });
  const appUrl = `http://127.0.0.1:${stack.config.port}`;
  const secret = stack.env.CALLBACK_SECRET!;
  const children: Array<ReturnType<typeof spawn>> = [];
  try {
    const parts = partsToRun();
    log("building and starting the app");
    const app = await startApp(stack);
    children.push(app);
    if (parts.has("callbacks")) {
      const baseline = spawn(path.join(ROOT, "node_modules/.bin/tsx"), ["scripts/perf/baseline-callback-server.ts"], {
        cwd: ROOT,
        env: { ...stack.env, BASELINE_PORT: String(BASELINE_PORT) },
        stdio: ["ignore", "ignore", "inherit"],
      });
      children.push(baseline);
      await waitForListening(BASELINE_PORT);
    }

    // The console API and the proxy are called as a program calls them: with an API key.
    const auth = await createRunKey(db, "bench");
    const rowsOf = new Map<Part, Row[]>();
    const pending: BenchResults["pending"] = [];
    // Callbacks and live latency first, on the running jobs they seed, as the scenarios have
    // them; the million jobs are the list's scenario. After that seed every callback also pays for
    // cold pages of large indexes, and the worker's scans cover a million jobs (docs/decisions/0015).
    if (parts.has("callbacks")) rowsOf.set("callbacks", await benchCallbacks({ db, appUrl, secret }));
    if (parts.has("live")) {
      const live = await benchLive({ db, appUrl, secret, auth, log });
      rowsOf.set("live", live.rows);
      pending.push(...live.pending);
    }
    let seed: BenchResults["seed"] = { seconds: 0, jobs: 0, files: 0 };
    if (parts.has("list")) {
      log(`seeding ${SETTINGS.jobs} jobs and ${SETTINGS.jobs * 3} files`);
      seed = await seedJobList(db, SETTINGS.jobs);
      log(`seeded in ${seed.seconds} s`);
      rowsOf.set("list", await benchList({ db, appUrl, auth }));
    }
    if (parts.has("economy")) rowsOf.set("economy", await benchEconomy({ db, appUrl, auth, sandbox: { url: stack.env.DESCRIPT_API_URL!, token: stack.config.sandbox.token } }));
    if (parts.has("sweep")) rowsOf.set("sweep", await benchSweep({ db, appUrl, secret, env: stack.env }));
    // The table keeps the parts' own order, whatever order they ran in.
    const rows = PARTS.flatMap((part) => rowsOf.get(part) ?? []);
    const { rows: version } = await db.query<{ server_version: string }>("SHOW server_version");
    const results: BenchResults = { generatedAt: new Date().toISOString(), machine: machine(version[0]!.server_version), settings: SETTINGS, seed, rows, pending };
    // A run of some parts only is written beside the full results, never over them or the README's table.
    const partial = parts.size < PARTS.length ? [...parts].join("-") : undefined;
    const written = writeResults(results, { partial });
    log(`wrote ${written.join(", ")}`);
    return 0;
  } finally {
    for (const child of children) {
      child.kill("SIGTERM");
      await exitCodeOf(child);
    }
    await db.end();
    await stack.stop();
  }
});

async function waitForListening(port: number): Promise<void> {
  for (let tries = 0; tries < 100; tries++) {
    const answered = await fetch(`http://127.0.0.1:${port}/`, { method: "POST" }).then(() => true, () => false);
    if (answered) return;
    await sleep(100);
  }
  throw new Error(`nothing listens on port ${port}`);
}

// ---- Callback ingestion -----------------------------------------------------------------------

async function benchCallbacks({ db, appUrl, secret }: { db: pg.Pool; appUrl: string; secret: string }): Promise<Row[]> {
  const appJobs = await seedRunningJobs(db, SETTINGS.callbackJobs, "bench callbacks app");
  const baselineJobs = await seedRunningJobs(db, SETTINGS.callbackJobs, "bench callbacks baseline");
  const baselineUrl = `http://127.0.0.1:${BASELINE_PORT}`;
  const verdicts = new Map<string, number>();
  const tally = (_job: SeededJob, _step: number, verdict: string) => verdicts.set(verdict, (verdicts.get(verdict) ?? 0) + 1);
  const flood = (baseUrl: string, jobs: SeededJob[], round: number, seconds: number, count = false) =>
    floodCallbacks({ baseUrl, secret, jobs, connections: SETTINGS.callbackConnections, seconds, firstStep: round * 100_000, onAcknowledged: count ? tally : undefined });
  log("callbacks: warming up both servers");
  await flood(appUrl, appJobs, 0, 3);
  await flood(baselineUrl, baselineJobs, 0, 3);
  const rows: Row[] = [];
  for (let round = 1; round <= SETTINGS.callbackRounds; round++) {
    log(`callbacks: round ${round}`);
    const jobdeck = await flood(appUrl, appJobs, round, SETTINGS.callbackSeconds, true);
    const yardstick = await flood(baselineUrl, baselineJobs, round, SETTINGS.callbackSeconds);
    rows.push(...callbackRows(round, jobdeck, yardstick));
  }
  const applied = verdicts.get("applied") ?? 0;
  const acknowledged = [...verdicts.values()].reduce((sum, count) => sum + count, 0);
  rows.push({
    group: "Callback ingestion",
    measure: "acknowledged callbacks answered `applied`",
    jobdeck: `${applied} of ${acknowledged}`,
    baseline: "",
    ratio: null,
    target: "all",
    met: applied === acknowledged && acknowledged > 0,
  });
  return rows;
}

function callbackRows(round: number, jobdeck: LoadOutcome, baseline: LoadOutcome): Row[] {
  const group = "Callback ingestion";
  const where = `round ${round}, ${SETTINGS.callbackConnections} connections`;
  const ratio = jobdeck.requestsPerSecond / baseline.requestsPerSecond;
  return [
    { group, measure: `callbacks/s (${where})`, jobdeck: jobdeck.requestsPerSecond, baseline: baseline.requestsPerSecond, ratio, target: "≥ 0.5 × baseline", met: ratio >= 0.5 },
    { group, measure: `p50 ms (${where})`, jobdeck: jobdeck.latencyMs.p50, baseline: baseline.latencyMs.p50, ratio: jobdeck.latencyMs.p50 / baseline.latencyMs.p50, target: "", met: null },
    { group, measure: `p99 ms (${where})`, jobdeck: jobdeck.latencyMs.p99, baseline: baseline.latencyMs.p99, ratio: jobdeck.latencyMs.p99 / baseline.latencyMs.p99, target: "< 100 ms", met: jobdeck.latencyMs.p99 < 100 },
    ...(jobdeck.non2xx + jobdeck.errors > 0
      ? [{ group, measure: `failed requests (${where})`, jobdeck: jobdeck.non2xx + jobdeck.errors, baseline: baseline.non2xx + baseline.errors, ratio: null, target: "0", met: false }]
      : []),
  ];
}

// ---- The job list -----------------------------------------------------------------------------

interface ListCase {
  name: string;
  path: string;
  target: number;
}

async function listCases(db: pg.Pool): Promise<ListCase[]> {
  const middle = Math.floor(SETTINGS.jobs / 2);
  const { rows } = await db.query<{ id: string; upstream_job_id: string; project_name: string; created_at: Date }>(
    "SELECT id, upstream_job_id, project_name, created_at FROM jobs WHERE submitted_by = 'bench' ORDER BY created_at DESC, id DESC OFFSET $1 LIMIT 1",
    [middle],
  );
  const deep = rows[0]!;
  const projectName = deep.project_name.split(" ").slice(0, 2).join(" ");
  const cursor = encodeCursor("created_desc", deep.created_at, deep.id);
  return [
    { name: "first page", path: "/api/jobs", target: 30 },
    { name: "filtered page (state=running)", path: "/api/jobs?state=running", target: 30 },
    // The issue asks substring search to be served by an index "in well under 100 ms".
    { name: `free text (a project name, q=${projectName})`, path: `/api/jobs?q=${encodeURIComponent(projectName)}`, target: 100 },
    { name: "exact upstream job id in the search box", path: `/api/jobs?q=${deep.upstream_job_id}`, target: 30 },
    { name: `deep cursor page (${middle.toLocaleString("en")} rows in)`, path: `/api/jobs?cursor=${cursor}`, target: 30 },
  ];
}

/**
 * The page in raw SQL: the very statements the app runs for this path (lib/jobs/list-sql.ts), built
 * from the path's query as the route parses it.
 */
async function rawPage(db: pg.Pool, listCase: ListCase): Promise<void> {
  const { cursor, ...filters } = jobListQuerySchema.parse(Object.fromEntries(new URL(listCase.path, "http://bench").searchParams));
  const after = cursor === undefined ? null : decodeCursor(cursor, filters.sort);
  const named = filters.q ? (await db.query<{ id: string }>(jobsNamedByStatement(filters.q))).rows.map((row) => row.id) : [];
  await db.query(jobListStatement(filters, after, named));
}

/** `connections` clients repeating the raw query for `seconds`, as autocannon does over HTTP. */
async function loadRawSql(db: pg.Pool, listCase: ListCase): Promise<{ perSecond: number; p50: number; p95: number }> {
  const samples: number[] = [];
  const until = Date.now() + SETTINGS.listSeconds * 1000;
  await Promise.all(
    Array.from({ length: SETTINGS.listConnections }, async () => {
      while (Date.now() < until) {
        const started = performance.now();
        await rawPage(db, listCase);
        samples.push(performance.now() - started);
      }
    }),
  );
  const { p50, p95 } = percentiles(samples);
  return { perSecond: Math.round(samples.length / SETTINGS.listSeconds), p50, p95 };
}

async function benchList({ db, appUrl, auth }: { db: pg.Pool; appUrl: string; auth: RunAuth }): Promise<Row[]> {
  const rows: Row[] = [];
  const group = `Job list (${SETTINGS.jobs.toLocaleString("en")} jobs, ${(SETTINGS.jobs * 3).toLocaleString("en")} files, ${SETTINGS.listConnections} connections)`;
  let firstPageP95 = 0;
  // The parts before wrote a lot (the seed, the callbacks): their checkpoint is not the first case's to pay.
  await db.query("CHECKPOINT");
  for (const listCase of await listCases(db)) {
    log(`list: ${listCase.name}`);
    const check = await fetch(`${appUrl}${listCase.path}`, { headers: auth });
    if (!check.ok) throw new Error(`${listCase.path} answered ${check.status}`);
    await loadGet(appUrl, listCase.path, SETTINGS.listConnections, 1, auth); // warm-up
    const jobdeck = await loadGet(appUrl, listCase.path, SETTINGS.listConnections, SETTINGS.listSeconds, auth);
    const raw = await loadRawSql(db, listCase);
    if (listCase.name === "first page") firstPageP95 = jobdeck.latencyMs.p95;
    const isDeep = listCase.name.startsWith("deep");
    const met = jobdeck.latencyMs.p95 < listCase.target && jobdeck.non2xx + jobdeck.errors === 0 && (!isDeep || jobdeck.latencyMs.p95 <= 1.5 * firstPageP95 + 2);
    rows.push(
      { group, measure: `${listCase.name}: p50 ms`, jobdeck: jobdeck.latencyMs.p50, baseline: raw.p50, ratio: jobdeck.latencyMs.p50 / raw.p50, target: "", met: null },
      {
        group,
        measure: `${listCase.name}: p95 ms`,
        jobdeck: jobdeck.latencyMs.p95,
        baseline: raw.p95,
        ratio: jobdeck.latencyMs.p95 / raw.p95,
        target: `< ${listCase.target} ms${isDeep ? ", ≈ first page" : ""}`,
        met,
      },
      { group, measure: `${listCase.name}: requests/s`, jobdeck: jobdeck.requestsPerSecond, baseline: raw.perSecond, ratio: jobdeck.requestsPerSecond / raw.perSecond, target: "", met: null },
    );
  }
  return rows;
}

// ---- Upstream economy -------------------------------------------------------------------------

interface Sandbox {
  url: string;
  token: string;
}

/** What the sandbox answered since `since` (ms), as tests/support/worker.ts reads it. */
async function sandboxRequests(sandbox: Sandbox, since: number): Promise<RecordedRequest[]> {
  const response = await fetch(`${sandbox.url}/_sandbox/requests?since=${since}`, { headers: { authorization: `Bearer ${sandbox.token}` } });
  if (!response.ok) throw new Error(`sandbox requests answered ${response.status}`);
  return ((await response.json()) as { data: RecordedRequest[] }).data.filter((request) => !request.path.startsWith("/v1/_sandbox"));
}

/** One import through the proxy, as a Descript client sends it; Descript's job_id, or the status it drew. */
async function submitThroughProxy(appUrl: string, auth: RunAuth, projectName: string): Promise<{ status: number; upstreamJobId?: string }> {
  const response = await fetch(`${appUrl}/api/v1/jobs/import/project_media`, {
    method: "POST",
    headers: { "content-type": "application/json", ...auth },
    body: JSON.stringify({ project_name: projectName, add_media: { "a.mp4": { url: "https://media.example.com/a.mp4" } } }),
  });
  const body = (await response.json().catch(() => ({}))) as { job_id?: string };
  return { status: response.status, upstreamJobId: body.job_id };
}

async function waitUntilStopped(db: pg.Pool, upstreamJobIds: string[], timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const { rows } = await db.query<{ stopped: number }>(
      "SELECT count(*)::int AS stopped FROM jobs WHERE upstream_job_id = ANY($1::text[]) AND state = 'stopped'",
      [upstreamJobIds],
    );
    if (rows[0]!.stopped === upstreamJobIds.length) return (Date.now() - started) / 1000;
    await sleep(500);
  }
  throw new Error(`${upstreamJobIds.length} jobs did not all stop within ${timeoutMs / 1000} s`);
}

/**
 * Upstream calls per finished job, counted by the sandbox (it records every request): imports whose
 * callbacks arrive, then imports whose every callback is lost and which only polling can finish.
 * Then a burst of submissions at once, and the 429s it draws from upstream (the shared budget
 * should draw none). The same counting as tests/integration/worker/budget.test.ts, at bench scale.
 */
async function benchEconomy({ db, appUrl, auth, sandbox }: { db: pg.Pool; appUrl: string; auth: RunAuth; sandbox: Sandbox }): Promise<Row[]> {
  const group = "Upstream economy (the sandbox's own count of calls)";
  const count = SETTINGS.economyJobs;
  const rows: Row[] = [];
  for (const lost of [false, true]) {
    log(`economy: ${count} imports, ${lost ? "every callback lost" : "callbacks arriving"}`);
    const since = Date.now();
    const answers = await Promise.all(Array.from({ length: count }, (_, index) => submitThroughProxy(appUrl, auth, `bench economy ${index}${lost ? " #drop" : ""}`)));
    const ids = answers.map((answer) => answer.upstreamJobId).filter((id): id is string => id !== undefined);
    if (ids.length !== count) throw new Error(`economy: ${count - ids.length} submissions were refused`);
    const seconds = await waitUntilStopped(db, ids, 180_000);
    const requests = await sandboxRequests(sandbox, since);
    const mine = new Set(ids.map((id) => `/v1/jobs/${id}`));
    const creates = requests.filter((request) => request.method === "POST").length;
    const polls = requests.filter((request) => request.method === "GET" && mine.has(request.path)).length;
    const perJob = Math.round(((creates + polls) / count) * 100) / 100;
    const pollsPerJob = polls / count;
    rows.push({
      group,
      measure: `calls per finished job, ${lost ? "every callback lost" : "callbacks arriving"} (${count} imports; all stopped ${Math.round(seconds * 10) / 10} s after submission)`,
      jobdeck: `${perJob} (${creates} creates, ${polls} polls)`,
      baseline: "",
      ratio: null,
      target: lost ? "1 create + ≤ 3 polls" : "1 create + ≤ 0.2 polls",
      met: creates === count && (lost ? pollsPerJob >= 1 && pollsPerJob <= 3 : pollsPerJob <= 0.2),
    });
  }
  log(`economy: a burst of ${SETTINGS.burstSubmissions} submissions at once`);
  const since = Date.now();
  const burst = await Promise.all(Array.from({ length: SETTINGS.burstSubmissions }, (_, index) => submitThroughProxy(appUrl, auth, `bench burst ${index}`)));
  const seconds = Math.round((Date.now() - since) / 100) / 10;
  const tooMany = (await sandboxRequests(sandbox, since)).filter((request) => request.status === 429).length;
  const accepted = burst.filter((answer) => answer.status === 201).length;
  rows.push({
    group,
    measure: `429s drawn from upstream by ${SETTINGS.burstSubmissions} submissions at once (${accepted} answered 201 within ${seconds} s)`,
    jobdeck: tooMany,
    baseline: "",
    ratio: null,
    target: "0, every submission accepted",
    met: tooMany === 0 && accepted === SETTINGS.burstSubmissions,
  });
  return rows;
}

// ---- The sweep --------------------------------------------------------------------------------

/**
 * Rows deleted per second by one expiry sweep over `sweepJobs` expired jobs (seeded with SQL, one file
 * and one event each), run by `npm run sweep` beside the app as an operator would; and callback p99
 * while it runs, beside p99 measured just before on the same app without it.
 */
async function benchSweep({ db, appUrl, secret, env }: { db: pg.Pool; appUrl: string; secret: string; env: NodeJS.ProcessEnv }): Promise<Row[]> {
  const group = `The sweep (${SETTINGS.sweepJobs.toLocaleString("en")} expired jobs, with a file and an event each)`;
  log(`sweep: seeding ${SETTINGS.sweepJobs} expired jobs`);
  await db.query(`
    WITH seeded AS (
      INSERT INTO jobs (id, type, state, outcome, request, submitted_by, created_at, updated_at, media_seconds_used)
      SELECT gen_random_uuid(), 'import/project_media', 'stopped', 'success', '{}', 'bench sweep', now() - interval '40 days' - n * interval '1 second', now(), 10
      FROM generate_series(1, $1::int) AS n
      RETURNING id
    ), files AS (
      INSERT INTO job_files (id, job_id, reference, status) SELECT gen_random_uuid(), id, 'a.mp4', 'success' FROM seeded
    )
    INSERT INTO job_events (job_id, kind, message) SELECT id, 'submitted', 'seeded' FROM seeded`, [SETTINGS.sweepJobs]);
  // Expired jobs were written a month ago: vacuumed and checkpointed long since. Without this, the
  // seed's own aftermath (autovacuum over three million new rows) ran beside the measurements.
  await db.query("VACUUM ANALYZE jobs, job_files, job_events");
  const jobs = await seedRunningJobs(db, SETTINGS.callbackJobs, "bench sweep callbacks");
  // Inside the retention period, unlike the other parts' running jobs: the sweep must leave these alone.
  await db.query("UPDATE jobs SET created_at = now() - interval '1 day' WHERE id = ANY($1::uuid[])", [jobs.map((job) => job.id)]);
  await db.query("CHECKPOINT");
  const flood = (firstStep: number, seconds = SETTINGS.callbackSeconds) =>
    floodCallbacks({ baseUrl: appUrl, secret, jobs, connections: SETTINGS.callbackConnections, seconds, firstStep });
  log("sweep: callbacks without it");
  await flood(0, 3); // warm-up, as the callbacks part's
  const without = await flood(50_000);
  log("sweep: callbacks while it runs");
  // As `npm run sweep` runs it: the app's server-only modules load under the react-server condition.
  const sweeper = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/sweep.ts"], { cwd: ROOT, env, stdio: ["ignore", "ignore", "inherit"] });
  const sweepEnded = exitCodeOf(sweeper).then((code) => ({ code, at: Date.now() }));
  // The flood starts with the sweep's run, not with its process: node compiling and loading the
  // app's modules for a few seconds is not the sweep running.
  await waitForSweepRun(db);
  const sweepStarted = Date.now();
  const during = await flood(100_000);
  const floodEnded = Date.now();
  const { code } = await sweepEnded;
  if (code !== 0) throw new Error(`npm run sweep exited with ${code}`);
  const { rows } = await db.query<{ jobs: number; rows: number; seconds: number }>(
    `SELECT jobs_deleted AS jobs, jobs_deleted + files_deleted + events_deleted + relays_deleted AS rows,
            extract(epoch FROM finished_at - started_at)::float8 AS seconds
     FROM sweep_runs ORDER BY id DESC LIMIT 1`,
  );
  const run = rows[0]!;
  const overlap = Math.round((Math.min(floodEnded, sweepStarted + run.seconds * 1000) - sweepStarted) / 1000);
  const where = `${SETTINGS.callbackConnections} connections for ${SETTINGS.callbackSeconds} s, ${overlap} s of them while the sweep ran`;
  return [
    {
      group,
      measure: `rows deleted per second (${run.jobs.toLocaleString("en")} jobs, ${run.rows.toLocaleString("en")} rows in all, in ${Math.round(run.seconds * 10) / 10} s)`,
      jobdeck: Math.round(run.rows / run.seconds),
      baseline: "",
      ratio: null,
      target: "",
      // The other parts' running jobs, created in 2020, go too.
      met: run.jobs >= SETTINGS.sweepJobs ? null : false,
    },
    {
      group,
      measure: `callback p99 ms while it runs, beside p99 without it (${where})`,
      jobdeck: during.latencyMs.p99,
      baseline: without.latencyMs.p99,
      ratio: during.latencyMs.p99 / without.latencyMs.p99,
      target: "< 100 ms",
      met: during.latencyMs.p99 < 100 && during.non2xx + during.errors === 0,
    },
  ];
}

/** Waits for a sweep run to start (its sweep_runs row, written before its first batch). */
async function waitForSweepRun(db: pg.Pool): Promise<void> {
  const { rows: [before] } = await db.query<{ runs: number }>("SELECT count(*)::int AS runs FROM sweep_runs");
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    const { rows: [now] } = await db.query<{ runs: number }>("SELECT count(*)::int AS runs FROM sweep_runs");
    if (now!.runs > before!.runs) return;
    await sleep(50);
  }
  throw new Error("npm run sweep did not start a run within 60 s");
}
