// When the reconciler looks at a job again. Pure, so the economy can be reasoned about and tested:
// while callbacks arrive normally a job is finished before its first poll, and a job whose callback
// was lost is still found out within about a minute of stopping.

/** Never faster than this per job, whoever asks (the worker, a viewer, a cancel read-back). */
export const MIN_POLL_INTERVAL_SECONDS = 3;
/** The usual duration of a type before Jobdeck has seen enough of them finish. */
export const DEFAULT_TYPICAL_SECONDS = 30;
/** Longest wait between polls while a job runs about as long as usual: a lost callback shows within this. */
export const USUAL_MAX_INTERVAL_SECONDS = 45;
/** Longest wait between polls of a job running far longer than usual ("a few minutes"). */
export const LONG_MAX_INTERVAL_SECONDS = 300;
/** A job running this many times its type's usual duration counts as far longer than usual. */
export const FAR_LONGER_FACTOR = 10;
/** …but never before it ran this long. */
export const FAR_LONGER_MIN_SECONDS = 120;

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

/**
 * First look after a little more than the type's usual duration (its 90th percentile): most
 * jobs' callbacks come first, so they cost no poll at all.
 */
export function firstPollDelaySeconds(typicalSeconds: number): number {
  return Math.max(MIN_POLL_INTERVAL_SECONDS, 1.5 * typicalSeconds + 2);
}

/** After the `pollCount`-th poll of a job that is still active: growing by half each time. */
export function nextPollDelaySeconds({ typicalSeconds, pollCount, ageSeconds }: { typicalSeconds: number; pollCount: number; ageSeconds: number }): number {
  const ceiling = ageSeconds > farLongerSeconds(typicalSeconds) ? LONG_MAX_INTERVAL_SECONDS : USUAL_MAX_INTERVAL_SECONDS;
  const base = Math.max(MIN_POLL_INTERVAL_SECONDS, typicalSeconds / 2);
  return clamp(base * 1.5 ** Math.max(0, pollCount - 1), MIN_POLL_INTERVAL_SECONDS, ceiling);
}

/** How long a job of this type may run before it is "far longer than usual". */
export function farLongerSeconds(typicalSeconds: number): number {
  return Math.max(FAR_LONGER_MIN_SECONDS, FAR_LONGER_FACTOR * typicalSeconds);
}

/**
 * How often the worker looks for stuck jobs, and for flags to clear: a tenth of the time without
 * progress that makes a job stuck, between one and ten seconds. The look walks every active job,
 * so every tick (each second) was too often with thousands of them; a flag in minutes needs no
 * second's precision, and a flag outlives the job's progress by this at most.
 */
export function stuckScanIntervalMs(stuckAfterMinutes: number): number {
  return clamp((stuckAfterMinutes * 60_000) / 10, 1_000, 10_000);
}

/** A job stuck in submitting: looked at again on a growing interval, up to a minute. */
export function submittingRecheckSeconds(checks: number): number {
  return clamp(5 * 2 ** Math.max(0, checks - 1), MIN_POLL_INTERVAL_SECONDS, 60);
}
