import "server-only";
// Descript's callbacks: authenticate by the URL's token, validate, then apply through the service.
import { upstreamJobSchema } from "@/lib/descript/schemas";
import { getEnv } from "@/lib/server/env";
import { AppError } from "@/lib/server/errors";
import { logEvent } from "@/lib/server/log";
import { parseJsonSafely } from "@/lib/server/route";
import { verifyCallbackToken } from "./callback-token";
import { appendEventAndNotify, summarizeBody, withLockedJob } from "./repository";
import { applyUpstreamJob, type DeliveryVerdict } from "./service";

/** Headers kept on the timeline: enough to tell deliveries apart, nothing that could be a secret. */
const KEPT_HEADERS = ["content-type", "content-length", "user-agent", "x-request-id", "x-forwarded-for"];

/** The job a callback URL's token was issued for; a forged or mangled token is refused and logged. */
export function authenticateCallback({ token, headers, requestId }: { token: string; headers: Headers; requestId: string }): string {
  const jobId = verifyCallbackToken(token, getEnv().callbackSecret);
  if (!jobId) {
    // Logged for ops, never stored on a job: a forged URL names no job we can trust.
    logEvent("warn", "callback_rejected", { requestId, reason: "bad token", userAgent: headers.get("user-agent") });
    throw new AppError("unauthorized", "This callback URL is not valid.");
  }
  return jobId;
}

/**
 * Applies one delivery. A body that can never be applied (not JSON, nested too deep, not a job) is
 * recorded and answered as rejected, like every other verdict a 2xx: sending it again cannot help,
 * so Descript must not retry it. Only a fault that a retry can cure reaches the caller as an error.
 */
export async function receiveCallback({ jobId, bodyText, headers }: { jobId: string; bodyText: string; headers: Headers }): Promise<DeliveryVerdict> {
  const keptHeaders = Object.fromEntries(KEPT_HEADERS.flatMap((name) => (headers.has(name) ? [[name, headers.get(name)!]] : [])));
  const json = parseJsonSafely(bodyText);
  const body = json.ok ? json.value : undefined;
  const parsed = upstreamJobSchema.safeParse(body);
  if (!parsed.success) {
    const reason = bodyText === "" ? "empty" : !json.ok ? json.reason : "not a Descript job object";
    const found = await withLockedJob(jobId, async (tx, job) => {
      await appendEventAndNotify(tx, job, {
        kind: "callback_received",
        verdict: "rejected",
        payload: summarizeBody(bodyText),
        headers: keptHeaders,
        message: `malformed callback: ${reason}`,
      });
      return true;
    });
    if (!found) throw new AppError("not_found", "The job this callback is for no longer exists.");
    return "rejected";
  }
  const verdict = await applyUpstreamJob({ jobId, job: parsed.data, source: "callback", raw: body, headers: keptHeaders });
  if (verdict === null) throw new AppError("not_found", "The job this callback is for no longer exists.");
  return verdict;
}

