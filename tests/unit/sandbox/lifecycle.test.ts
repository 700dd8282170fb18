import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createClock } from "@/lib/sandbox/clock";
import type { JobRecord } from "@/lib/sandbox/jobs";
import { createLifecycle } from "@/lib/sandbox/lifecycle";
import { readScenario } from "@/lib/sandbox/scenarios";

function job(overrides: Partial<JobRecord> = {}): JobRecord {
  return {
    id: "project-agent-edit-x",
    seq: 1,
    projectId: "p",
    createdAt: Date.now(),
    spec: { type: "agent", prompt: "x", conversationId: "c", resolvedModel: "m" },
    scenario: readScenario([]),
    state: "queued",
    processingMs: 9,
    pendingUploads: new Set(),
    ...overrides,
  };
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe("the lifecycle's timers", () => {
  it("report a throwing onStop through reportError instead of crashing", async () => {
    const errors: string[] = [];
    const lifecycle = createLifecycle({
      speed: 1000,
      clock: createClock(),
      onStop: () => {
        throw new Error("sync failure");
      },
      reportError: (line) => errors.push(line),
    });
    const record = job();
    lifecycle.start(record);
    await vi.runAllTimersAsync();
    expect(record.state).toBe("stopped");
    expect(errors).toEqual([expect.stringContaining("sync failure")]);
  });

  it("report a rejecting onStop on cancel through reportError", async () => {
    const errors: string[] = [];
    const lifecycle = createLifecycle({
      speed: 1000,
      clock: createClock(),
      onStop: () => Promise.reject(new Error("async failure")),
      reportError: (line) => errors.push(line),
    });
    lifecycle.cancel(job({ state: "running" }));
    await vi.runAllTimersAsync();
    expect(errors).toEqual([expect.stringContaining("async failure")]);
  });

  it("report a step that throws inside its timer", async () => {
    const errors: string[] = [];
    let isBroken = false;
    const clock = createClock(() => {
      if (isBroken) throw new RangeError("clock broke");
      return 1_000_000;
    });
    const lifecycle = createLifecycle({ speed: 1000, clock, onStop: async () => {}, reportError: (line) => errors.push(line) });
    lifecycle.start(job());
    isBroken = true;
    await vi.runAllTimersAsync();
    expect(errors).toEqual([expect.stringContaining("clock broke")]);
  });

  it("schedule nothing once closed: no start, no upload-triggered work, no onStop", async () => {
    const stopped: string[] = [];
    const lifecycle = createLifecycle({
      speed: 1000,
      clock: createClock(),
      onStop: async (record) => void stopped.push(record.state),
      reportError: () => {},
    });
    const running = job({ id: "running", state: "running", pendingUploads: new Set(["a.mp4"]) });
    lifecycle.start(job({ id: "pending" }));
    lifecycle.close();
    expect(vi.getTimerCount()).toBe(0);
    lifecycle.start(job({ id: "late" }));
    lifecycle.receiveUpload(running, "a.mp4");
    lifecycle.cancel(job({ id: "cancelled", state: "running" }));
    expect(vi.getTimerCount()).toBe(0);
    await vi.runAllTimersAsync();
    expect(stopped).toEqual([]);
  });

  it("cut a delay too long for setTimeout instead of letting it fire at once", () => {
    const lifecycle = createLifecycle({ speed: 1e-9, clock: createClock(), onStop: async () => {}, reportError: () => {} });
    const record = job();
    lifecycle.start(record);
    vi.advanceTimersByTime(24 * 60 * 60 * 1000);
    expect(record.state).toBe("queued");
  });
});
