// Injected failures: the next N API requests answer a chosen status instead of being served.
export type FaultStatus = 500 | 502 | 503 | 429 | 401;

export interface Fault {
  status: FaultStatus;
  retryAfterSeconds?: number;
  /**
   * Answer with a body that echoes the request (its Authorization header and body), as a
   * misbehaving upstream or a proxy in front of it might: lets tests prove no secret passes through.
   */
  echoRequest?: boolean;
}

export interface FaultQueue {
  add(fault: Fault, count: number): void;
  /** The fault the next request must answer with, if any is pending. */
  take(): Fault | undefined;
  pendingCount(): number;
  clear(): void;
}

export function createFaultQueue(): FaultQueue {
  // Kept in order, so a test can queue "two 503s, then one 429".
  let pending: { fault: Fault; remaining: number }[] = [];
  return {
    add(fault, count) {
      pending.push({ fault, remaining: count });
    },
    take() {
      const next = pending[0];
      if (!next) return undefined;
      next.remaining -= 1;
      if (next.remaining <= 0) pending.shift();
      return next.fault;
    },
    pendingCount() {
      return pending.reduce((sum, entry) => sum + entry.remaining, 0);
    },
    clear() {
      pending = [];
    },
  };
}
