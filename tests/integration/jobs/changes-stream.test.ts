import { describe, expect, it } from "vitest";
import type { JobListPage, JobSummary } from "@/lib/jobs/api-types";
import { postCallback, submitImport } from "../../support/jobs";
import { appFetch, uniqueName } from "../../support/stack";

interface StreamEvent {
  event: string;
  data: { jobs?: JobSummary[]; created?: string[]; serverTime?: string };
}

/** Collects a response's server-sent events (and keep-alive comments); `until` reads on until the events seen satisfy it. */
function eventStream(response: Response) {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const events: StreamEvent[] = [];
  let comments = 0;
  let buffer = "";
  let isEnded = false;
  const readMore = async () => {
    const { value, done } = await reader.read();
    if (done) {
      isEnded = true;
      return;
    }
    buffer += value;
    let boundary: number;
    while ((boundary = buffer.indexOf("\n\n")) !== -1) {
      const block = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary + 2);
      if (block.startsWith(":")) comments += 1;
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event && data) events.push({ event, data: JSON.parse(data) });
    }
  };
  return {
    get comments() {
      return comments;
    },
    async until(satisfied: (events: StreamEvent[]) => boolean, timeoutMs = 15_000): Promise<StreamEvent[]> {
      const deadline = Date.now() + timeoutMs;
      while (!satisfied(events)) {
        if (Date.now() > deadline) throw new Error(`no such events within ${timeoutMs} ms: ${JSON.stringify(events)}`);
        if (isEnded) throw new Error("the stream ended");
        await readMore();
      }
      return events;
    },
    /** Reads until the server ends the stream; answers how long that took. */
    async ended(timeoutMs: number): Promise<number> {
      const started = Date.now();
      const deadline = started + timeoutMs;
      while (!isEnded) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`the stream was still open after ${timeoutMs} ms`);
        await Promise.race([readMore(), new Promise((resolve) => setTimeout(resolve, left))]);
      }
      return Date.now() - started;
    },
    async waitForComment(timeoutMs: number): Promise<void> {
      const seen = comments;
      const deadline = Date.now() + timeoutMs;
      while (comments === seen) {
        if (Date.now() > deadline) throw new Error(`no keep-alive within ${timeoutMs} ms`);
        if (isEnded) throw new Error("the stream ended");
        await readMore();
      }
    },
  };
}

const rowsOf = (events: StreamEvent[], id: string) => events.filter((event) => event.event === "jobs").flatMap((event) => event.data.jobs ?? []).filter((job) => job.id === id);

/** The test stack sets CHANGES_HEARTBEAT_SECONDS (scripts/stack.ts); the app's default is 25. */
const heartbeatMs = Number(process.env.CHANGES_HEARTBEAT_SECONDS ?? 25) * 1000;

describe("GET /api/jobs/changes", () => {
  it("opens with ready and the server's clock, then carries each changed job's row as /api/jobs lists it", async () => {
    const abort = new AbortController();
    const response = await appFetch(`/api/jobs/changes`, { signal: abort.signal });
    try {
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toContain("text/event-stream");
      const stream = eventStream(response);
      const [ready] = await stream.until((events) => events.some((event) => event.event === "ready"));
      expect(Math.abs(Date.parse(ready!.data.serverTime!) - Date.now())).toBeLessThan(60_000);

      const { localId } = await submitImport(uniqueName("stream"), { "a.mp4": "https://media.example.com/a.mp4" });
      const events = await stream.until((seen) => rowsOf(seen, localId).some((job) => job.state === "stopped"));
      // Its creation is named as such, so a page can count it as a new job.
      expect(events.some((event) => event.data.created?.includes(localId))).toBe(true);
      const last = rowsOf(events, localId).at(-1)!;
      const listed = (await (await appFetch(`/api/jobs?ids=${localId}`)).json()) as JobListPage;
      expect(last).toEqual(listed.data[0]);
      expect(last).toMatchObject({ state: "stopped", outcome: "success", fileCounts: { total: 1, succeeded: 1 } });
    } finally {
      abort.abort();
    }
  });

  it("carries the row a callback changed, with the callback's state and progress", async () => {
    const { localId, upstreamJobId } = await submitImport(uniqueName("stream callback #stall"), { "a.mp4": "https://media.example.com/a.mp4" });
    const abort = new AbortController();
    const response = await appFetch(`/api/jobs/changes`, { signal: abort.signal });
    try {
      const stream = eventStream(response);
      await stream.until((events) => events.some((event) => event.event === "ready"));
      const callback = await postCallback(localId, {
        job_id: upstreamJobId,
        job_type: "import/project_media",
        job_state: "running",
        created_at: new Date().toISOString(),
        progress: { label: "Importing media", percent: 42, last_update_at: new Date(Date.now() + 60_000).toISOString() },
      });
      expect(callback.status).toBe(200);
      const events = await stream.until((seen) => rowsOf(seen, localId).some((job) => job.progress?.percent === 42));
      expect(rowsOf(events, localId).at(-1)).toMatchObject({ id: localId, upstreamJobId, state: "running", progress: { label: "Importing media", percent: 42 } });
    } finally {
      abort.abort();
      await appFetch(`/api/jobs/${localId}/cancel`, { method: "POST" });
    }
  });

  it("ends a revoked key's stream at its next heartbeat, and keeps it open until then", async () => {
    const created = await appFetch("/api/keys", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: uniqueName("stream-key"), role: "viewer" }),
    });
    expect(created.status).toBe(201);
    const { id, key } = (await created.json()) as { id: string; key: string };
    const abort = new AbortController();
    const response = await appFetch(`/api/jobs/changes`, { signal: abort.signal, headers: { authorization: `Bearer ${key}` } }, { as: "anonymous" });
    try {
      expect(response.status).toBe(200);
      const stream = eventStream(response);
      await stream.until((events) => events.some((event) => event.event === "ready"));
      // A heartbeat passes while the key is live: the stream stays open.
      await stream.waitForComment(heartbeatMs * 3);
      expect((await appFetch(`/api/keys/${id}`, { method: "DELETE" })).status).toBe(200);
      const tookMs = await stream.ended(heartbeatMs * 3);
      expect(tookMs).toBeLessThanOrEqual(heartbeatMs * 2);
    } finally {
      abort.abort();
    }
  }, 120_000);
});
