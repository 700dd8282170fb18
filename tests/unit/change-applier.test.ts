// A tab's pace for applying pushed rows (components/jobs/change-applier.ts), on a fake clock.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createChangeApplier, RENDER_MS } from "@/components/jobs/change-applier";
import type { JobSummary } from "@/lib/jobs/api-types";

const row = (id: string, updatedAt: string) => ({ id, updatedAt }) as JobSummary;
const SHOWN = new Set(["shown-1", "shown-2"]);

function applierUnderTest() {
  const applied: Array<{ at: number; ids: string[]; created: string[] }> = [];
  const applier = createChangeApplier({
    isShown: (jobs) => jobs.some((job) => SHOWN.has(job.id)),
    apply: ({ jobs, created }) => applied.push({ at: Date.now(), ids: jobs.map((job) => job.id).sort(), created }),
  });
  return { applier, applied };
}

describe("applying pushed rows in a tab", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
  });
  afterEach(() => vi.useRealTimers());

  it("applies the first change to a shown row at once, and the next ones at most every RENDER_MS, merged", () => {
    const { applier, applied } = applierUnderTest();
    applier.add([row("shown-1", "2026-01-01T00:00:01Z")], []);
    vi.advanceTimersByTime(0);
    expect(applied).toEqual([{ at: 0, ids: ["shown-1"], created: [] }]);
    vi.advanceTimersByTime(50);
    applier.add([row("shown-1", "2026-01-01T00:00:02Z")], []);
    vi.advanceTimersByTime(50);
    applier.add([row("shown-2", "2026-01-01T00:00:03Z")], ["shown-2"]);
    vi.advanceTimersByTime(RENDER_MS - 101);
    expect(applied).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(applied[1]).toEqual({ at: RENDER_MS, ids: ["shown-1", "shown-2"], created: ["shown-2"] });
  });

  it("applies changes to rows not shown at once, and they never hold back the next change to a shown row", () => {
    const { applier, applied } = applierUnderTest();
    applier.add([row("shown-1", "2026-01-01T00:00:01Z")], []);
    vi.advanceTimersByTime(300);
    // Another job changes every 100 ms (the worker flagging others as stuck, say).
    for (let tick = 0; tick < 3; tick++) {
      applier.add([row(`elsewhere-${tick}`, "2026-01-01T00:00:01Z")], []);
      vi.advanceTimersByTime(0);
      expect(applied.at(-1)?.at).toBe(Date.now());
      vi.advanceTimersByTime(100);
    }
    const before = applied.length;
    applier.add([row("shown-1", "2026-01-01T00:00:02Z")], []);
    vi.advanceTimersByTime(0);
    expect(applied).toHaveLength(before + 1);
    expect(applied.at(-1)).toEqual({ at: 600, ids: ["shown-1"], created: [] });
  });

  it("holds a pending change to a row not shown once a shown row joins it within RENDER_MS, and keeps the newest copy", () => {
    const { applier, applied } = applierUnderTest();
    applier.add([row("shown-1", "2026-01-01T00:00:01Z")], []);
    vi.advanceTimersByTime(100);
    applier.add([row("elsewhere", "2026-01-01T00:00:01Z")], []);
    applier.add([row("shown-1", "2026-01-01T00:00:03Z")], []);
    applier.add([row("shown-1", "2026-01-01T00:00:02Z")], []);
    vi.advanceTimersByTime(RENDER_MS - 101);
    expect(applied).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(applied[1]).toEqual({ at: RENDER_MS, ids: ["elsewhere", "shown-1"], created: [] });
  });

  it("applies nothing after stop", () => {
    const { applier, applied } = applierUnderTest();
    applier.add([row("elsewhere", "2026-01-01T00:00:01Z")], []);
    applier.stop();
    vi.advanceTimersByTime(RENDER_MS * 4);
    expect(applied).toEqual([]);
  });
});
