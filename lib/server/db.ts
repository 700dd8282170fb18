import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { getEnv } from "./env";

// One pool per process; the global survives Next's dev-mode module reloads.
const globalForDb = globalThis as typeof globalThis & { jobdeckDb?: PrismaClient };

export function getDb(): PrismaClient {
  globalForDb.jobdeckDb ??= new PrismaClient({
    adapter: new PrismaPg({ connectionString: getEnv().databaseUrl, max: 10 }),
    // Every transaction's limits, in one place. Under a burst (a hundred creates at once) a
    // transaction may wait its turn for a connection longer than Prisma's default 2 s: waiting is
    // better than failing the request. No write grows with the size of a job (file results are one
    // statement), so 10 s holds for a 15,000-file import too.
    transactionOptions: { maxWait: 15_000, timeout: 10_000 },
  });
  return globalForDb.jobdeckDb;
}
