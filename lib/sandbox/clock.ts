// The sandbox clock: real time plus an offset that only the control API moves forward, so tests can
// age jobs past the 30-day retention without waiting. Between resets it never runs backwards (even
// if the host clock does), which keeps created_at order identical to creation order. A reset
// (POST /v1/_sandbox/reset) is the one exception: it zeroes the offset and may move the clock back,
// which is safe because the same reset forgets every job.
export interface SandboxClock {
  now(): number;
  /** Moves the clock forward; throws a RangeError past MAX_CLOCK_OFFSET_SECONDS in total. */
  advance(seconds: number): void;
  /** How far ahead of the host clock advance() has moved it, in seconds. */
  offsetSeconds(): number;
  reset(): void;
}

/**
 * Ten years ahead at most, in total: far enough for every retention and window test, and far from
 * the end of what a JavaScript Date can represent (an ISO string of a later time throws).
 */
export const MAX_CLOCK_OFFSET_SECONDS = 10 * 365 * 24 * 60 * 60;

export function createClock(readHostTime: () => number = Date.now): SandboxClock {
  let offsetMs = 0;
  let lastReading = 0;
  return {
    now() {
      lastReading = Math.max(lastReading, readHostTime() + offsetMs);
      return lastReading;
    },
    advance(seconds) {
      if (!(seconds >= 0) || offsetMs / 1000 + seconds > MAX_CLOCK_OFFSET_SECONDS) {
        throw new RangeError(`cannot advance the sandbox clock by ${seconds} s`);
      }
      offsetMs += seconds * 1000;
    },
    offsetSeconds: () => offsetMs / 1000,
    reset() {
      offsetMs = 0;
      lastReading = 0;
    },
  };
}

export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}
