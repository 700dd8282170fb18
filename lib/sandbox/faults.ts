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
  /** The request is served (a create creates its job), then its answer is lost: the status comes back instead. */
  afterWork?: boolean;
  /** Only requests with this method, and whose path starts with this, meet the fault (others pass it by). */
  method?: string;
  pathPrefix?: string;
}

export interface FaultTarget {
  method: string;
  /** Under /v1, e.g. `/jobs/abc`. */
  path: string;
}

export interface FaultQueue {
  add(fault: Fault, count: number): void;
  /** The fault the next request must answer with, if any is pending: the oldest one aimed at it. */
  take(target?: FaultTarget): Fault | undefined;
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
    take(target) {
      const index = pending.findIndex(({ fault }) =>
        (fault.method === undefined || fault.method === target?.method) &&
        (fault.pathPrefix === undefined || (target?.path.startsWith(fault.pathPrefix) ?? false)));
      const next = pending[index];
      if (!next) return undefined;
      next.remaining -= 1;
      if (next.remaining <= 0) pending.splice(index, 1);
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
