import "server-only";
// Descript's callbacks: authenticate by the URL's token, validate, then apply through the service.
import { upstreamJobSchema } from "@/lib/descript/schemas";
import { getEnv } from "@/lib/server/env";
import { AppError } from "@/lib/server/errors";
import { logEvent } from "@/lib/server/log";
import { parseJsonText } from "@/lib/server/route";
import { verifyCallbackToken } from "./callback-token";
import { appendEventOnly, withLockedJob } from "./repository";
import { applyUpstreamJob, type DeliveryVerdict } from "./service";

/** Headers kept on the timeline: enough to tell deliveries apart, nothing that could be a secret. */
const KEPT_HEADERS = ["content-type", "content-length", "user-agent", "x-request-id", "x-forwarded-for"];

export interface ReceivedCallback {
  token: string;
  bodyText: string;
  headers: Headers;
  requestId: string;
}

export async function receiveCallback({ token, bodyText, headers, requestId }: ReceivedCallback): Promise<DeliveryVerdict> {
  const jobId = verifyCallbackToken(token, getEnv().callbackSecret);
  if (!jobId) {
    // Logged for ops, never stored on a job: a forged URL names no job we can trust.
    logEvent("warn", "callback_rejected", { requestId, reason: "bad token", userAgent: headers.get("user-agent") });
    throw new AppError("unauthorized", "This callback URL is not valid.");
  }
  const keptHeaders = Object.fromEntries(KEPT_HEADERS.flatMap((name) => (headers.has(name) ? [[name, headers.get(name)!]] : [])));
  const parsed = upstreamJobSchema.safeParse(safeJson(bodyText));
  if (!parsed.success) {
    const reason = bodyText === "" ? "empty body" : "not a Descript job";
    await withLockedJob(jobId, (tx, job) =>
      appendEventOnly(tx, job, {
        kind: "callback_received",
        verdict: "rejected",
        payload: { raw: bodyText.slice(0, 10_000) },
        headers: keptHeaders,
        message: `malformed callback: ${reason}`,
      }),
    );
    throw new AppError("invalid_input", `The callback body is ${reason === "empty body" ? "empty" : "not a Descript job object"}.`);
  }
  const verdict = await applyUpstreamJob({ jobId, job: parsed.data, source: "callback", raw: safeJson(bodyText), headers: keptHeaders });
  if (verdict === null) throw new AppError("not_found", "The job this callback is for no longer exists.");
  return verdict;
}

function safeJson(text: string): unknown {
  try {
    return parseJsonText(text);
  } catch {
    return undefined;
  }
}
