import { describe, expect, it } from "vitest";
import { MAX_ATTEMPTS, retryDelayMs } from "@/lib/sandbox/callbacks";
import { createClock, MAX_CLOCK_OFFSET_SECONDS } from "@/lib/sandbox/clock";
import { createFaultQueue } from "@/lib/sandbox/faults";
import { planProcessingMs } from "@/lib/sandbox/lifecycle";
import { createRateLimiter } from "@/lib/sandbox/rate-limit";

function manualClock(start = 1_000_000) {
  let hostTime = start;
  return { clock: createClock(() => hostTime), tick: (ms: number) => (hostTime += ms), setHostTime: (ms: number) => (hostTime = ms) };
}

describe("the sandbox clock", () => {
  it("moves forward by advance() and back to host time on reset()", () => {
    const { clock } = manualClock();
    clock.advance(60);
    expect(clock.now()).toBe(1_060_000);
    clock.reset();
    expect(clock.now()).toBe(1_000_000);
  });

  it("moves at most ten years ahead in total, so every reading still prints as ISO 8601", () => {
    const { clock } = manualClock();
    expect(MAX_CLOCK_OFFSET_SECONDS).toBe(3650 * 24 * 60 * 60);
    clock.advance(MAX_CLOCK_OFFSET_SECONDS - 1);
    expect(() => clock.advance(2)).toThrow(RangeError);
    clock.advance(1);
    expect(clock.offsetSeconds()).toBe(MAX_CLOCK_OFFSET_SECONDS);
    expect(() => new Date(clock.now()).toISOString()).not.toThrow();
  });

  it("never runs backwards when the host clock does", () => {
    const { clock, setHostTime } = manualClock();
    expect(clock.now()).toBe(1_000_000);
    setHostTime(999_000);
    expect(clock.now()).toBe(1_000_000);
  });
});

describe("callback retry backoff", () => {
  it("doubles from one second and divides by speed", () => {
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, 1))).toEqual([1000, 2000, 4000, 8000]);
    expect(retryDelayMs(2, 1000)).toBe(2);
    expect(MAX_ATTEMPTS).toBe(5);
  });
});

describe("planned work", () => {
  it("takes 5–20 s for a typical import at speed 1, ten times longer per slow file, and scales with speed", () => {
    const file = (behaviour: "normal" | "slow") => ({ ref: "a.mp4", source: "url" as const, behaviour });
    const oneFile = planProcessingMs({ type: "import/project_media", media: [file("normal")], compositionNames: [] }, 1);
    expect(1000 + oneFile).toBeGreaterThanOrEqual(5000);
    const sixFiles = planProcessingMs({ type: "import/project_media", media: Array(6).fill(file("normal")), compositionNames: [] }, 1);
    expect(1000 + sixFiles).toBeLessThanOrEqual(20_000);
    const slow = planProcessingMs({ type: "import/project_media", media: [file("slow")], compositionNames: [] }, 1);
    expect(slow - 3000).toBe(10 * (oneFile - 3000));
    expect(planProcessingMs({ type: "publish", compositionId: "c", mediaType: "Video" }, 1000)).toBe(7);
  });
});

describe("the rate limiter", () => {
  it("counts a fixed window per key and refuses past the limit until the window ends", () => {
    const { clock, tick } = manualClock();
    const limiter = createRateLimiter({ limit: 2, windowSeconds: 10 }, clock);
    expect(limiter.consume("a")).toMatchObject({ isAllowed: true, remaining: 1, consumed: 1 });
    expect(limiter.consume("b")).toMatchObject({ isAllowed: true, remaining: 1, consumed: 1 });
    expect(limiter.consume("a")).toMatchObject({ isAllowed: true, remaining: 0, consumed: 2 });
    tick(2_500);
    expect(limiter.consume("a")).toEqual({ isAllowed: false, remaining: 0, consumed: 2, retryAfterSeconds: 8 });
    tick(7_500);
    expect(limiter.consume("a")).toMatchObject({ isAllowed: true, remaining: 1, consumed: 1 });
  });

  it("starts fresh on configure and returns to its first settings on reset", () => {
    const { clock } = manualClock();
    const limiter = createRateLimiter({ limit: 3, windowSeconds: 10 }, clock);
    limiter.consume("a");
    limiter.configure({ limit: 1, windowSeconds: 10 });
    expect(limiter.consume("a")).toMatchObject({ isAllowed: true, remaining: 0 });
    limiter.reset();
    expect(limiter.consume("a")).toMatchObject({ remaining: 2, consumed: 1 });
  });
});

describe("the fault queue", () => {
  it("hands out faults in the order they were added, each as many times as asked", () => {
    const faults = createFaultQueue();
    faults.add({ status: 503 }, 2);
    faults.add({ status: 429, retryAfterSeconds: 3 }, 1);
    expect(faults.pendingCount()).toBe(3);
    expect([faults.take(), faults.take(), faults.take(), faults.take()]).toEqual([
      { status: 503 },
      { status: 503 },
      { status: 429, retryAfterSeconds: 3 },
      undefined,
    ]);
  });
});
