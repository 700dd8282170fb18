// The sandbox clock: real time plus an offset that only the control API moves forward, so tests can
// age jobs past the 30-day retention without waiting. It never runs backwards (even if the host
// clock does), which keeps created_at order identical to creation order.
export interface SandboxClock {
  now(): number;
  advance(seconds: number): void;
  reset(): void;
}

export function createClock(readHostTime: () => number = Date.now): SandboxClock {
  let offsetMs = 0;
  let lastReading = 0;
  return {
    now() {
      lastReading = Math.max(lastReading, readHostTime() + offsetMs);
      return lastReading;
    },
    advance(seconds) {
      offsetMs += seconds * 1000;
    },
    reset() {
      offsetMs = 0;
      lastReading = 0;
    },
  };
}

export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}
