// GET /api/jobs/changes — the console: a server-sent event stream of job changes (from LISTEN/NOTIFY).
import { subscribeToJobChanges, type JobChange } from "@/lib/jobs/job-changes";
import { route } from "@/lib/server/route";
import { expediteJobPolls } from "@/lib/worker/expedite";

export const dynamic = "force-dynamic";

const HEARTBEAT_MS = 25_000;

export const GET = route({ format: "problem", access: "jobs:read" }, async ({ request }) => {
  void expediteJobPolls("live-table"); // someone is watching the live table: look at its active jobs soon
  const encoder = new TextEncoder();
  let stop = () => {};
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (text: string) => {
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          stop(); // the browser has gone
        }
      };
      const unsubscribe = await subscribeToJobChanges((change: JobChange) => send(`event: ${change.type}\ndata: ${JSON.stringify(change)}\n\n`));
      // Comments keep proxies from closing an idle stream.
      const heartbeat = setInterval(() => send(": keep-alive\n\n"), HEARTBEAT_MS);
      stop = () => {
        clearInterval(heartbeat);
        unsubscribe();
      };
      request.signal.addEventListener("abort", () => {
        stop();
        controller.close();
      });
      send("event: ready\ndata: {}\n\n");
    },
    cancel() {
      stop();
    },
  });
  return new Response(stream, {
    headers: { "content-type": "text/event-stream", "cache-control": "no-store, no-transform", "x-accel-buffering": "no" },
  });
});
