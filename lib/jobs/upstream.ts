import "server-only";
import { DescriptClient } from "@/lib/descript/client";
import { getEnv } from "@/lib/server/env";
import { redactUpstreamError } from "@/lib/server/redact";

const globalForClient = globalThis as typeof globalThis & { jobdeckDescript?: DescriptClient };

/** The process's one Descript client: every upstream call goes through it. */
export function getDescriptClient(): DescriptClient {
  const env = getEnv();
  globalForClient.jobdeckDescript ??= new DescriptClient({
    baseUrl: env.descriptApiUrl,
    token: env.descriptApiToken,
    redactErrorBody: redactUpstreamError,
  });
  return globalForClient.jobdeckDescript;
}
