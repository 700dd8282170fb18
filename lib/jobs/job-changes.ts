import "server-only";
// Follows the jobdeck_job_changes channel for this instance: one LISTEN connection per process,
// fanned out to every subscriber (the browser streams of /api/jobs/changes). Each instance listens
// for itself, so a change written by any instance reaches the browsers of all of them.
import pg from "pg";
import { getEnv } from "@/lib/server/env";
import { logEvent } from "@/lib/server/log";
import { JOB_CHANGES_CHANNEL } from "./repository";

export type JobChange =
  | { type: "job"; id: string; upstreamJobId: string | null; state: string; version: number }
  /** The listener reconnected: changes may have been missed, so everything should be read again. */
  | { type: "resync" };

type Subscriber = (change: JobChange) => void;

interface Listener {
  subscribers: Set<Subscriber>;
  client: pg.Client | null;
  connecting: Promise<void> | null;
  retryTimer: NodeJS.Timeout | null;
}

const RECONNECT_DELAY_MS = 2_000;
const globalForChanges = globalThis as typeof globalThis & { jobdeckJobChanges?: Listener };

function listener(): Listener {
  globalForChanges.jobdeckJobChanges ??= { subscribers: new Set(), client: null, connecting: null, retryTimer: null };
  return globalForChanges.jobdeckJobChanges;
}

/** Calls `onChange` for every job change until the returned function is called. */
export async function subscribeToJobChanges(onChange: Subscriber): Promise<() => void> {
  const state = listener();
  state.subscribers.add(onChange);
  await ensureConnected(state);
  return () => {
    state.subscribers.delete(onChange);
    if (state.subscribers.size === 0) disconnect(state);
  };
}

function ensureConnected(state: Listener): Promise<void> {
  if (state.client) return Promise.resolve();
  state.connecting ??= connect(state).finally(() => (state.connecting = null));
  return state.connecting;
}

async function connect(state: Listener): Promise<void> {
  const client = new pg.Client({ connectionString: getEnv().databaseUrl });
  client.on("notification", (message) => {
    if (message.channel !== JOB_CHANGES_CHANNEL || !message.payload) return;
    try {
      broadcast(state, { type: "job", ...(JSON.parse(message.payload) as Omit<Extract<JobChange, { type: "job" }>, "type">) });
    } catch {
      // A payload we did not write: ignore it.
    }
  });
  client.on("error", (error) => {
    logEvent("warn", "job_changes_listener_lost", { error: error.message });
    if (state.client === client) state.client = null;
    client.end().catch(() => {});
    scheduleReconnect(state);
  });
  try {
    await client.connect();
    await client.query(`LISTEN ${JOB_CHANGES_CHANNEL}`);
    state.client = client;
  } catch (error) {
    await client.end().catch(() => {});
    logEvent("warn", "job_changes_listener_failed", { error: (error as Error).message });
    scheduleReconnect(state);
  }
}

function scheduleReconnect(state: Listener): void {
  if (state.retryTimer || state.subscribers.size === 0) return;
  state.retryTimer = setTimeout(() => {
    state.retryTimer = null;
    if (state.subscribers.size === 0) return;
    void ensureConnected(state).then(() => {
      if (state.client) broadcast(state, { type: "resync" });
    });
  }, RECONNECT_DELAY_MS);
  state.retryTimer.unref();
}

function disconnect(state: Listener): void {
  const client = state.client;
  state.client = null;
  if (state.retryTimer) clearTimeout(state.retryTimer);
  state.retryTimer = null;
  client?.end().catch(() => {});
}

function broadcast(state: Listener, change: JobChange): void {
  for (const subscriber of state.subscribers) subscriber(change);
}
