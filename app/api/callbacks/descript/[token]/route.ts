// POST /api/callbacks/descript/{token} — Descript (or the sandbox), with the URL Jobdeck gave it.
import { z } from "zod";
import { authenticateCallback, receiveCallback } from "@/lib/jobs/callbacks";
import { AppError } from "@/lib/server/errors";
import { logEvent } from "@/lib/server/log";
import { json, parseParams, readBodyText, route } from "@/lib/server/route";

export const dynamic = "force-dynamic";

export const POST = route<{ token: string }>("problem", async ({ request, params, requestId }) => {
  const { token } = parseParams(params, z.object({ token: z.string().max(200) }));
  // The token first: a forged callback is refused (and logged) whatever its body.
  const jobId = authenticateCallback({ token, headers: request.headers, requestId });
  const bodyText = await readBodyText(request);
  try {
    const verdict = await receiveCallback({ jobId, bodyText, headers: request.headers });
    // Every verdict is a 2xx: a duplicate or stale delivery is handled, and a retry would not help.
    return json({ received: true, verdict });
  } catch (error) {
    if (error instanceof AppError) throw error;
    logEvent("error", "callback_not_stored", { requestId, jobId, error: (error as Error).message });
    // The database (or anything else) failed: nothing was written, so ask Descript to retry.
    throw new AppError("database_unavailable", "The callback could not be stored; please retry.");
  }
});
