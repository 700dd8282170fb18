import "server-only";
// The deployment's one upstream budget: a token bucket kept in a single Postgres row, so every
// caller of every instance (proxy creates, the worker's polls, cancels, look-ups) shares it.
//
// Creates reserve a slot even when the bucket is empty (the row goes into debt) and sleep until
// their slot: one query per call, no stampede of waiters. Reads never go into debt and leave a
// reserve, so creates go first and polls wait. A 429 is debt too: the hold pushes the refill point
// past its end, so every slot handed out afterwards lies beyond it.
import { getDb } from "@/lib/server/db";
import type { UpstreamBudget, UpstreamCallKind } from "./client";

export interface BudgetState {
  ratePerSecond: number;
  /** Whole calls that could go right now. */
  remaining: number;
  /** Calls granted in the current minute. */
  consumed: number;
  nextAllowedAt: string;
  last429At: string | null;
  blockedUntil: string | null;
}

interface TakeRow {
  granted: boolean;
  wait_ms: number;
}

/** The bucket's depth: one second's worth of calls, so a burst never exceeds one extra second. */
function capacityOf(ratePerSecond: number): number {
  return Math.max(1, ratePerSecond);
}

export function createPostgresBudget({ ratePerSecond }: { ratePerSecond: number }): UpstreamBudget {
  const capacity = capacityOf(ratePerSecond);
  // Tokens a read must leave in the bucket: the room kept for a create that comes along.
  const readReserve = Math.min(1, capacity - 1);

  // One budget query at a time per process: a hundred callers arriving together wait here, in
  // memory, instead of holding a hundred pool connections in line for the row's lock.
  let queue: Promise<unknown> = Promise.resolve();
  function oneAtATime<T>(work: () => Promise<T>): Promise<T> {
    const run = queue.then(work, work);
    queue = run.catch(() => {});
    return run;
  }

  const takeOnce = (kind: UpstreamCallKind) => oneAtATime(() => queryTake(kind));

  async function queryTake(kind: UpstreamCallKind): Promise<TakeRow> {
    const [row] = await getDb().$queryRaw<TakeRow[]>`
      WITH current AS (
        SELECT clock_timestamp() AS at,
               least(${capacity}::float8, tokens + ${ratePerSecond}::float8 * extract(epoch FROM clock_timestamp() - refilled_at)::float8) AS available
        FROM upstream_budget WHERE id = 1 FOR UPDATE
      ), decision AS (
        SELECT at, available,
               ${kind}::text = 'create' OR available >= 1 + ${readReserve}::float8 AS granted
        FROM current
      )
      UPDATE upstream_budget b SET
        tokens = d.available - CASE WHEN d.granted THEN 1 ELSE 0 END,
        refilled_at = d.at,
        window_consumed = CASE WHEN d.at - b.window_started_at >= interval '1 minute' THEN 0 ELSE b.window_consumed END
                          + CASE WHEN d.granted THEN 1 ELSE 0 END,
        window_started_at = CASE WHEN d.at - b.window_started_at >= interval '1 minute' THEN d.at ELSE b.window_started_at END
      FROM decision d WHERE b.id = 1
      RETURNING d.granted,
        (CASE WHEN d.granted THEN greatest(0, 1 - d.available) ELSE (1 + ${readReserve}::float8 - d.available) END
          / ${ratePerSecond}::float8 * 1000)::float8 AS wait_ms`;
    if (!row) throw new Error("the upstream_budget row is missing: run the migrations");
    return row;
  }

  async function isHeldBack(): Promise<boolean> {
    const [row] = await getDb().$queryRaw<Array<{ held: boolean }>>`
      SELECT coalesce(blocked_until > clock_timestamp(), false) AS held FROM upstream_budget WHERE id = 1`;
    return row?.held ?? false;
  }

  return {
    async take(kind) {
      for (;;) {
        const { granted, wait_ms: waitMs } = await takeOnce(kind);
        if (granted) {
          if (waitMs <= 0) return;
          await sleep(waitMs);
          // A 429 that came in while this call slept moves it behind the hold: queue again.
          if (!(await isHeldBack())) return;
          continue;
        }
        // A little jitter so that waiting readers of several instances do not knock together.
        await sleep(waitMs + Math.random() * 100);
      }
    },

    async holdBack(waitMs) {
      // Without a Retry-After: 1 s, 2 s, 4 s … (at most a minute) per 429 in a row, with jitter.
      await getDb().$executeRaw`
        WITH current AS (
          SELECT clock_timestamp() AS at,
                 CASE WHEN last_429_at > clock_timestamp() - interval '2 minutes' THEN throttle_streak + 1 ELSE 1 END AS streak,
                 least(${capacity}::float8, tokens + ${ratePerSecond}::float8 * extract(epoch FROM clock_timestamp() - refilled_at)::float8) AS available,
                 blocked_until
          FROM upstream_budget WHERE id = 1 FOR UPDATE
        ), hold AS (
          SELECT at, streak, available,
                 greatest(coalesce(blocked_until, at), at + make_interval(secs => coalesce(
                   ${waitMs}::float8 / 1000,
                   least(60, power(2, streak - 1)) * (0.5 + random() / 2)))) AS until
          FROM current
        )
        UPDATE upstream_budget b SET
          throttle_streak = h.streak,
          last_429_at = h.at,
          blocked_until = h.until,
          tokens = least(h.available, 0),
          refilled_at = h.until
        FROM hold h WHERE b.id = 1`;
    },
  };
}

/** The budget as the status strip shows it. */
export async function readBudgetState(ratePerSecond: number): Promise<BudgetState> {
  const capacity = capacityOf(ratePerSecond);
  const [row] = await getDb().$queryRaw<
    Array<{ available: number; consumed: number; next_allowed_at: Date; last_429_at: Date | null; blocked_until: Date | null }>
  >`
    SELECT available,
           CASE WHEN clock_timestamp() - window_started_at >= interval '1 minute' THEN 0 ELSE window_consumed END AS consumed,
           clock_timestamp() + make_interval(secs => greatest(0, 1 - available) / ${ratePerSecond}::float8) AS next_allowed_at,
           last_429_at, blocked_until
    FROM (
      SELECT *, least(${capacity}::float8, tokens + ${ratePerSecond}::float8 * extract(epoch FROM clock_timestamp() - refilled_at)::float8) AS available
      FROM upstream_budget WHERE id = 1
    ) AS budget`;
  if (!row) throw new Error("the upstream_budget row is missing: run the migrations");
  return {
    ratePerSecond,
    remaining: Math.max(0, Math.floor(row.available)),
    consumed: row.consumed,
    nextAllowedAt: row.next_allowed_at.toISOString(),
    last429At: row.last_429_at?.toISOString() ?? null,
    blockedUntil: row.blocked_until && row.blocked_until > new Date() ? row.blocked_until.toISOString() : null,
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
