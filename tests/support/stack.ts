// What the integration tests reach: the app and the sandbox that scripts/with-stack.ts (or
// scripts/test.ts) started, and the same database. Everything over real HTTP and real Postgres.
import pg from "pg";

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the integration tests with \`npm run test:integration\``);
  return value;
}

export const appUrl = required("PUBLIC_BASE_URL");
export const sandboxUrl = required("DESCRIPT_API_URL");
export const sandboxToken = required("SANDBOX_TOKEN");
export const callbackSecret = required("CALLBACK_SECRET");
export const databaseUrl = required("DATABASE_URL");
export const appLogFile = process.env.JOBDECK_APP_LOG;

/** Polls `probe` until it returns a value that is not undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(probe: () => Promise<T | undefined>, { timeoutMs = 15_000, intervalMs = 100, what = "condition" } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export async function sandboxControl(path: string, body?: unknown): Promise<Response> {
  const response = await fetch(`${sandboxUrl}/_sandbox/${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${sandboxToken}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`sandbox control ${path} answered ${response.status}`);
  return response;
}

/** The sandbox's own view of a job, as Descript would answer it. */
export async function sandboxJob(upstreamJobId: string): Promise<unknown> {
  const response = await fetch(`${sandboxUrl}/jobs/${encodeURIComponent(upstreamJobId)}`, { headers: { authorization: `Bearer ${sandboxToken}` } });
  if (!response.ok) throw new Error(`sandbox GET job answered ${response.status}`);
  return response.json();
}

export async function withDatabase<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The console API, answering parsed JSON with the status. */
export async function consoleApi<T = unknown>(path: string, init?: RequestInit): Promise<{ status: number; body: T; headers: Headers }> {
  const response = await fetch(`${appUrl}${path}`, init);
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T, headers: response.headers };
}

export function uniqueName(label: string): string {
  return `${label} ${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
