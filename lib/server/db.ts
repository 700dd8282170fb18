import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { getEnv } from "./env";

/**
 * No statement runs longer than this: Postgres cancels it, the request fails with the one error
 * shape, and the connection goes back to the pool instead of being held by a search nobody awaits
 * any more (docs/decisions/0015-benchmarks.md).
 */
export const STATEMENT_TIMEOUT_MS = 5_000;

// One pool per process; the global survives Next's dev-mode module reloads.
const globalForDb = globalThis as typeof globalThis & { jobdeckDb?: PrismaClient };

export function getDb(): PrismaClient {
  globalForDb.jobdeckDb ??= new PrismaClient({
    adapter: new PrismaPg({ connectionString: getEnv().databaseUrl, max: 10, statement_timeout: STATEMENT_TIMEOUT_MS }),
    // Every transaction's limits, in one place. Under a burst (a hundred creates at once) a
    // transaction may wait its turn for a connection longer than Prisma's default 2 s: waiting is
    // better than failing the request. No write grows with the size of a job (file results are one
    // statement), so 10 s holds for a 15,000-file import too.
    transactionOptions: { maxWait: 15_000, timeout: 10_000 },
  });
  return globalForDb.jobdeckDb;
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
