import "server-only";
import { createPostgresBudget } from "@/lib/descript/budget";
import { DescriptClient } from "@/lib/descript/client";
import { getEnv } from "@/lib/server/env";
import { redactUpstreamError } from "@/lib/server/redact";

// One per module copy, not on globalThis: Next loads this module once for instrumentation (the
// worker) and once for the routes, and each copy must throw its own copy's error classes, which
// the routes' instanceof checks expect. The budget they share lives in Postgres.
let client: DescriptClient | undefined;

/** The Descript client: every upstream call goes through it and the deployment's one budget. */
export function getDescriptClient(): DescriptClient {
  const env = getEnv();
  client ??= new DescriptClient({
    baseUrl: env.descriptApiUrl,
    token: env.descriptApiToken,
    redactErrorBody: redactUpstreamError,
    budget: createPostgresBudget({ ratePerSecond: env.upstreamRatePerSec }),
  });
  return client;
}
