import "server-only";
// The change hub: follows the jobdeck_job_changes channel with one LISTEN connection per instance,
// gathers the ids notified within COALESCE_MS, reads those jobs' summaries once for the whole batch
// (through the list's own path, so rows are exactly what /api/jobs answers), and hands the batch to
// every subscriber (the browser streams of /api/jobs/changes). Each instance listens for itself, so
// a change written by any instance reaches the browsers of all of them. docs/decisions/0009.
import { followChannel, type ChannelFollower } from "@/lib/server/channel";
import { logEvent } from "@/lib/server/log";
import { MAX_JOB_IDS, type JobSummary } from "./api-types";
import { listJobsPage } from "./queries";
import { JOB_CHANGES_CHANNEL } from "./repository";

export type JobChange =
  /** The jobs that changed, as /api/jobs lists them; `created` names those first written in this batch. */
  | { type: "jobs"; jobs: JobSummary[]; created: string[] }
  /** Changes may have been missed (the listener reconnected, or a read failed): read everything again. */
  | { type: "resync" };

type Subscriber = (change: JobChange) => void;

interface Hub {
  subscribers: Set<Subscriber>;
  follower: ChannelFollower | null;
  /** Ids notified since the last read, and which of them were created (their first notification). */
  pending: Map<string, boolean>;
  flushTimer: NodeJS.Timeout | null;
  /** One read at a time: batches reach subscribers in the order their changes were committed. */
  isReading: boolean;
  lastReadAt: number;
}

/** Notifications this close together are read in one statement (a burst of callbacks is one read). */
export const COALESCE_MS = 10;
/**
 * Under a flood, reads start at most this often: each costs the instance CPU that callbacks need.
 * Not as seldom as a tab renders (RENDER_MS, components/jobs/change-applier.ts): the hub cannot
 * know which jobs are on someone's screen, so changes to jobs no one watches (the worker flagging
 * stuck jobs, say) would hold back the next change that is watched. At 250 ms, a tenth of the
 * bench's idle samples waited for it (p95 259 ms against 47).
 */
export const MIN_READ_INTERVAL_MS = 50;
const globalForChanges = globalThis as typeof globalThis & { jobdeckJobChangeHub?: Hub };

function hub(): Hub {
  globalForChanges.jobdeckJobChangeHub ??= {
    subscribers: new Set(),
    follower: null,
    pending: new Map(),
    flushTimer: null,
    isReading: false,
    lastReadAt: 0,
  };
  return globalForChanges.jobdeckJobChangeHub;
}

/** Calls `onChange` for every batch of job changes until the returned function is called. */
export async function subscribeToJobChanges(onChange: Subscriber): Promise<() => void> {
  const state = hub();
  state.subscribers.add(onChange);
  state.follower ??= follow(state);
  await state.follower.firstAttempt;
  return () => {
    state.subscribers.delete(onChange);
    if (state.subscribers.size === 0) stopFollowing(state);
  };
}

interface Notification {
  id: string;
  state: string;
}

function follow(state: Hub): ChannelFollower {
  let isFirstAttempt = true;
  const follower = followChannel(JOB_CHANGES_CHANNEL, {
    onNotification(payload) {
      let notification: Notification;
      try {
        notification = JSON.parse(payload) as Notification;
      } catch {
        return; // a payload we did not write
      }
      if (typeof notification.id !== "string") return;
      // A job is written as `submitting` first: that notification is its creation.
      state.pending.set(notification.id, state.pending.get(notification.id) === true || notification.state === "submitting");
      scheduleFlush(state);
    },
    onListening() {
      // Listening again after a gap: subscribers may have missed changes, so they read everything.
      if (!isFirstAttempt) broadcast(state, { type: "resync" });
    },
  });
  void follower.firstAttempt.then(() => (isFirstAttempt = false));
  return follower;
}

function scheduleFlush(state: Hub): void {
  if (state.flushTimer || state.isReading) return; // a read in progress flushes what arrived meanwhile
  const delay = Math.max(COALESCE_MS, state.lastReadAt + MIN_READ_INTERVAL_MS - Date.now());
  state.flushTimer = setTimeout(() => {
    state.flushTimer = null;
    void flush(state);
  }, delay);
  state.flushTimer.unref();
}

async function flush(state: Hub): Promise<void> {
  if (state.pending.size === 0 || state.subscribers.size === 0) {
    state.pending.clear();
    return;
  }
  const batch = new Map(state.pending);
  state.pending.clear();
  state.isReading = true;
  state.lastReadAt = Date.now();
  try {
    const jobs = await readSummaries([...batch.keys()]);
    const created = [...batch].filter(([, isCreated]) => isCreated).map(([id]) => id);
    if (jobs.length > 0) broadcast(state, { type: "jobs", jobs, created });
  } catch (error) {
    // Subscribers would otherwise miss these changes for good: they read everything again.
    logEvent("warn", "job_changes_read_failed", { error: (error as Error).message, jobs: batch.size });
    broadcast(state, { type: "resync" });
  } finally {
    state.isReading = false;
    if (state.pending.size > 0) scheduleFlush(state);
  }
}

/** The jobs' summaries as the list answers them, MAX_JOB_IDS per statement (the list's own limit). */
async function readSummaries(ids: string[]): Promise<JobSummary[]> {
  const jobs: JobSummary[] = [];
  for (let start = 0; start < ids.length; start += MAX_JOB_IDS) {
    const chunk = ids.slice(start, start + MAX_JOB_IDS);
    const page = await listJobsPage({ ids: chunk, sort: "created_desc", limit: chunk.length });
    jobs.push(...page.data);
  }
  return jobs;
}

function stopFollowing(state: Hub): void {
  state.follower?.stop();
  state.follower = null;
  if (state.flushTimer) clearTimeout(state.flushTimer);
  state.flushTimer = null;
  state.pending.clear();
}

function broadcast(state: Hub, change: JobChange): void {
  for (const subscriber of state.subscribers) subscriber(change);
}
