// A tab's pace for applying pushed rows (components/jobs/change-applier.ts), on a fake clock.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createChangeApplier, MAX_HELD_JOBS, RENDER_MS } from "@/components/jobs/change-applier";
import type { JobSummary } from "@/lib/jobs/api-types";

const row = (id: string, updatedAt: string) => ({ id, updatedAt }) as JobSummary;
const SHOWN = new Set(["shown-1", "shown-2"]);

function applierUnderTest() {
  const applied: Array<{ at: number; ids: string[]; created: string[]; updatedAt: string[] }> = [];
  const tab = { isHidden: false, overflows: 0 };
  const applier = createChangeApplier({
    isShown: (jobs) => jobs.some((job) => SHOWN.has(job.id)),
    isHidden: () => tab.isHidden,
    apply: ({ jobs, created }) => {
      const sorted = [...jobs].sort((a, b) => a.id.localeCompare(b.id));
      applied.push({ at: Date.now(), ids: sorted.map((job) => job.id), created, updatedAt: sorted.map((job) => job.updatedAt) });
    },
    onOverflow: () => (tab.overflows += 1),
  });
  return { applier, applied, tab };
}

/** What was applied, without the rows' stamps (most cases only care which rows and when). */
const batches = (applied: ReturnType<typeof applierUnderTest>["applied"]) => applied.map(({ at, ids, created }) => ({ at, ids, created }));

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
    expect(batches(applied)).toEqual([{ at: 0, ids: ["shown-1"], created: [] }]);
    vi.advanceTimersByTime(50);
    applier.add([row("shown-1", "2026-01-01T00:00:02Z")], []);
    vi.advanceTimersByTime(50);
    applier.add([row("shown-2", "2026-01-01T00:00:03Z")], ["shown-2"]);
    vi.advanceTimersByTime(RENDER_MS - 101);
    expect(applied).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(batches(applied)[1]).toEqual({ at: RENDER_MS, ids: ["shown-1", "shown-2"], created: ["shown-2"] });
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
    expect(batches(applied).at(-1)).toEqual({ at: 600, ids: ["shown-1"], created: [] });
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
    expect(batches(applied)[1]).toEqual({ at: RENDER_MS, ids: ["elsewhere", "shown-1"], created: [] });
  });

  it("applies nothing after stop", () => {
    const { applier, applied } = applierUnderTest();
    applier.add([row("elsewhere", "2026-01-01T00:00:01Z")], []);
    applier.stop();
    vi.advanceTimersByTime(RENDER_MS * 4);
    expect(applied).toEqual([]);
  });

  it("in a hidden tab applies nothing, holds the newest copy of each job, and applies it all at once when shown", () => {
    const { applier, applied, tab } = applierUnderTest();
    tab.isHidden = true;
    for (let second = 1; second <= 9; second++) {
      applier.add([row("shown-1", `2026-01-01T00:00:0${second}Z`)], []);
      applier.add([row("elsewhere", `2026-01-01T00:00:0${second}Z`)], second === 1 ? ["elsewhere"] : []);
      vi.advanceTimersByTime(RENDER_MS);
    }
    expect(applied).toEqual([]);
    tab.isHidden = false;
    applier.resume();
    expect(applied).toEqual([{ at: 9 * RENDER_MS, ids: ["elsewhere", "shown-1"], created: ["elsewhere"], updatedAt: ["2026-01-01T00:00:09Z", "2026-01-01T00:00:09Z"] }]);
    // Shown again, the tab keeps its pace: the next change to a shown row waits for RENDER_MS.
    applier.add([row("shown-1", "2026-01-01T00:00:10Z")], []);
    vi.advanceTimersByTime(RENDER_MS - 1);
    expect(applied).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(applied).toHaveLength(2);
  });

  it("holds what was pending when the tab was hidden, rather than applying it behind the user's back", () => {
    const { applier, applied, tab } = applierUnderTest();
    applier.add([row("shown-1", "2026-01-01T00:00:01Z")], []);
    vi.advanceTimersByTime(0);
    applier.add([row("shown-1", "2026-01-01T00:00:02Z")], []);
    tab.isHidden = true;
    applier.add([row("shown-2", "2026-01-01T00:00:03Z")], []);
    vi.advanceTimersByTime(RENDER_MS * 4);
    expect(applied).toHaveLength(1);
    tab.isHidden = false;
    applier.resume();
    expect(batches(applied)[1]).toEqual({ at: RENDER_MS * 4, ids: ["shown-1", "shown-2"], created: [] });
  });

  it("past MAX_HELD_JOBS a hidden tab forgets what it held and, once shown, reads what it shows again instead", () => {
    const { applier, applied, tab } = applierUnderTest();
    tab.isHidden = true;
    for (let index = 0; index <= MAX_HELD_JOBS; index++) applier.add([row(`job-${index}`, "2026-01-01T00:00:01Z")], []);
    applier.add([row("shown-1", "2026-01-01T00:00:02Z")], []);
    tab.isHidden = false;
    applier.resume();
    expect(applied).toEqual([]);
    expect(tab.overflows).toBe(1);
    // After the read, changes apply as before.
    applier.add([row("shown-1", "2026-01-01T00:00:03Z")], []);
    vi.advanceTimersByTime(0);
    expect(batches(applied)).toEqual([{ at: 0, ids: ["shown-1"], created: [] }]);
  });

  it("when shown with nothing held, applies nothing", () => {
    const { applier, applied, tab } = applierUnderTest();
    tab.isHidden = true;
    applier.resume();
    tab.isHidden = false;
    applier.resume();
    expect(applied).toEqual([]);
    expect(tab.overflows).toBe(0);
  });
});
