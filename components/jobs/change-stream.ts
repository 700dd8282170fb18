// One change stream per browser, not per tab (docs/decisions/0009): the tabs of an origin elect a
// leader with the Web Locks API; the leader alone holds the EventSource on /api/jobs/changes and
// relays what it hears to the other tabs over a BroadcastChannel. When the leader's tab closes its
// lock is released, the next tab waiting for it becomes leader and opens the stream. HTTP/1.1 allows
// about six connections per origin, so one stream per tab would leave a seventh tab unable to load.
// Where Web Locks or BroadcastChannel are missing, each tab holds its own stream.
import type { JobSummary } from "@/lib/jobs/api-types";

/** "live": the stream is open. "offline": it dropped; the leader reconnects with backoff. */
export type ChangeStreamStatus = "connecting" | "live" | "offline";

export type ChangeMessage =
  /** The stream (re)opened: changes before it may have been missed, so read what is shown again. */
  | { type: "ready"; serverTime: string | null }
  /** Changed jobs as /api/jobs lists them; `created` names those created in this batch. */
  | { type: "jobs"; jobs: JobSummary[]; created: string[] }
  /** The server's listener reconnected or a read failed: read what is shown again. */
  | { type: "resync" }
  | { type: "status"; status: ChangeStreamStatus };

type Listener = (message: ChangeMessage) => void;

/** What tabs say to each other: a relayed message (to one tab or all), or a new tab asking for the state. */
type Relay = { kind: "message"; message: ChangeMessage; to?: string } | { kind: "hello"; from: string };

const STREAM_URL = "/api/jobs/changes";
export const LEADER_LOCK = "jobdeck-job-changes-leader";
const CHANNEL_NAME = "jobdeck-job-changes";
const RECONNECT_MS = [1_000, 2_000, 4_000, 8_000];
/** A page change unsubscribes and the next page subscribes again: keep the stream over the gap. */
const STOP_DELAY_MS = 1_000;

interface State {
  tabId: string;
  listeners: Set<Listener>;
  status: ChangeStreamStatus;
  /** The server clock of the last `ready` this tab heard. */
  serverTime: string | null;
  isLeader: boolean;
  source: EventSource | null;
  channel: BroadcastChannel | null;
  releaseLock: (() => void) | null;
  lockRequest: AbortController | null;
  reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  stopTimer: ReturnType<typeof setTimeout> | undefined;
  attempt: number;
  isRunning: boolean;
}

let state: State | null = null;

function tabState(): State {
  state ??= {
    tabId: typeof crypto !== "undefined" && "randomUUID" in crypto ? crypto.randomUUID() : Math.random().toString(36).slice(2),
    listeners: new Set(),
    status: "connecting",
    serverTime: null,
    isLeader: false,
    source: null,
    channel: null,
    releaseLock: null,
    lockRequest: null,
    reconnectTimer: undefined,
    stopTimer: undefined,
    attempt: 0,
    isRunning: false,
  };
  return state;
}

/**
 * Calls `listener` with every message of this browser's change stream until the returned function
 * is called. A listener joining an open stream hears its status and a `ready` at once, so it
 * catches up as if the stream had just opened for it.
 */
export function subscribeToChangeStream(listener: Listener): () => void {
  const current = tabState();
  current.listeners.add(listener);
  clearTimeout(current.stopTimer);
  if (!current.isRunning) start(current);
  listener({ type: "status", status: current.status });
  if (current.status === "live") listener({ type: "ready", serverTime: current.serverTime });
  return () => {
    current.listeners.delete(listener);
    if (current.listeners.size > 0) return;
    clearTimeout(current.stopTimer);
    current.stopTimer = setTimeout(() => {
      if (current.listeners.size === 0) stop(current);
    }, STOP_DELAY_MS);
  };
}

function canShare(): boolean {
  return typeof navigator !== "undefined" && "locks" in navigator && navigator.locks !== undefined && typeof BroadcastChannel !== "undefined";
}

function start(current: State): void {
  current.isRunning = true;
  if (!canShare()) {
    lead(current);
    return;
  }
  const channel = new BroadcastChannel(CHANNEL_NAME);
  current.channel = channel;
  channel.onmessage = (event: MessageEvent<Relay>) => onRelay(current, event.data);
  const lockRequest = new AbortController();
  current.lockRequest = lockRequest;
  // The lock is held for as long as the returned promise is pending: until this tab stops or closes.
  navigator.locks
    .request(LEADER_LOCK, { signal: lockRequest.signal }, () =>
      new Promise<void>((release) => {
        current.releaseLock = release;
        lead(current);
      }),
    )
    .catch(() => {
      // Aborted while waiting: this tab stopped before it was ever leader.
    });
  // Whoever leads answers with the stream's state, so this tab need not wait for the next change.
  channel.postMessage({ kind: "hello", from: current.tabId } satisfies Relay);
}

function lead(current: State): void {
  current.isLeader = true;
  openSource(current);
}

function openSource(current: State): void {
  current.reconnectTimer = undefined;
  const source = new EventSource(STREAM_URL);
  current.source = source;
  source.addEventListener("ready", (event: MessageEvent<string>) => {
    current.attempt = 0;
    const serverTime = parse<{ serverTime?: string }>(event.data)?.serverTime ?? null;
    publish(current, { type: "status", status: "live" });
    publish(current, { type: "ready", serverTime });
  });
  source.addEventListener("jobs", (event: MessageEvent<string>) => {
    const data = parse<{ jobs?: JobSummary[]; created?: string[] }>(event.data);
    if (data?.jobs) publish(current, { type: "jobs", jobs: data.jobs, created: data.created ?? [] });
  });
  source.addEventListener("resync", () => publish(current, { type: "resync" }));
  source.addEventListener("error", () => {
    // EventSource would retry on its own, but not after every kind of failure: one way for all.
    source.close();
    if (current.source !== source) return;
    current.source = null;
    publish(current, { type: "status", status: "offline" });
    current.reconnectTimer = setTimeout(() => openSource(current), RECONNECT_MS[Math.min(current.attempt, RECONNECT_MS.length - 1)]);
    current.attempt += 1;
  });
}

/** The leader's news: to this tab's listeners and to every other tab. */
function publish(current: State, message: ChangeMessage): void {
  if (!current.isRunning) return;
  deliver(current, message);
  current.channel?.postMessage({ kind: "message", message } satisfies Relay);
}

function deliver(current: State, message: ChangeMessage): void {
  if (message.type === "status") current.status = message.status;
  if (message.type === "ready") current.serverTime = message.serverTime;
  for (const listener of [...current.listeners]) listener(message);
}

function onRelay(current: State, relay: Relay): void {
  if (relay.kind === "hello") {
    if (!current.isLeader) return;
    const reply = (message: ChangeMessage) => current.channel?.postMessage({ kind: "message", message, to: relay.from } satisfies Relay);
    reply({ type: "status", status: current.status });
    if (current.status === "live") reply({ type: "ready", serverTime: current.serverTime });
    return;
  }
  if (current.isLeader || (relay.to !== undefined && relay.to !== current.tabId)) return;
  deliver(current, relay.message);
}

function stop(current: State): void {
  current.isRunning = false;
  current.source?.close();
  current.source = null;
  clearTimeout(current.reconnectTimer);
  current.releaseLock?.();
  current.releaseLock = null;
  current.lockRequest?.abort();
  current.lockRequest = null;
  current.channel?.close();
  current.channel = null;
  current.isLeader = false;
  current.status = "connecting";
  current.attempt = 0;
}

function parse<T>(text: string): T | null {
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}
