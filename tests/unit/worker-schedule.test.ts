import { describe, expect, it } from "vitest";
import {
  farLongerSeconds,
  firstPollDelaySeconds,
  LONG_MAX_INTERVAL_SECONDS,
  MIN_POLL_INTERVAL_SECONDS,
  nextPollDelaySeconds,
  stuckScanIntervalMs,
  USUAL_MAX_INTERVAL_SECONDS,
} from "@/lib/worker/schedule";

/** The times (seconds after creation) at which a job that never ends is polled, up to `until`. */
function pollTimes(typicalSeconds: number, until: number): number[] {
  const times = [firstPollDelaySeconds(typicalSeconds)];
  while (times.at(-1)! < until) {
    const at = times.at(-1)!;
    times.push(at + nextPollDelaySeconds({ typicalSeconds, pollCount: times.length, ageSeconds: at }));
  }
  return times;
}

describe("the reconciler's poll schedule", () => {
  it("never polls a job faster than every 3 s, however short its type's usual duration", () => {
    for (const typical of [0, 0.05, 1, 6]) {
      const times = pollTimes(typical, 3_600);
      expect(times[0]).toBeGreaterThanOrEqual(MIN_POLL_INTERVAL_SECONDS);
      for (let index = 1; index < times.length; index++) expect(times[index]! - times[index - 1]!).toBeGreaterThanOrEqual(MIN_POLL_INTERVAL_SECONDS);
    }
  });

  it("looks first only after the usual duration, so jobs whose callbacks arrive cost no poll", () => {
    for (const typical of [5, 20, 60]) expect(firstPollDelaySeconds(typical)).toBeGreaterThan(typical);
  });

  it("finds a job that stopped without a callback within a minute, while it runs about as long as usual", () => {
    for (const typical of [5, 10, 20, 30]) {
      const times = pollTimes(typical, farLongerSeconds(typical));
      for (const stoppedAt of [1, typical, 3 * typical, farLongerSeconds(typical) - 1]) {
        const found = times.find((at) => at >= stoppedAt)!;
        expect(found - stoppedAt).toBeLessThanOrEqual(60);
      }
    }
  });

  it("grows the interval up to a few minutes for a job running far longer than usual", () => {
    const typical = 10;
    const long = pollTimes(typical, 4 * 3_600);
    const gaps = long.slice(1).map((at, index) => at - long[index]!);
    expect(Math.max(...gaps)).toBe(LONG_MAX_INTERVAL_SECONDS);
    expect(nextPollDelaySeconds({ typicalSeconds: typical, pollCount: 50, ageSeconds: 30 })).toBe(USUAL_MAX_INTERVAL_SECONDS);
    // In the first hour of a stalled 10-second job: a few dozen polls, not hundreds.
    expect(pollTimes(typical, 3_600).length).toBeLessThan(40);
  });

  it("looks for stuck jobs at a tenth of the stuck threshold, between once a second and every ten seconds", () => {
    // The default 15 minutes: every 10 s, not on each one-second tick.
    expect(stuckScanIntervalMs(15)).toBe(10_000);
    expect(stuckScanIntervalMs(1)).toBe(6_000);
    // The tests' 6-second threshold: still once a second, however short the threshold.
    expect(stuckScanIntervalMs(0.1)).toBe(1_000);
    expect(stuckScanIntervalMs(0.001)).toBe(1_000);
  });
});
