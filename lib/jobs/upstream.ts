import "server-only";
import { createPostgresBudget } from "@/lib/descript/budget";
import { DescriptClient } from "@/lib/descript/client";
import { getEnv } from "@/lib/server/env";

const globalForClient = globalThis as typeof globalThis & { jobdeckDescript?: DescriptClient };

/** The process's one Descript client: every upstream call goes through it and the shared budget. */
export function getDescriptClient(): DescriptClient {
  const env = getEnv();
  globalForClient.jobdeckDescript ??= new DescriptClient({
    baseUrl: env.descriptApiUrl,
    token: env.descriptApiToken,
    budget: createPostgresBudget({ ratePerSecond: env.upstreamRatePerSec }),
  });
  return globalForClient.jobdeckDescript;
}
