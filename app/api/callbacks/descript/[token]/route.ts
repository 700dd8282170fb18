// POST /api/callbacks/descript/{token} — Descript (or the sandbox), with the URL Jobdeck gave it.
// Public: the per-submission token in the URL is the only credential (docs/decisions/0006).
import { z } from "zod";
import { authenticateCallback, receiveCallback } from "@/lib/jobs/callbacks";
import { AppError } from "@/lib/server/errors";
import { logEvent } from "@/lib/server/log";
import { json, parseParams, readBodyText, route } from "@/lib/server/route";

/**
 * A final import callback carries one result per file: 20,000 files (the add_media cap) with long
 * names and error messages fit in 8 MiB (docs/decisions/0013).
 */
const MAX_CALLBACK_BODY_BYTES = 8 * 1024 * 1024;

export const dynamic = "force-dynamic";

export const POST = route<{ token: string }>({ format: "problem", access: "public" }, async ({ request, params, requestId }) => {
  const { token } = parseParams(params, z.object({ token: z.string().max(200) }));
  // The token first: a forged callback is refused (and logged) whatever its body.
  const jobId = authenticateCallback({ token, headers: request.headers, requestId });
  const bodyText = await readBodyText(request, MAX_CALLBACK_BODY_BYTES);
  try {
    const verdict = await receiveCallback({ jobId, bodyText, headers: request.headers });
    // Every verdict is a 2xx: a duplicate, stale or rejected delivery is handled, and a retry would not help.
    return json({ received: true, verdict });
  } catch (error) {
    if (error instanceof AppError) throw error;
    logEvent("error", "callback_not_stored", { requestId, jobId, error: (error as Error).message });
    // The database (or anything else) failed: nothing was written, so ask Descript to retry.
    throw new AppError("database_unavailable", "The callback could not be stored; please retry.");
  }
});
