import { describe, expect, it } from "vitest";
import { describeProgress, type JobRecord } from "@/lib/sandbox/jobs";
import { readScenario } from "@/lib/sandbox/scenarios";

const START = Date.parse("2026-03-01T12:00:00.000Z");

function runningJob(overrides: Partial<JobRecord> = {}): JobRecord {
  return {
    id: "project-media-import-x",
    seq: 1,
    projectId: "p",
    createdAt: START - 1000,
    spec: { type: "import/project_media", media: [], compositionNames: [] },
    scenario: readScenario([]),
    state: "running",
    runningAt: START,
    processingAt: START,
    processingMs: 10_000,
    pendingUploads: new Set(),
    ...overrides,
  };
}

describe("describeProgress", () => {
  it("advances with time, changes its label, and never claims 100 % while running", () => {
    const job = runningJob();
    const samples = [0, 2_000, 5_000, 9_000, 60_000].map((elapsed) => describeProgress(job, START + elapsed));
    expect(samples.map((sample) => sample.percent)).toEqual([0, 20, 50, 90, 99]);
    expect(new Set(samples.map((sample) => sample.label)).size).toBe(3);
  });

  it("dates last_update_at to when the percentage last changed, never later than now", () => {
    const progress = describeProgress(runningJob(), START + 2_050);
    expect(progress.percent).toBe(20);
    expect(progress.last_update_at).toBe(new Date(START + 2_000).toISOString());
  });

  it("freezes a #stall job's progress part-way, forever", () => {
    const job = runningJob({ scenario: readScenario(["#stall"]) });
    const frozen = describeProgress(job, START + 3_000);
    expect(frozen.percent).toBe(30);
    expect(describeProgress(job, START + 3_600_000)).toEqual(frozen);
  });

  it("shows a direct-upload import waiting at 0 % until its bytes arrive", () => {
    const job = runningJob({ processingAt: undefined, pendingUploads: new Set(["a.mp4"]) });
    expect(describeProgress(job, START + 50_000)).toEqual({
      label: "Waiting for upload",
      percent: 0,
      last_update_at: new Date(START).toISOString(),
    });
  });
});
