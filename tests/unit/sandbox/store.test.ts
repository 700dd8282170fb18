import { describe, expect, it } from "vitest";
import type { JobRecord, JobState } from "@/lib/sandbox/jobs";
import { readScenario } from "@/lib/sandbox/scenarios";
import { createStore, RETENTION_MS } from "@/lib/sandbox/store";

const NOW = Date.parse("2026-03-31T00:00:00.000Z");
const DAY = 24 * 60 * 60 * 1000;

function addJob(store: ReturnType<typeof createStore>, options: { projectId: string; createdAt: number; state?: JobState; tags?: string }): JobRecord {
  const seq = store.nextSequence();
  const job: JobRecord = {
    id: `job-${seq}`,
    seq,
    projectId: options.projectId,
    createdAt: options.createdAt,
    spec: { type: "agent", prompt: "x", conversationId: "c", resolvedModel: "m" },
    scenario: readScenario([options.tags]),
    state: options.state ?? "stopped",
    processingMs: 1,
    pendingUploads: new Set(),
  };
  store.addJob(job);
  return job;
}

describe("retention in the store", () => {
  it("keeps a job exactly 30 days old and removes it the millisecond after", () => {
    const store = createStore();
    const project = store.createProject({ name: "p", now: NOW });
    const job = addJob(store, { projectId: project.id, createdAt: NOW });
    expect(store.removeExpiredJobs(NOW + RETENTION_MS)).toEqual([]);
    expect(store.findJob(job.id)).toBe(job);
    expect(store.removeExpiredJobs(NOW + RETENTION_MS + 1)).toEqual([job]);
    expect(store.findJob(job.id)).toBeUndefined();
    expect(store.listJobs()).toEqual([]);
  });

  it("removes only the expired prefix and keeps the rest in creation order", () => {
    const store = createStore();
    const project = store.createProject({ name: "p", now: NOW });
    const jobs = [40, 31, 29, 1].map((daysAgo) => addJob(store, { projectId: project.id, createdAt: NOW - daysAgo * DAY }));
    expect(store.removeExpiredJobs(NOW).map((job) => job.id)).toEqual([jobs[0]?.id, jobs[1]?.id]);
    expect(store.listJobs().map((job) => job.id)).toEqual([jobs[2]?.id, jobs[3]?.id]);
  });

  it("keeps a project after its jobs expired, as upstream keeps projects", () => {
    const store = createStore();
    const project = store.createProject({ name: "p", now: NOW - 40 * DAY });
    addJob(store, { projectId: project.id, createdAt: NOW - 40 * DAY });
    store.removeExpiredJobs(NOW);
    expect(store.listJobs()).toEqual([]);
    expect(store.findProject(project.id)).toBe(project);
  });

  it("an expired #stall job, still running, no longer holds its project", () => {
    const store = createStore();
    const project = store.createProject({ name: "stuck #stall", now: NOW - 31 * DAY });
    const stalled = addJob(store, { projectId: project.id, createdAt: NOW - 31 * DAY, state: "running", tags: "#stall" });
    expect(store.findActiveJob(project.id)).toBe(stalled);
    expect(store.removeExpiredJobs(NOW)).toEqual([stalled]);
    expect(store.findActiveJob(project.id)).toBeUndefined();
  });
});

describe("the active job of a project", () => {
  it("is its newest job while that is queued or running, and nothing once it stopped", () => {
    const store = createStore();
    const project = store.createProject({ name: "p", now: NOW });
    const other = store.createProject({ name: "q", now: NOW });
    addJob(store, { projectId: project.id, createdAt: NOW - 2 });
    const running = addJob(store, { projectId: project.id, createdAt: NOW - 1, state: "running" });
    addJob(store, { projectId: other.id, createdAt: NOW, state: "queued" });
    expect(store.findActiveJob(project.id)).toBe(running);
    running.state = "cancelled";
    expect(store.findActiveJob(project.id)).toBeUndefined();
  });

  it("is forgotten by clear()", () => {
    const store = createStore();
    const project = store.createProject({ name: "p", now: NOW });
    addJob(store, { projectId: project.id, createdAt: NOW, state: "running" });
    store.clear();
    expect(store.findActiveJob(project.id)).toBeUndefined();
    expect(store.findProject(project.id)).toBeUndefined();
  });
});
