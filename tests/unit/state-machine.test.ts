import { describe, expect, test } from "vitest";
import {
  JOB_STATES,
  UPSTREAM_STATES,
  canReject,
  canRequestCancel,
  decideObservation,
  isTerminal,
  stateAfterFailedCancel,
  type CurrentJob,
  type Decision,
  type JobState,
  type Observation,
  type UpstreamState,
} from "@/lib/jobs/state-machine";

const T1 = new Date("2025-03-01T10:00:00.000Z");
const T2 = new Date("2025-03-01T10:00:05.000Z");
const T3 = new Date("2025-03-01T10:00:10.000Z");

const applied = (next: JobState): Decision => ({ verdict: "applied", next });
const duplicate = (next: JobState): Decision => ({ verdict: "duplicate", next });
const stale = (next: JobState): Decision => ({ verdict: "stale", next });

/**
 * Every (current state × incoming upstream state) pair, written out by hand from the rules:
 * - end states (stopped, cancelled, rejected) never regress: the same state is a duplicate, any
 *   other is stale;
 * - cancel_requested moves on only to stopped or cancelled;
 * - otherwise a higher rank applies, a lower rank is stale, and the same rank is a duplicate unless
 *   the observation carries newer progress than the job has.
 *
 * `plain` is the decision when neither side has a progress timestamp; `newerProgress` is the
 * decision when the observation carries a progress timestamp newer than the job's.
 */
const TABLE: Record<JobState, Record<UpstreamState, { plain: Decision; newerProgress: Decision }>> = {
  submitting: {
    queued: { plain: applied("queued"), newerProgress: applied("queued") },
    running: { plain: applied("running"), newerProgress: applied("running") },
    stopped: { plain: applied("stopped"), newerProgress: applied("stopped") },
    cancelled: { plain: applied("cancelled"), newerProgress: applied("cancelled") },
  },
  queued: {
    queued: { plain: duplicate("queued"), newerProgress: applied("queued") },
    running: { plain: applied("running"), newerProgress: applied("running") },
    stopped: { plain: applied("stopped"), newerProgress: applied("stopped") },
    cancelled: { plain: applied("cancelled"), newerProgress: applied("cancelled") },
  },
  running: {
    queued: { plain: stale("running"), newerProgress: stale("running") },
    running: { plain: duplicate("running"), newerProgress: applied("running") },
    stopped: { plain: applied("stopped"), newerProgress: applied("stopped") },
    cancelled: { plain: applied("cancelled"), newerProgress: applied("cancelled") },
  },
  cancel_requested: {
    queued: { plain: stale("cancel_requested"), newerProgress: stale("cancel_requested") },
    running: { plain: stale("cancel_requested"), newerProgress: stale("cancel_requested") },
    stopped: { plain: applied("stopped"), newerProgress: applied("stopped") },
    cancelled: { plain: applied("cancelled"), newerProgress: applied("cancelled") },
  },
  stopped: {
    queued: { plain: stale("stopped"), newerProgress: stale("stopped") },
    running: { plain: stale("stopped"), newerProgress: stale("stopped") },
    stopped: { plain: duplicate("stopped"), newerProgress: duplicate("stopped") },
    cancelled: { plain: stale("stopped"), newerProgress: stale("stopped") },
  },
  cancelled: {
    queued: { plain: stale("cancelled"), newerProgress: stale("cancelled") },
    running: { plain: stale("cancelled"), newerProgress: stale("cancelled") },
    stopped: { plain: stale("cancelled"), newerProgress: stale("cancelled") },
    cancelled: { plain: duplicate("cancelled"), newerProgress: duplicate("cancelled") },
  },
  rejected: {
    queued: { plain: stale("rejected"), newerProgress: stale("rejected") },
    running: { plain: stale("rejected"), newerProgress: stale("rejected") },
    stopped: { plain: stale("rejected"), newerProgress: stale("rejected") },
    cancelled: { plain: stale("rejected"), newerProgress: stale("rejected") },
  },
};

const PAIRS = JOB_STATES.flatMap((current) =>
  UPSTREAM_STATES.map((incoming) => ({ current, incoming, expected: TABLE[current][incoming] })),
);

