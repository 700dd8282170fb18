// What the integration tests reach: the app and the sandbox that scripts/with-stack.ts (or
// scripts/test.ts) started, and the same database. Everything over real HTTP and real Postgres.
import fs from "node:fs";
import pg from "pg";
import type { Role } from "@/lib/auth/permissions";

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

/** One person and one API key per role, made by the test stack (scripts/test-credentials.ts). */
export const credentials = JSON.parse(fs.readFileSync(required("JOBDECK_TEST_CREDENTIALS"), "utf8")) as {
  users: Record<Role, { email: string; password: string }>;
  keys: Record<Role, string>;
};

/** Who a test request is sent as: a role's API key, a session cookie, or nobody. */
export type As = Role | "anonymous" | { cookie: string };

/**
 * Every test request to the app goes through here: as the admin's API key unless the test says
 * otherwise. Callbacks (public, authenticated by their token) go as "anonymous".
 */
export function appFetch(path: string, init: RequestInit = {}, { as = "admin", instanceUrl = appUrl }: { as?: As; instanceUrl?: string } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (typeof as === "object") headers.set("cookie", as.cookie);
  else if (as !== "anonymous" && !headers.has("authorization")) headers.set("authorization", `Bearer ${credentials.keys[as]}`);
  return fetch(`${instanceUrl}${path}`, { ...init, headers });
}

/** Signs a role's person in and answers the session cookie (name=value) to send back. */
export async function signIn(role: Role): Promise<string> {
  const response = await appFetch(
    "/api/auth/sign-in/email",
    { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(credentials.users[role]) },
    { as: "anonymous" },
  );
  if (response.status !== 200) throw new Error(`sign-in as ${role} answered ${response.status}: ${await response.text()}`);
  return response.headers.getSetCookie().map((cookie) => cookie.split(";")[0]).join("; ");
}

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

/** One connection for `work`, to the stack's database unless a test names another (tests/support/own-database.ts). */
export async function withDatabase<T>(work: (client: pg.Client) => Promise<T>, connectionString = databaseUrl): Promise<T> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The console API, answering parsed JSON with the status. */
export async function consoleApi<T = unknown>(path: string, init?: RequestInit, options?: { as?: As }): Promise<{ status: number; body: T; headers: Headers }> {
  const response = await appFetch(path, init, options);
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T, headers: response.headers };
}

export function uniqueName(label: string): string {
  return `${label} ${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
