// Delivers job callbacks like Descript: POST the job JSON, no auth header, retried on failure, and
// records every attempt for the control API (GET /v1/_sandbox/callbacks).
import { setTimeout as sleep } from "node:timers/promises";
import { toIso, type SandboxClock } from "./clock";
import type { CallbackPlan } from "./scenarios";

export const MAX_ATTEMPTS = 5;
const FIRST_RETRY_MS = 1000;
/** Real time a receiver gets to answer one attempt; not scaled, it is the network's time. */
const ATTEMPT_TIMEOUT_MS = 10_000;

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

export interface CallbackDispatcher {
  /** Settles once every copy was delivered or gave up; never rejects. */
  deliver(delivery: CallbackDelivery): Promise<void>;
  listAttempts(jobId?: string): DeliveryAttempt[];
  /** Forgets recorded attempts and abandons pending deliveries and retries. */
  reset(): void;
}

export function createCallbackDispatcher(options: {
  speed: number;
  clock: SandboxClock;
  log: (line: string) => void;
}): CallbackDispatcher {
  const { speed, clock, log } = options;
  let attempts: DeliveryAttempt[] = [];
  let lifetime = new AbortController();

  const attemptOnce = async (delivery: CallbackDelivery, signal: AbortSignal): Promise<{ status?: number; error?: string }> => {
    try {
      const response = await fetch(delivery.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: delivery.body,
        redirect: "manual",
        signal: AbortSignal.any([signal, AbortSignal.timeout(ATTEMPT_TIMEOUT_MS)]),
      });
      await response.arrayBuffer().catch(() => undefined);
      return { status: response.status };
    } catch (error) {
      return { error: describeNetworkError(error) };
    }
  };

  const deliverCopy = async (delivery: CallbackDelivery, copy: number, signal: AbortSignal) => {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      const attemptedAt = clock.now();
      const outcome = await attemptOnce(delivery, signal);
      if (signal.aborted) return;
      attempts.push({
        job_id: delivery.jobId,
        url: delivery.url,
        copy,
        attempt,
        attempted_at: toIso(attemptedAt),
        ...outcome,
        body: JSON.parse(delivery.body) as unknown,
      });
      log(`callback ${delivery.jobId} copy ${copy} attempt ${attempt}: ${outcome.status ?? outcome.error}`);
      if (outcome.status !== undefined && outcome.status >= 200 && outcome.status < 300) return;
      if (attempt < MAX_ATTEMPTS) await sleep(retryDelayMs(attempt, speed), undefined, { signal });
    }
  };

  return {
    async deliver(delivery) {
      const { signal } = lifetime;
      try {
        if (delivery.plan.delayMs > 0) await sleep(delivery.plan.delayMs, undefined, { signal });
        for (let copy = 1; copy <= delivery.plan.copies; copy += 1) await deliverCopy(delivery, copy, signal);
      } catch (error) {
        // Only a reset or close aborts the sleeps; the abandoned delivery simply ends.
        if (!signal.aborted) log(`callback ${delivery.jobId} ended unexpectedly: ${String(error)}`);
      }
    },
    listAttempts(jobId) {
      return attempts.filter((attempt) => jobId === undefined || attempt.job_id === jobId);
    },
    reset() {
      lifetime.abort();
      lifetime = new AbortController();
      attempts = [];
    },
  };
}

function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${error.message}${cause}`;
}
