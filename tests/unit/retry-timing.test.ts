import { afterEach, describe, expect, test, vi } from "vitest";
import { backoffMs, parseRetryAfter } from "@/lib/descript/client";
import { MAX_RELAY_ATTEMPTS, relayRetryDelaySeconds } from "@/lib/jobs/relay";

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

// The largest value Math.random can return.
const ALMOST_ONE = 1 - Number.EPSILON / 2;

describe("backoffMs", () => {
  // Ceilings before jitter with the defaults (0.5 s doubling, capped at 30 s).
  const CEILINGS = [
    { attempt: 1, ceiling: 500 },
    { attempt: 2, ceiling: 1_000 },
    { attempt: 3, ceiling: 2_000 },
    { attempt: 4, ceiling: 4_000 },
    { attempt: 5, ceiling: 8_000 },
    { attempt: 6, ceiling: 16_000 },
    { attempt: 7, ceiling: 30_000 },
    { attempt: 8, ceiling: 30_000 },
    { attempt: 20, ceiling: 30_000 },
  ];

  test.each(CEILINGS)("attempt $attempt waits at least half of $ceiling ms", ({ attempt, ceiling }) => {
    vi.spyOn(Math, "random").mockReturnValue(0);
    expect(backoffMs(attempt)).toBe(ceiling / 2);
  });

  test.each(CEILINGS)("attempt $attempt waits at most $ceiling ms", ({ attempt, ceiling }) => {
    vi.spyOn(Math, "random").mockReturnValue(ALMOST_ONE);
    expect(backoffMs(attempt)).toBe(ceiling);
  });

  test.each(CEILINGS)("attempt $attempt with mid-range jitter waits three quarters of $ceiling ms", ({ attempt, ceiling }) => {
    vi.spyOn(Math, "random").mockReturnValue(0.5);
    expect(backoffMs(attempt)).toBe((ceiling * 3) / 4);
  });

  test("real jitter stays within each attempt's bounds and returns whole milliseconds", () => {
    for (const { attempt, ceiling } of CEILINGS) {
      for (let sample = 0; sample < 200; sample++) {
        const wait = backoffMs(attempt);
        expect(Number.isInteger(wait)).toBe(true);
        expect(wait).toBeGreaterThanOrEqual(ceiling / 2);
        expect(wait).toBeLessThanOrEqual(ceiling);
      }
    }
  });

  test("a custom base and cap are honoured", () => {
    vi.spyOn(Math, "random").mockReturnValue(ALMOST_ONE);
    expect(backoffMs(1, 100, 1_000)).toBe(100);
    expect(backoffMs(3, 100, 1_000)).toBe(400);
    expect(backoffMs(5, 100, 1_000)).toBe(1_000);
    expect(backoffMs(50, 100, 1_000)).toBe(1_000);
  });

  test("the wait never exceeds the cap however many attempts have failed", () => {
    vi.spyOn(Math, "random").mockReturnValue(ALMOST_ONE);
    for (let attempt = 1; attempt <= 1_100; attempt += 37) expect(backoffMs(attempt)).toBeLessThanOrEqual(30_000);
  });
});

describe("parseRetryAfter", () => {
  const NOW = new Date("2025-04-01T12:00:00.000Z");

  function freezeClock(at: Date = NOW): void {
    vi.useFakeTimers({ now: at, toFake: ["Date"] });
  }

  test("no header gives null", () => {
    expect(parseRetryAfter(null)).toBeNull();
  });

  test.each([
    { value: "0", seconds: 0 },
    { value: "1", seconds: 1 },
    { value: "120", seconds: 120 },
    { value: "86400", seconds: 86_400 },
  ])("a delay of $value seconds gives $seconds", ({ value, seconds }) => {
    expect(parseRetryAfter(value)).toBe(seconds);
  });

  test("an HTTP date 90 seconds ahead gives 90", () => {
    freezeClock();
    expect(parseRetryAfter(new Date(NOW.getTime() + 90_000).toUTCString())).toBe(90);
    expect(parseRetryAfter("Tue, 01 Apr 2025 12:01:30 GMT")).toBe(90);
  });

  test("an HTTP date a fraction of a second ahead rounds up to whole seconds", () => {
    freezeClock(new Date(NOW.getTime() - 200));
    // The header has whole seconds: 12:00:02 is 2.2 s after the frozen clock.
    expect(parseRetryAfter("Tue, 01 Apr 2025 12:00:02 GMT")).toBe(3);
  });

  test("an HTTP date in the past gives 0, never a negative wait", () => {
    freezeClock();
    expect(parseRetryAfter("Tue, 01 Apr 2025 11:59:00 GMT")).toBe(0);
    expect(parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).toBe(0);
  });

  test("an HTTP date exactly now gives 0", () => {
    freezeClock();
    expect(parseRetryAfter(NOW.toUTCString())).toBe(0);
  });

  test.each(["soon", "five", "5s", "in 5 seconds", "NaN", "Infinity"])("the garbage value %j gives null", (value) => {
    freezeClock();
    expect(parseRetryAfter(value)).toBeNull();
  });

  // Each of these is neither delay-seconds (digits only) nor an HTTP date, yet would make a client
  // retry at once instead of backing off if it were read as 0.
  test.each(["", " ", "-1", "-30s", "Retry in 3", "1,5"])("the malformed value %j gives null, not 0", (value) => {
    freezeClock();
    expect(parseRetryAfter(value)).toBeNull();
  });
});

describe("relayRetryDelaySeconds", () => {
  test.each([
    { attempts: 1, seconds: 1 },
    { attempts: 2, seconds: 2 },
    { attempts: 3, seconds: 4 },
    { attempts: 4, seconds: 8 },
    { attempts: 8, seconds: 128 },
    { attempts: 10, seconds: 512 },
    { attempts: 11, seconds: 600 },
    { attempts: 30, seconds: 600 },
  ])("after attempt $attempts the next try is in $seconds s", ({ attempts, seconds }) => {
    expect(relayRetryDelaySeconds(attempts)).toBe(seconds);
  });

  test("the delay doubles until it reaches the ten-minute cap and never exceeds it", () => {
    let previous = 0;
    for (let attempts = 1; attempts <= 40; attempts++) {
      const delay = relayRetryDelaySeconds(attempts);
      expect(delay).toBeLessThanOrEqual(600);
      expect(delay).toBeGreaterThanOrEqual(previous);
      if (previous > 0 && previous < 300) expect(delay).toBe(previous * 2);
      previous = delay;
    }
  });

  test("every attempt before a relay is abandoned waits a whole number of seconds under the cap", () => {
    for (let attempts = 1; attempts <= MAX_RELAY_ATTEMPTS; attempts++) {
      const delay = relayRetryDelaySeconds(attempts);
      expect(Number.isInteger(delay)).toBe(true);
      expect(delay).toBeGreaterThanOrEqual(1);
      expect(delay).toBeLessThanOrEqual(600);
    }
  });
});
