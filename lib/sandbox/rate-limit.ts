// A fixed-window request budget per token, reported on every authenticated response through
// X-RateLimit-Remaining / X-RateLimit-Consumed as Descript does.
import type { SandboxClock } from "./clock";

export interface RateLimitSettings {
  limit: number;
  windowSeconds: number;
}

export interface RateLimitDecision {
  isAllowed: boolean;
  remaining: number;
  consumed: number;
  /** Whole seconds until the current window ends (at least 1). */
  retryAfterSeconds: number;
}

export interface RateLimiter {
  consume(key: string): RateLimitDecision;
  /** New settings start every key on a fresh window. */
  configure(settings: RateLimitSettings): void;
  /** Back to the settings the sandbox was created with, all windows forgotten. */
  reset(): void;
}

export function createRateLimiter(initial: RateLimitSettings, clock: SandboxClock): RateLimiter {
  let settings = initial;
  const windows = new Map<string, { startedAt: number; consumed: number }>();

  return {
    consume(key) {
      const now = clock.now();
      const windowMs = settings.windowSeconds * 1000;
      let window = windows.get(key);
      if (!window || now >= window.startedAt + windowMs) {
        window = { startedAt: now, consumed: 0 };
        windows.set(key, window);
      }
      const retryAfterSeconds = Math.max(1, Math.ceil((window.startedAt + windowMs - now) / 1000));
      // A refused request does not count: the window's budget is already spent.
      const isAllowed = window.consumed < settings.limit;
      if (isAllowed) window.consumed += 1;
      return { isAllowed, remaining: settings.limit - window.consumed, consumed: window.consumed, retryAfterSeconds };
    },
    configure(next) {
      settings = next;
      windows.clear();
    },
    reset() {
      settings = initial;
      windows.clear();
    },
  };
}
