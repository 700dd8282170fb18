import "server-only";
// The background worker: every WORKER_INTERVAL_MS it schedules newly seen jobs, claims the due ones
// and settles them (lib/worker/reconciler.ts), flags stuck jobs, and starts the expiry sweep when
// one is due. Any number of workers (app instances, `npm run worker`) share one database: claims
// are leases taken with SKIP LOCKED, the budget is one row, the sweep one advisory lock.
import crypto from "node:crypto";
import os from "node:os";
import { getDb } from "@/lib/server/db";
import { getEnv } from "@/lib/server/env";
import { logEvent } from "@/lib/server/log";
import { reconcileJob } from "./reconciler";
import { claimDueJobs, findTypicalDurations, flagStuckJobs, releaseAllClaims, releaseJob, scheduleNewJobs, type ClaimedJob } from "./repository";
import { DEFAULT_TYPICAL_SECONDS, farLongerSeconds, firstPollDelaySeconds, stuckScanIntervalMs } from "./schedule";
import { runSweep } from "./sweep";

const LEASE_SECONDS = 60;
/**
 * How long a stopping worker lets its in-flight work finish before it gives the claims back: short
 * enough that, inside a web instance, Next still has time to close before the launcher's SIGKILL.
 */
const STOP_GRACE_MS = 5_000;
const TYPICAL_REFRESH_MS = 10_000;

export interface Worker {
  readonly id: string;
  /** Stops claiming, lets in-flight work finish (up to a grace period), releases what is left. */
  stop(): Promise<{ finished: number; released: number }>;
}

const globalForWorker = globalThis as typeof globalThis & { jobdeckWorker?: Worker };

/** Starts this process's worker (once; later calls return the same one). */
export function startWorker(): Worker {
  globalForWorker.jobdeckWorker ??= createWorker();
  return globalForWorker.jobdeckWorker;
}

function createWorker(): Worker {
  const env = getEnv();
  const id = `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString("hex")}`;
  const inFlight = new Map<string, Promise<void>>();
  let finished = 0;
  let isStopping = false;
  let stopping: Promise<{ finished: number; released: number }> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let sweeping: Promise<unknown> | null = null;
  let typical: { at: number; seconds: Record<string, number> } = { at: 0, seconds: {} };
  let stuckScannedAt = 0;

  const typicalSeconds = (type: string) => typical.seconds[type] ?? DEFAULT_TYPICAL_SECONDS;

  async function refreshTypical(): Promise<void> {
    if (Date.now() - typical.at < TYPICAL_REFRESH_MS) return;
    typical = { at: Date.now(), seconds: await findTypicalDurations() };
  }

  async function settle(job: ClaimedJob): Promise<void> {
    let outcome = { polled: false, delaySeconds: 0 };
    try {
      outcome = await reconcileJob(job, { typicalSeconds, submitGraceSeconds: env.worker.submitGraceSeconds });
    } catch (error) {
      logEvent("error", "reconcile_failed", { jobId: job.id, error: (error as Error).message });
      outcome = { polled: true, delaySeconds: 30 };
    }
    await releaseJob({ jobId: job.id, workerId: id, ...outcome });
    finished += 1;
  }

  async function tick(): Promise<void> {
    await refreshTypical();
    const types = new Set([...Object.keys(typical.seconds)]);
    await scheduleNewJobs({
      firstDelays: Object.fromEntries([...types].map((type) => [type, firstPollDelaySeconds(typicalSeconds(type))])),
      fallbackDelay: firstPollDelaySeconds(DEFAULT_TYPICAL_SECONDS),
      submittingDelay: Math.min(10, env.worker.submitGraceSeconds),
    });
    // About one second's worth of the budget per tick: claims beyond it would only wait in line.
    const room = Math.max(1, Math.ceil(env.upstreamRatePerSec)) - inFlight.size;
    if (room > 0 && !isStopping) {
      const claimed = await claimDueJobs({ workerId: id, limit: room, leaseSeconds: LEASE_SECONDS });
      for (const job of claimed) {
        const work = settle(job)
          .catch((error: unknown) => logEvent("error", "worker_release_failed", { jobId: job.id, error: (error as Error).message }))
          .finally(() => inFlight.delete(job.id));
        inFlight.set(job.id, work);
      }
    }
    if (Date.now() - stuckScannedAt >= stuckScanIntervalMs(env.worker.stuckAfterMinutes)) {
      stuckScannedAt = Date.now();
      await flagStuckJobs({
        stuckAfterMinutes: env.worker.stuckAfterMinutes,
        farLonger: Object.fromEntries([...types].map((type) => [type, farLongerSeconds(typicalSeconds(type))])),
      });
    }
    if (!sweeping && !isStopping && (await isSweepDue(env.worker.sweepIntervalMinutes))) {
      sweeping = runSweep({ shouldStop: () => isStopping })
        .catch((error: unknown) => logEvent("error", "sweep_failed", { error: (error as Error).message }))
        .finally(() => (sweeping = null));
    }
  }

  function scheduleTick(): void {
    if (isStopping) return;
    timer = setTimeout(() => {
      tick()
        .catch((error: unknown) => logEvent("error", "worker_tick_failed", { workerId: id, error: (error as Error).message }))
        .finally(scheduleTick);
    }, env.worker.intervalMs);
    timer.unref();
  }

  scheduleTick();
  logEvent("info", "worker_started", { workerId: id, intervalMs: env.worker.intervalMs, upstreamRatePerSec: env.upstreamRatePerSec });

  return {
    id,
    // Once: a second call (a second signal) waits for the stop under way rather than starting another.
    stop() {
      stopping ??= (async () => {
        isStopping = true;
        if (timer) clearTimeout(timer);
        const holding = inFlight.size;
        let graceTimer: NodeJS.Timeout | undefined;
        const graceOver = new Promise<void>((resolve) => (graceTimer = setTimeout(resolve, STOP_GRACE_MS)));
        await Promise.race([Promise.allSettled([...inFlight.values(), ...(sweeping ? [sweeping] : [])]), graceOver]);
        clearTimeout(graceTimer);
        const released = await releaseAllClaims(id);
        logEvent("info", "worker_stopped", { workerId: id, inFlightAtStop: holding, finished, released });
        return { finished, released };
      })();
      return stopping;
    },
  };
}

async function isSweepDue(intervalMinutes: number): Promise<boolean> {
  const [row] = await getDb().$queryRaw<Array<{ due: boolean }>>`
    SELECT coalesce(max(started_at) < now() - make_interval(secs => ${intervalMinutes * 60}::float8), true) AS due FROM sweep_runs`;
  return row?.due ?? true;
}

/** When the next sweep is due, as the status strip shows it. */
export async function findSweepTimes(intervalMinutes: number): Promise<{ lastAt: string | null; nextAt: string }> {
  const [row] = await getDb().$queryRaw<Array<{ last_at: Date | null; next_at: Date }>>`
    SELECT max(started_at) AS last_at,
           coalesce(max(started_at) + make_interval(secs => ${intervalMinutes * 60}::float8), now()) AS next_at
    FROM sweep_runs`;
  return { lastAt: row?.last_at?.toISOString() ?? null, nextAt: (row?.next_at ?? new Date()).toISOString() };
}
