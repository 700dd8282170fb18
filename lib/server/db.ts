import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { getEnv } from "./env";

// One pool per process; the global survives Next's dev-mode module reloads.
const globalForDb = globalThis as typeof globalThis & { jobdeckDb?: PrismaClient };

export function getDb(): PrismaClient {
  globalForDb.jobdeckDb ??= new PrismaClient({
    adapter: new PrismaPg({ connectionString: getEnv().databaseUrl, max: 10 }),
  });
  return globalForDb.jobdeckDb;
}
