import { describe, expect, it } from "vitest";
import { submitImport } from "../../support/jobs";
import { appFetch, uniqueName } from "../../support/stack";

interface StreamEvent {
  event: string;
  data: { id?: string; state?: string; version?: number };
}

/** Collects a response's server-sent events; `until` reads on until the events seen satisfy it. */
function eventStream(response: Response) {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const events: StreamEvent[] = [];
  let buffer = "";
  return {
    async until(satisfied: (events: StreamEvent[]) => boolean, timeoutMs = 15_000): Promise<StreamEvent[]> {
      const deadline = Date.now() + timeoutMs;
      while (!satisfied(events)) {
        if (Date.now() > deadline) throw new Error(`no such events within ${timeoutMs} ms: ${JSON.stringify(events)}`);
        const { value, done } = await reader.read();
        if (done) throw new Error("the stream ended");
        buffer += value;
        let boundary: number;
        while ((boundary = buffer.indexOf("\n\n")) !== -1) {
          const block = buffer.slice(0, boundary);
          buffer = buffer.slice(boundary + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) events.push({ event, data: JSON.parse(data) });
        }
      }
      return events;
    },
  };
}

describe("GET /api/jobs/changes", () => {
  it("streams every change of a job as server-sent events, from LISTEN/NOTIFY", async () => {
    const abort = new AbortController();
    const response = await appFetch(`/api/jobs/changes`, { signal: abort.signal });
    try {
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toContain("text/event-stream");
      const stream = eventStream(response);
      await stream.until((events) => events.some((event) => event.event === "ready"));
      const { localId } = await submitImport(uniqueName("stream"), { "a.mp4": "https://media.example.com/a.mp4" });
      const events = await stream.until((seen) => seen.some((event) => event.data.id === localId && event.data.state === "stopped"));
      const mine = events.filter((event) => event.event === "job" && event.data.id === localId);
      expect(mine[0]?.data.state).toBe("submitting");
      expect(mine.map((event) => event.data.state)).toContain("stopped");
    } finally {
      abort.abort();
    }
  });
});
