// GET /api/jobs/changes — the console: a server-sent event stream of job changes (from LISTEN/NOTIFY).
import { subscribeToJobChanges, type JobChange } from "@/lib/jobs/job-changes";
import { route } from "@/lib/server/route";
import { expediteJobPolls } from "@/lib/worker/expedite";

export const dynamic = "force-dynamic";

const HEARTBEAT_MS = 25_000;

// Open streams never end by themselves, and Next's graceful shutdown waits for every connection to
// close: on SIGTERM or SIGINT they are ended here, or a console tab left open would keep the
// instance from ever stopping. (On globalThis: Next may load this module more than once.)
const globalForStreams = globalThis as typeof globalThis & { jobdeckOpenStreams?: Set<() => void> };
function openStreams(): Set<() => void> {
  if (!globalForStreams.jobdeckOpenStreams) {
    const streams = (globalForStreams.jobdeckOpenStreams = new Set());
    const endAll = () => streams.forEach((end) => end());
    process.once("SIGTERM", endAll);
    process.once("SIGINT", endAll);
  }
  return globalForStreams.jobdeckOpenStreams;
}

export const GET = route("problem", async ({ request }) => {
  void expediteJobPolls("live-table"); // someone is watching the live table: look at its active jobs soon
  const encoder = new TextEncoder();
  let end = () => {};
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (text: string) => {
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          end(); // the browser has gone
        }
      };
      const unsubscribe = await subscribeToJobChanges((change: JobChange) => send(`event: ${change.type}\ndata: ${JSON.stringify(change)}\n\n`));
      // Comments keep proxies from closing an idle stream.
      const heartbeat = setInterval(() => send(": keep-alive\n\n"), HEARTBEAT_MS);
      let isEnded = false;
      end = () => {
        if (isEnded) return;
        isEnded = true;
        openStreams().delete(end);
        clearInterval(heartbeat);
        unsubscribe();
        try {
          controller.close();
        } catch {
          // Already closed.
        }
      };
      openStreams().add(end);
      request.signal.addEventListener("abort", end);
      send("event: ready\ndata: {}\n\n");
    },
    cancel() {
      end();
    },
  });
  return new Response(stream, {
    headers: { "content-type": "text/event-stream", "cache-control": "no-cache, no-transform", "x-accel-buffering": "no" },
  });
});