describe("decideObservation over every pair of job state and upstream state", () => {
  test("the table covers all 7 job states and all 4 upstream states, 28 pairs", () => {
    expect(Object.keys(TABLE).sort()).toEqual([...JOB_STATES].sort());
    for (const state of JOB_STATES) expect(Object.keys(TABLE[state]).sort()).toEqual([...UPSTREAM_STATES].sort());
    expect(PAIRS).toHaveLength(28);
  });

  test.each(PAIRS)(
    "a $current job observed as $incoming without progress timestamps gets the verdict in the table",
    ({ current, incoming, expected }) => {
      const decision = decideObservation(
        { state: current, progressUpdatedAt: null },
        { state: incoming, progressUpdatedAt: null },
      );
      expect(decision).toEqual(expected.plain);
    },
  );

  test.each(PAIRS)(
    "a $current job observed as $incoming with newer progress gets the verdict in the table",
    ({ current, incoming, expected }) => {
      const decision = decideObservation(
        { state: current, progressUpdatedAt: T1 },
        { state: incoming, progressUpdatedAt: T2 },
      );
      expect(decision).toEqual(expected.newerProgress);
    },
  );

  test.each(PAIRS)(
    "a $current job observed as $incoming with older progress is never applied unless the state moves forward",
    ({ current, incoming, expected }) => {
      const decision = decideObservation(
        { state: current, progressUpdatedAt: T2 },
        { state: incoming, progressUpdatedAt: T1 },
      );
      // Older progress is not news: the same-state pairs fall back to their plain verdict.
      expect(decision).toEqual(expected.plain);
    },
  );

  test("a decision that is not applied always keeps the current state", () => {
    for (const { current, incoming } of PAIRS) {
      for (const [jobProgress, observedProgress] of [
        [null, null],
        [T1, T2],
        [T2, T1],
        [null, T1],
        [T1, null],
      ] as const) {
        const decision = decideObservation(
          { state: current, progressUpdatedAt: jobProgress },
          { state: incoming, progressUpdatedAt: observedProgress },
        );
        if (decision.verdict !== "applied") expect(decision.next).toBe(current);
      }
    }
  });
});

describe("decideObservation for a repeat of the current state", () => {
  test.each(["queued", "running"] as const)(
    "a %s observation with newer progress than the job's is applied and keeps the state",
    (state) => {
      expect(decideObservation({ state, progressUpdatedAt: T1 }, { state, progressUpdatedAt: T2 })).toEqual(applied(state));
    },
  );

  test.each(["queued", "running"] as const)(
    "a %s observation with the same progress timestamp as the job's is a duplicate",
    (state) => {
      const sameInstant = new Date(T1.getTime());
      expect(decideObservation({ state, progressUpdatedAt: T1 }, { state, progressUpdatedAt: sameInstant })).toEqual(
        duplicate(state),
      );
    },
  );

  test.each(["queued", "running"] as const)(
    "a %s observation with older progress than the job's is a duplicate",
    (state) => {
      expect(decideObservation({ state, progressUpdatedAt: T2 }, { state, progressUpdatedAt: T1 })).toEqual(duplicate(state));
    },
  );

  test.each(["queued", "running"] as const)(
    "a %s observation with progress is applied when the job has no progress yet",
    (state) => {
      expect(decideObservation({ state, progressUpdatedAt: null }, { state, progressUpdatedAt: T1 })).toEqual(applied(state));
    },
  );

  test.each(["queued", "running"] as const)(
    "a %s observation without progress is a duplicate even when the job has progress",
    (state) => {
      expect(decideObservation({ state, progressUpdatedAt: T1 }, { state, progressUpdatedAt: null })).toEqual(duplicate(state));
    },
  );

  test("a running observation one millisecond newer than the job's progress is applied", () => {
    const later = new Date(T1.getTime() + 1);
    expect(
      decideObservation({ state: "running", progressUpdatedAt: T1 }, { state: "running", progressUpdatedAt: later }),
    ).toEqual(applied("running"));
  });

  test.each(["stopped", "cancelled"] as const)(
    "an end state observed again with newer progress is still a duplicate (%s)",
    (state) => {
      expect(decideObservation({ state, progressUpdatedAt: T1 }, { state, progressUpdatedAt: T3 })).toEqual(duplicate(state));
    },
  );
});

// Folds observations the way the service applies them: an applied observation replaces the state,
// and its progress timestamp, when it has one, replaces the job's.
function fold(start: JobState, observations: readonly Observation[]): CurrentJob {
  let job: CurrentJob = { state: start, progressUpdatedAt: null };
  for (const observation of observations) {
    const decision = decideObservation(job, observation);
    if (decision.verdict === "applied") {
      job = { state: decision.next, progressUpdatedAt: observation.progressUpdatedAt ?? job.progressUpdatedAt };
    }
  }
  return job;
}

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, index) =>
    permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]),
  );
}

const obs = (state: UpstreamState, progressUpdatedAt: Date | null = null): Observation => ({ state, progressUpdatedAt });

