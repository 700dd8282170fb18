// Moves jobs through queued → running → stopped (or → cancelled) on timers scaled by speed. At speed
// 1 an import waits ~1 s in the queue and works 5–20 s; speed N divides every delay by N.
import type { SandboxClock } from "./clock";
import { describeError } from "./errors";
import type { JobRecord, JobSpec } from "./jobs";
import { buildResult } from "./outcomes";

const QUEUED_MS = 1000;
const IMPORT_BASE_MS = 3000;
const IMPORT_PER_FILE_MS = 2500;
const SLOW_FILE_FACTOR = 10;
const AGENT_MS = 9000;
const PUBLISH_MS = 7000;

/** How long a job works once it runs, on the sandbox clock. */
export function planProcessingMs(spec: JobSpec, speed: number): number {
  switch (spec.type) {
    case "import/project_media": {
      const filesMs = spec.media.reduce(
        (sum, item) => sum + IMPORT_PER_FILE_MS * (item.behaviour === "slow" ? SLOW_FILE_FACTOR : 1),
        0,
      );
      return (IMPORT_BASE_MS + filesMs) / speed;
    }
    case "agent":
      return AGENT_MS / speed;
    case "publish":
      return PUBLISH_MS / speed;
  }
}

export interface Lifecycle {
  start(job: JobRecord): void;
  /** Stops the job at once (#early); settles when its first callback attempt was answered. */
  finishNow(job: JobRecord): Promise<void>;
  receiveUpload(job: JobRecord, ref: string): void;
  cancel(job: JobRecord): void;
  /** Drops a job's timer without stopping it (retention removed it). */
  forget(job: JobRecord): void;
  stopAllTimers(): void;
  /** Stops every timer and turns any later scheduling into a no-op. */
  close(): void;
}

/** setTimeout fires at once (with a warning) beyond this; a longer wait is cut to it. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export function createLifecycle(options: {
  speed: number;
  clock: SandboxClock;
  /**
   * Called once when a job stops or is cancelled; settles when the first attempt of its callback
   * was answered (all #early waits for), while later copies and retries go on in the background.
   */
  onStop: (job: JobRecord) => Promise<void>;
  /** Where a failed timer step or onStop goes instead of crashing the process. */
  reportError: (line: string) => void;
}): Lifecycle {
  const { speed, clock, onStop, reportError } = options;
  const timers = new Map<string, NodeJS.Timeout>();
  let isClosed = false;

  const forget = (job: JobRecord) => {
    clearTimeout(timers.get(job.id));
    timers.delete(job.id);
  };

  const stopAllTimers = () => {
    for (const timer of timers.values()) clearTimeout(timer);
    timers.clear();
  };

  const schedule = (job: JobRecord, delayMs: number, step: () => void) => {
    forget(job);
    if (isClosed) return;
    const run = () => {
      timers.delete(job.id);
      // A throw inside a timer would otherwise be an uncaught exception and end the process.
      try {
        step();
      } catch (error) {
        reportError(`job ${job.id}: timer step failed: ${describeError(error)}`);
      }
    };
    timers.set(job.id, setTimeout(run, Math.min(delayMs, MAX_TIMER_MS)));
  };

  /** onStop, guarded: never throws, never rejects, and does nothing once closed. */
  const notifyStopped = async (job: JobRecord): Promise<void> => {
    if (isClosed) return;
    try {
      await onStop(job);
    } catch (error) {
      reportError(`job ${job.id}: handling its ${job.state} state failed: ${describeError(error)}`);
    }
  };

  const beginProcessing = (job: JobRecord) => {
    job.processingAt = clock.now();
    // A #stall job keeps running with frozen progress until someone cancels it.
    if (job.scenario.outcome === "stall") return;
    schedule(job, job.processingMs, () => void stop(job));
  };

  const enterRunning = (job: JobRecord) => {
    job.state = "running";
    job.runningAt = clock.now();
    // A direct-upload import waits, running, until its bytes arrive.
    if (job.pendingUploads.size === 0) beginProcessing(job);
  };

  const stop = (job: JobRecord): Promise<void> => {
    forget(job);
    const now = clock.now();
    job.state = "stopped";
    job.stoppedAt = now;
    job.result = buildResult(job, now);
    return notifyStopped(job);
  };

  return {
    start(job) {
      schedule(job, QUEUED_MS / speed, () => enterRunning(job));
    },
    finishNow: stop,
    receiveUpload(job, ref) {
      job.pendingUploads.delete(ref);
      const isWaiting = job.state === "running" && job.processingAt === undefined;
      if (isWaiting && job.pendingUploads.size === 0) beginProcessing(job);
    },
    cancel(job) {
      forget(job);
      job.state = "cancelled";
      job.stoppedAt = clock.now();
      void notifyStopped(job);
    },
    forget,
    stopAllTimers,
    close() {
      isClosed = true;
      stopAllTimers();
    },
  };
}
