import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { getEnv } from "./env";
import { logEvent } from "./log";

/**
 * No statement runs longer than this: Postgres cancels it, the request fails with the one error
 * shape, and the connection goes back to the pool instead of being held by a search nobody awaits
 * any more (docs/decisions/0015-benchmarks.md).
 */
export const STATEMENT_TIMEOUT_MS = 5_000;

// One pool per process, shared by Prisma and the few hand-written transactions that talk to the
// driver directly (the callback path, docs/decisions/0017); the global survives Next's dev-mode
// module reloads and is the same for every bundle that loads this module.
const globalForDb = globalThis as typeof globalThis & { jobdeckDb?: PrismaClient; jobdeckPool?: pg.Pool };

export function getPool(): pg.Pool {
  if (!globalForDb.jobdeckPool) {
    const pool = new pg.Pool({ connectionString: getEnv().databaseUrl, max: 10, statement_timeout: STATEMENT_TIMEOUT_MS });
    // An idle connection cut by the server (a restart, a failover) is an event, not a crash: the
    // pool drops it and the next query opens a new one.
    pool.on("error", (error) => logEvent("warn", "database_connection_lost", { error: error.message }));
    globalForDb.jobdeckPool = pool;
  }
  return globalForDb.jobdeckPool;
}

export function getDb(): PrismaClient {
  globalForDb.jobdeckDb ??= new PrismaClient({
    adapter: new PrismaPg(getPool()),
    // Every transaction's limits, in one place. Under a burst (a hundred creates at once) a
    // transaction may wait its turn for a connection longer than Prisma's default 2 s: waiting is
    // better than failing the request. No write grows with the size of a job (file results are one
    // statement), so 10 s holds for a 15,000-file import too.
    transactionOptions: { maxWait: 15_000, timeout: 10_000 },
  });
  return globalForDb.jobdeckDb;
}

/**
 * Runs `work` in a transaction on one of the pool's connections, straight through the driver:
 * BEGIN, the work's statements, COMMIT (ROLLBACK when it throws). For the hot paths where
 * Prisma's interactive transaction costs more than the statements themselves.
 */
export async function withDriverTransaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await getPool().connect();
  // A connection cut while checked out (Postgres restarting) is an 'error' event on the client: with
  // no listener it would be an uncaught exception. The statement in progress fails on its own.
  let isBroken = false;
  const onError = () => {
    isBroken = true;
  };
  client.on("error", onError);
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {
      isBroken = true;
    });
    throw error;
  } finally {
    client.off("error", onError);
    // A broken connection is dropped rather than handed to the next caller.
    client.release(isBroken);
  }
}

/** True when Postgres cancelled a statement for running past STATEMENT_TIMEOUT_MS (SQLSTATE 57014). */
export function isStatementTimeout(error: unknown): boolean {
  // Prisma nests the driver's error: error.meta.driverAdapterError.cause.code (raw queries) or error.cause.
  const nested = (value: unknown, depth: number): boolean => {
    if (depth > 4 || typeof value !== "object" || value === null) return false;
    const record = value as Record<string, unknown>;
    if (record.code === "57014" || record.originalCode === "57014") return true;
    return ["cause", "meta", "driverAdapterError"].some((key) => nested(record[key], depth + 1));
  };
  return nested(error, 0);
}
