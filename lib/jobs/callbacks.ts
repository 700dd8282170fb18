import "server-only";
// Descript's callbacks: authenticate by the URL's token, validate, then apply through the service.
// The whole endpoint is `answerCallback`, free of any web framework, so that the plain node:http
// listener in front of Next (lib/server/front-listener.ts) and the Next route answer alike
// (docs/decisions/0017).
import { z } from "zod";
import { upstreamJobSchema } from "@/lib/descript/schemas";
import { getEnv } from "@/lib/server/env";
import { AppError, invalidInputFromZod } from "@/lib/server/errors";
import { logEvent } from "@/lib/server/log";
import { errorAnswer, parseJsonSafely, readBody, toAppError, type IncomingBody, type PlainAnswer } from "@/lib/server/route";
import { verifyCallbackToken } from "./callback-token";
import { applyObservation, summarizeBody } from "./repository";
import { applyUpstreamJob, type DeliveryVerdict } from "./service";

/** Headers kept on the timeline: enough to tell deliveries apart, nothing that could be a secret. */
const KEPT_HEADERS = ["content-type", "content-length", "user-agent", "x-request-id", "x-forwarded-for"];

/**
 * A final import callback carries one result per file: 20,000 files (the add_media cap) with long
 * names and error messages fit in 8 MiB (docs/decisions/0013).
 */
const MAX_CALLBACK_BODY_BYTES = 8 * 1024 * 1024;

const tokenSchema = z.object({ token: z.string().max(200) });

/** A request's headers, looked up by lower-case name: Web Headers is one, and so is a small adapter over node:http's. */
export interface HeaderLookup {
  get(name: string): string | null;
}

export interface CallbackRequest extends IncomingBody {
  /** The URL's last segment, percent-decoded. */
  token: string;
  headers: HeaderLookup;
  requestId: string;
}

/**
 * POST /api/callbacks/descript/{token}, whole: the token first (a forged callback is refused and
 * logged whatever its body), then the body within its limits, then the delivery. Every verdict is
 * a 2xx; errors answer problem+json.
 */
export async function answerCallback(request: CallbackRequest): Promise<PlainAnswer> {
  const { requestId } = request;
  let jobId: string | undefined;
  let isStoring = false;
  try {
    const parsed = tokenSchema.safeParse({ token: request.token });
    if (!parsed.success) throw invalidInputFromZod(parsed.error, "path");
    jobId = authenticateCallback({ token: parsed.data.token, headers: request.headers, requestId });
    const bodyText = await readBody(request, MAX_CALLBACK_BODY_BYTES);
    isStoring = true;
    const verdict = await receiveCallback({ jobId, bodyText, headers: request.headers });
    // Every verdict is a 2xx: a duplicate, stale or rejected delivery is handled, and a retry would not help.
    return { status: 200, headers: { "content-type": "application/json", "x-request-id": requestId }, body: JSON.stringify({ received: true, verdict }) };
  } catch (error) {
    let appError: AppError;
    if (error instanceof AppError) appError = error;
    else if (isStoring) {
      logEvent("error", "callback_not_stored", { requestId, jobId, error: (error as Error).message });
      // The database (or anything else) failed: nothing was written, so ask Descript to retry.
      appError = new AppError("database_unavailable", "The callback could not be stored; please retry.");
    } else appError = toAppError(error, requestId, { method: "POST", path: "/api/callbacks/descript/…" });
    return errorAnswer(appError, { errorFormat: "problem", requestId });
  }
}

/** The job a callback URL's token was issued for; a forged or mangled token is refused and logged. */
export function authenticateCallback({ token, headers, requestId }: { token: string; headers: HeaderLookup; requestId: string }): string {
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
export async function receiveCallback({ jobId, bodyText, headers }: { jobId: string; bodyText: string; headers: HeaderLookup }): Promise<DeliveryVerdict> {
  const keptHeaders = Object.fromEntries(KEPT_HEADERS.flatMap((name) => {
    const value = headers.get(name);
    return value !== null ? [[name, value]] : [];
  }));
  const json = parseJsonSafely(bodyText);
  const body = json.ok ? json.value : undefined;
  const parsed = upstreamJobSchema.safeParse(body);
  if (!parsed.success) {
    const reason = bodyText === "" ? "empty" : !json.ok ? json.reason : "not a Descript job object";
    const found = await applyObservation(jobId, null, () => ({
      result: true,
      change: {
        events: [{ kind: "callback_received", verdict: "rejected", payload: summarizeBody(bodyText), headers: keptHeaders, message: `malformed callback: ${reason}` }],
      },
    }));
    if (!found) throw new AppError("not_found", "The job this callback is for no longer exists.");
    return "rejected";
  }
  const verdict = await applyUpstreamJob({ jobId, job: parsed.data, source: "callback", raw: body, headers: keptHeaders });
  if (verdict === null) throw new AppError("not_found", "The job this callback is for no longer exists.");
  return verdict;
}
