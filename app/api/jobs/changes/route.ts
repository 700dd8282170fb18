// GET /api/jobs/changes — the console (jobs:read): a server-sent event stream of changed job rows.
import { subscribeToJobChanges, type JobChange } from "@/lib/jobs/job-changes";
import { getEnv } from "@/lib/server/env";
import { logEvent } from "@/lib/server/log";
import { isAllowed, route } from "@/lib/server/route";
import { expediteJobPolls } from "@/lib/worker/expedite";

export const dynamic = "force-dynamic";

const ACCESS = "jobs:read" as const;

/**
 * Events: `ready` {serverTime} once subscribed; `jobs` {jobs: JobSummary[], created: string[]} for
 * each batch of changes (rows as /api/jobs answers them); `resync` {} when changes may have been
 * missed. A comment every CHANGES_HEARTBEAT_SECONDS keeps proxies from closing an idle stream, and
 * each one re-checks the caller: a revoked key or a disabled person's stream ends there.
 */
export const GET = route({ format: "problem", access: ACCESS }, async ({ request, requestId }) => {
  void expediteJobPolls("live-table"); // someone is watching the live table: look at its active jobs soon
  const encoder = new TextEncoder();
  let stop = () => {};
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let isOpen = true;
      const close = () => {
        if (!isOpen) return;
        isOpen = false;
        stop();
        try {
          controller.close();
        } catch {
          // already closed by the browser going away
        }
      };
      const send = (text: string) => {
        if (!isOpen) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          close(); // the browser has gone
        }
      };
      const unsubscribe = await subscribeToJobChanges((change: JobChange) =>
        send(`event: ${change.type}\ndata: ${JSON.stringify(change.type === "jobs" ? { jobs: change.jobs, created: change.created } : {})}\n\n`),
      );
      const heartbeat = setInterval(() => {
        send(": keep-alive\n\n");
        isAllowed(request, ACCESS).then(
          (allowed) => {
            if (allowed) return;
            logEvent("info", "job_changes_stream_refused", { requestId });
            close();
          },
          () => {}, // the database is away: keep the stream, the next heartbeat asks again
        );
      }, getEnv().changesHeartbeatMs);
      let isStopped = false;
      stop = () => {
        if (isStopped) return;
        isStopped = true;
        clearInterval(heartbeat);
        unsubscribe();
      };
      request.signal.addEventListener("abort", close);
      send(`event: ready\ndata: ${JSON.stringify({ serverTime: new Date().toISOString() })}\n\n`);
    },
    cancel() {
      stop();
    },
  });
  return new Response(stream, {
    headers: { "content-type": "text/event-stream", "cache-control": "no-store, no-transform", "x-accel-buffering": "no" },
  });
});
