// Delivers job callbacks like Descript: POST the job JSON, no auth header, retried on failure, and
// records the attempts for the control API (GET /v1/_sandbox/callbacks).
import { toIso, type SandboxClock } from "./clock";
import { describeError } from "./errors";
import type { CallbackPlan } from "./scenarios";

export const MAX_ATTEMPTS = 5;
const FIRST_RETRY_MS = 1000;
/** Real time a receiver gets to answer one attempt; not scaled, it is the network's time. */
const ATTEMPT_TIMEOUT_MS = 10_000;
/** The attempt record keeps the newest ones only, so a long dev session does not grow without end. */
export const MAX_RECORDED_ATTEMPTS = 10_000;
/** setTimeout fires at once (with a warning) beyond this; longer waits are cut to it. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Exponential backoff before attempt `attempt + 1`: 1 s, 2 s, 4 s, 8 s at speed 1. */
export function retryDelayMs(attempt: number, speed: number): number {
  return (FIRST_RETRY_MS * 2 ** (attempt - 1)) / speed;
}

export interface DeliveryAttempt {
  job_id: string;
  url: string;
  /** Which copy of a #dup=N callback this attempt belongs to, from 1. */
  copy: number;
  attempt: number;
  attempted_at: string;
  status?: number;
  error?: string;
  body: unknown;
}

export interface CallbackDelivery {
  jobId: string;
  url: string;
  body: string;
  plan: CallbackPlan;
}

export interface DeliveryProgress {
  /**
   * Settles once the first attempt of the first copy was answered or failed (what #early waits
   * for), or at once when no attempt follows without a wait: #drop, #delay, a closed dispatcher.
   */
  firstAttempted: Promise<void>;
  /** Settles once every copy was delivered or gave up, or the delivery was abandoned; never rejects. */
  settled: Promise<void>;
}

export interface CallbackDispatcher {
  deliver(delivery: CallbackDelivery): DeliveryProgress;
  listAttempts(jobId?: string): DeliveryAttempt[];
  /** Forgets the recorded attempts of these jobs (retention removed them). */
  forgetJobs(jobIds: ReadonlySet<string>): void;
  /** Forgets recorded attempts and abandons pending deliveries and retries. */
  reset(): void;
  /** Abandons pending deliveries and turns later ones into no-ops; settles once the abandoned ones ended. */
  close(): Promise<void>;
}

/** The newest `capacity` attempts, oldest first. */
export function createAttemptLog(capacity = MAX_RECORDED_ATTEMPTS) {
  let attempts: DeliveryAttempt[] = [];
  return {
    record(attempt: DeliveryAttempt) {
      attempts.push(attempt);
      if (attempts.length > capacity) attempts.splice(0, attempts.length - capacity);
    },
    list(jobId?: string): DeliveryAttempt[] {
      return attempts.filter((attempt) => jobId === undefined || attempt.job_id === jobId);
    },
    forgetJobs(jobIds: ReadonlySet<string>) {
      attempts = attempts.filter((attempt) => !jobIds.has(attempt.job_id));
    },
    clear() {
      attempts = [];
    },
  };
}

export function createCallbackDispatcher(options: {
  speed: number;
  clock: SandboxClock;
  log: (line: string) => void;
  logError: (line: string) => void;
}): CallbackDispatcher {
  const { speed, clock, log, logError } = options;
  const attemptLog = createAttemptLog();
  // One controller per delivery rather than one shared signal: fetch and timers add abort
  // listeners to the signal they are given, and on a long-lived signal those pile up (Node's
  // MaxListenersExceededWarning, and entries AbortSignal.any never releases).
  const pending = new Map<AbortController, Promise<void>>();
  let isClosed = false;

  const runDelivery = async (delivery: CallbackDelivery, signal: AbortSignal, markAttempted: () => void) => {
    // Parsed once: every attempt records the same body, as every attempt sends the same bytes.
    const body = JSON.parse(delivery.body) as unknown;
    if (delivery.plan.delayMs > 0 && !(await pause(delivery.plan.delayMs, signal))) return;
    for (let copy = 1; copy <= delivery.plan.copies; copy += 1) {
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
        const attemptedAt = clock.now();
        const outcome = await attemptOnce(delivery, signal);
        if (signal.aborted) return;
        attemptLog.record({ job_id: delivery.jobId, url: delivery.url, copy, attempt, attempted_at: toIso(attemptedAt), ...outcome, body });
        log(`callback ${delivery.jobId} copy ${copy} attempt ${attempt}: ${outcome.status ?? outcome.error}`);
        markAttempted();
        if (outcome.status !== undefined && outcome.status >= 200 && outcome.status < 300) break;
        if (attempt < MAX_ATTEMPTS && !(await pause(retryDelayMs(attempt, speed), signal))) return;
      }
    }
  };

  return {
    deliver(delivery) {
      if (isClosed || delivery.plan.copies === 0) {
        if (!isClosed) log(`callback ${delivery.jobId} dropped (#drop)`);
        return { firstAttempted: Promise.resolve(), settled: Promise.resolve() };
      }
      const controller = new AbortController();
      let markAttempted = () => {};
      const firstAttempted = new Promise<void>((resolve) => (markAttempted = resolve));
      // A delayed callback is nothing anyone should wait for.
      if (delivery.plan.delayMs > 0) markAttempted();
      const settled = runDelivery(delivery, controller.signal, markAttempted)
        .catch((error: unknown) => logError(`callback ${delivery.jobId} ended unexpectedly: ${describeError(error)}`))
        .finally(() => {
          pending.delete(controller);
          markAttempted();
        });
      pending.set(controller, settled);
      return { firstAttempted, settled };
    },
    listAttempts: (jobId) => attemptLog.list(jobId),
    forgetJobs: (jobIds) => attemptLog.forgetJobs(jobIds),
    reset() {
      for (const controller of pending.keys()) controller.abort();
      attemptLog.clear();
    },
    async close() {
      isClosed = true;
      const abandoned = [...pending.values()];
      for (const controller of pending.keys()) controller.abort();
      await Promise.all(abandoned);
    },
  };
}

/** One POST with its own controller: aborted by the delivery's signal or after ATTEMPT_TIMEOUT_MS. */
async function attemptOnce(delivery: CallbackDelivery, signal: AbortSignal): Promise<{ status?: number; error?: string }> {
  const attempt = new AbortController();
  const abortAttempt = () => attempt.abort();
  signal.addEventListener("abort", abortAttempt, { once: true });
  const timeout = setTimeout(() => attempt.abort(new Error(`no answer within ${ATTEMPT_TIMEOUT_MS} ms`)), ATTEMPT_TIMEOUT_MS);
  try {
    const response = await fetch(delivery.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: delivery.body,
      redirect: "manual",
      signal: attempt.signal,
    });
    await response.arrayBuffer().catch(() => undefined);
    return { status: response.status };
  } catch (error) {
    return { error: describeNetworkError(error) };
  } finally {
    clearTimeout(timeout);
    signal.removeEventListener("abort", abortAttempt);
  }
}

/** Waits `ms` (at most MAX_TIMER_MS); answers false, at once, if `signal` aborts first. */
function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(true);
    }, Math.min(ms, MAX_TIMER_MS));
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${error.message}${cause}`;
}
