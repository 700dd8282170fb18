import { describe, expect, it } from "vitest";
import type { JobRecord } from "@/lib/sandbox/jobs";
import { decodeCursor, encodeCursor, listJobPage } from "@/lib/sandbox/listing";
import { readScenario } from "@/lib/sandbox/scenarios";
import { listJobsQuerySchema } from "@/lib/descript/schemas";

const NOW = Date.parse("2026-03-31T00:00:00.000Z");
const DAY = 24 * 60 * 60 * 1000;

function job(seq: number, createdAt: number, projectId = "p1"): JobRecord {
  return {
    id: `job-${seq}`,
    seq,
    projectId,
    createdAt,
    spec: { type: "agent", prompt: "x", conversationId: "c", resolvedModel: "m" },
    scenario: readScenario([]),
    state: "stopped",
    processingMs: 1,
    pendingUploads: new Set(),
  };
}

const query = (params: Record<string, string>) => listJobsQuerySchema.parse(params);
const ids = (jobs: JobRecord[]) => jobs.map((record) => record.id);

describe("cursors", () => {
  it("round-trip and refuse anything they did not produce", () => {
    const position = { seq: 12, after: NOW - DAY, before: NOW };
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
    expect(() => decodeCursor("garbage")).toThrow('"cursor" is invalid');
    expect(() => decodeCursor(Buffer.from('{"seq":-1,"after":0,"before":0}').toString("base64url"))).toThrow();
  });
});

describe("listJobPage", () => {
  const jobs = [job(1, NOW - 10 * DAY), job(2, NOW - 3 * DAY, "p2"), job(3, NOW - 2 * DAY), job(4, NOW - DAY), job(5, NOW)];

  it("returns the newest first within the default 7-day window", () => {
    expect(ids(listJobPage({ jobsOldestFirst: jobs, query: query({}), now: NOW }).jobs)).toEqual(["job-5", "job-4", "job-3", "job-2"]);
  });

  it("clamps created_after to 30 days ago", () => {
    const old = [job(0, NOW - 40 * DAY), ...jobs];
    const page = listJobPage({ jobsOldestFirst: old, query: query({ created_after: "2020-01-01T00:00:00Z" }), now: NOW });
    expect(ids(page.jobs)).toEqual(["job-5", "job-4", "job-3", "job-2", "job-1"]);
  });

  it("pages with a cursor that keeps the first page's window", () => {
    const first = listJobPage({ jobsOldestFirst: jobs, query: query({ limit: "2" }), now: NOW });
    expect(ids(first.jobs)).toEqual(["job-5", "job-4"]);
    // Later pages use the first page's window even though "now" moved on 6 days.
    const second = listJobPage({ jobsOldestFirst: jobs, query: query({ limit: "2", cursor: first.nextCursor ?? "" }), now: NOW + 6 * DAY });
    expect(ids(second.jobs)).toEqual(["job-3", "job-2"]);
    expect(second.nextCursor).toBeUndefined();
  });

  it("filters by project", () => {
    const projectId = "1b4e28ba-2fa1-41d2-883f-0016d3cca427";
    const mixed = [...jobs, job(6, NOW - DAY, projectId), job(7, NOW)];
    const page = listJobPage({ jobsOldestFirst: mixed, query: query({ project_id: projectId }), now: NOW });
    expect(ids(page.jobs)).toEqual(["job-6"]);
  });
});
