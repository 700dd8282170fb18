// Shortcuts for the background-work tests: the sandbox's own request record, jobs read straight
// from the database (reading through the console API would bring their polls forward), and
// `npm run worker` / `npm run sweep` as separate processes beside the running app.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import type { RecordedRequest } from "@/lib/sandbox/requests";
import { sandboxControl, waitFor, withDatabase } from "./stack";

export type { RecordedRequest };

/** What the sandbox answered since `since` (ms, host clock), oldest first. */
export async function sandboxRequests(since: number): Promise<RecordedRequest[]> {
  const response = await sandboxControl(`requests?since=${since}`);
  return ((await response.json()) as { data: RecordedRequest[] }).data;
}

/** The most requests any `windowMs` window starting at a request holds. */
export function busiestWindow(requests: RecordedRequest[], windowMs: number): number {
  const times = requests.map((request) => request.received_at).sort((a, b) => a - b);
  let most = 0;
  for (let start = 0, end = 0; start < times.length; start++) {
    while (end < times.length && times[end]! < times[start]! + windowMs) end++;
    most = Math.max(most, end - start);
  }
  return most;
}

export interface JobRow {
  id: string;
  state: string;
  outcome: string | null;
  upstream_job_id: string | null;
  error_code: string | null;
  error_message: string | null;
  stuck_since: Date | null;
  stuck_reason: string | null;
  next_poll_at: Date | null;
  leased_by: string | null;
  callback_missed_at: Date | null;
}

export async function jobRows(ids: string[]): Promise<JobRow[]> {
  return withDatabase(async (db) => (await db.query<JobRow>("SELECT * FROM jobs WHERE id = ANY($1::uuid[])", [ids])).rows);
}

export async function jobRow(id: string): Promise<JobRow> {
  const [row] = await jobRows([id]);
  if (!row) throw new Error(`no job ${id}`);
  return row;
}

/** Waits, reading the database only, until `accept` holds for the job. */
export function waitForRow(id: string, accept: (row: JobRow) => boolean, what: string, timeoutMs = 60_000): Promise<JobRow> {
  return waitFor(async () => {
    const row = await jobRow(id);
    return accept(row) ? row : undefined;
  }, { what, timeoutMs, intervalMs: 250 });
}

export async function eventMessages(id: string, kind: string): Promise<string[]> {
  return withDatabase(async (db) => (await db.query<{ message: string }>("SELECT message FROM job_events WHERE job_id = $1 AND kind = $2 ORDER BY id", [id, kind])).rows.map((row) => row.message));
}

const ROOT = path.resolve(import.meta.dirname, "../..");

export interface ScriptRun {
  child: ChildProcess;
  output: () => string;
  /** Resolves when every process of the run has let go of its output (npm and the script it started). */
  closed: Promise<void>;
  /** SIGTERM to the whole process group, as a terminal or a container stop sends it. */
  terminate(): void;
}

/** `npm run <script>` in its own process group, with the test stack's environment. */
export function startScript(script: "worker" | "sweep", env: Record<string, string> = {}): ScriptRun {
  const child = spawn("npm", ["run", "--silent", script], { cwd: ROOT, env: { ...process.env, ...env }, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let text = "";
  child.stdout?.on("data", (chunk) => (text += chunk));
  child.stderr?.on("data", (chunk) => (text += chunk));
  const closed = new Promise<void>((resolve) => child.on("close", () => resolve()));
  return {
    child,
    output: () => text,
    closed,
    terminate: () => {
      try {
        if (child.pid) process.kill(-child.pid, "SIGTERM");
      } catch {
        // the group has already gone
      }
    },
  };
}

/** Sets the shared budget back to a fresh, empty bucket with no hold. */
export async function resetBudget(): Promise<void> {
  await withDatabase((db) => db.query("UPDATE upstream_budget SET tokens = 0, refilled_at = now(), blocked_until = NULL, throttle_streak = 0 WHERE id = 1"));
}