describe("out-of-order deliveries converge", () => {
  test("the permutation helper yields every ordering exactly once", () => {
    const all = permutations([1, 2, 3, 4]);
    expect(all).toHaveLength(24);
    expect(new Set(all.map((p) => p.join(","))).size).toBe(24);
  });

  const scenarios: { name: string; start: JobState; observations: Observation[]; expected: CurrentJob }[] = [
    {
      name: "running@t1, running@t2, stopped from submitting end stopped",
      start: "submitting",
      observations: [obs("running", T1), obs("running", T2), obs("stopped")],
      expected: { state: "stopped", progressUpdatedAt: null },
    },
    {
      name: "running@t1, running@t2, stopped from queued end stopped",
      start: "queued",
      observations: [obs("running", T1), obs("running", T2), obs("stopped")],
      expected: { state: "stopped", progressUpdatedAt: null },
    },
    {
      name: "queued, running@t1, running@t2, running@t3, stopped from submitting end stopped",
      start: "submitting",
      observations: [obs("queued"), obs("running", T1), obs("running", T2), obs("running", T3), obs("stopped")],
      expected: { state: "stopped", progressUpdatedAt: null },
    },
    {
      name: "queued, running@t1, cancelled from queued end cancelled",
      start: "queued",
      observations: [obs("queued"), obs("running", T1), obs("cancelled")],
      expected: { state: "cancelled", progressUpdatedAt: null },
    },
    {
      name: "running@t1, running@t2, cancelled from cancel_requested end cancelled",
      start: "cancel_requested",
      observations: [obs("running", T1), obs("running", T2), obs("cancelled")],
      expected: { state: "cancelled", progressUpdatedAt: null },
    },
    {
      name: "queued, running@t1, running@t3, running@t2 from submitting end running with the newest progress",
      start: "submitting",
      observations: [obs("queued"), obs("running", T1), obs("running", T3), obs("running", T2)],
      expected: { state: "running", progressUpdatedAt: T3 },
    },
    {
      name: "a repeated stopped callback among running polls from queued ends stopped",
      start: "queued",
      observations: [obs("running", T1), obs("stopped"), obs("stopped"), obs("running", T2)],
      expected: { state: "stopped", progressUpdatedAt: null },
    },
  ];

  test.each(scenarios)("every ordering of $name", ({ start, observations, expected }) => {
    const orderings = permutations(observations);
    const outcomes = orderings.map((ordering) => fold(start, ordering));
    for (const outcome of outcomes) expect(outcome.state).toBe(expected.state);
    // The terminal cases end on whatever progress was last applied; only the state must converge.
    // For a job that ends running, the newest progress must win whatever the order.
    if (!isTerminal(expected.state)) {
      for (const outcome of outcomes) expect(outcome.progressUpdatedAt).toEqual(expected.progressUpdatedAt);
    }
  });

  test("delivering the same observations twice over ends where delivering them once does", () => {
    const observations = [obs("queued"), obs("running", T1), obs("running", T2), obs("stopped")];
    for (const ordering of permutations(observations)) {
      expect(fold("submitting", [...ordering, ...ordering])).toEqual(fold("submitting", ordering));
    }
  });

  test("a job rejected at submission stays rejected whatever upstream reports afterwards", () => {
    for (const ordering of permutations([obs("queued"), obs("running", T1), obs("stopped"), obs("cancelled")])) {
      expect(fold("rejected", ordering).state).toBe("rejected");
    }
  });
});

describe("what each state allows", () => {
  // Per state: is it an end state, may a cancel be requested, may upstream's refusal reject it.
  const expected: Record<JobState, { terminal: boolean; cancellable: boolean; rejectable: boolean }> = {
    submitting: { terminal: false, cancellable: false, rejectable: true },
    rejected: { terminal: true, cancellable: false, rejectable: false },
    queued: { terminal: false, cancellable: true, rejectable: false },
    running: { terminal: false, cancellable: true, rejectable: false },
    cancel_requested: { terminal: false, cancellable: false, rejectable: false },
    stopped: { terminal: true, cancellable: false, rejectable: false },
    cancelled: { terminal: true, cancellable: false, rejectable: false },
  };

  test.each(JOB_STATES.map((state) => ({ state, ...expected[state] })))(
    "a $state job: terminal $terminal, cancellable $cancellable, rejectable $rejectable",
    ({ state, terminal, cancellable, rejectable }) => {
      expect(isTerminal(state)).toBe(terminal);
      expect(canRequestCancel(state)).toBe(cancellable);
      expect(canReject(state)).toBe(rejectable);
    },
  );
});

describe("stateAfterFailedCancel", () => {
  const befores: JobState[] = ["queued", "running"];

  test.each(UPSTREAM_STATES.flatMap((reported) => befores.map((before) => ({ reported, before }))))(
    "a failed cancel of a job that was $before goes to $reported when upstream reports $reported",
    ({ reported, before }) => {
      expect(stateAfterFailedCancel(reported, before)).toBe(reported);
    },
  );

  test.each(befores)("a failed cancel goes back to %s when upstream cannot be asked", (before) => {
    expect(stateAfterFailedCancel(null, before)).toBe(before);
  });
});
