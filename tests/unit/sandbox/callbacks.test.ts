import { describe, expect, it } from "vitest";
import { createAttemptLog, createCallbackDispatcher, type DeliveryAttempt } from "@/lib/sandbox/callbacks";
import { createClock } from "@/lib/sandbox/clock";
import { readScenario } from "@/lib/sandbox/scenarios";

const attempt = (jobId: string, index: number): DeliveryAttempt => ({
  job_id: jobId,
  url: "http://127.0.0.1/hook",
  copy: 1,
  attempt: index,
  attempted_at: "2026-03-01T00:00:00.000Z",
  status: 500,
  body: {},
});

describe("the attempt log", () => {
  it("keeps only the newest attempts, oldest first", () => {
    const log = createAttemptLog(3);
    for (let index = 1; index <= 5; index += 1) log.record(attempt("a", index));
    expect(log.list().map((entry) => entry.attempt)).toEqual([3, 4, 5]);
  });

  it("filters by job and forgets the jobs it is told to", () => {
    const log = createAttemptLog();
    log.record(attempt("a", 1));
    log.record(attempt("b", 1));
    log.record(attempt("a", 2));
    expect(log.list("a").map((entry) => entry.attempt)).toEqual([1, 2]);
    log.forgetJobs(new Set(["a"]));
    expect(log.list().map((entry) => entry.job_id)).toEqual(["b"]);
  });
});

function createDispatcher() {
  const lines: string[] = [];
  const errors: string[] = [];
  const dispatcher = createCallbackDispatcher({
    speed: 1000,
    clock: createClock(),
    log: (line) => lines.push(line),
    logError: (line) => errors.push(line),
  });
  return { dispatcher, lines, errors };
}

describe("the callback dispatcher", () => {
  it("once closed, delivers nothing and settles at once", async () => {
    const { dispatcher } = createDispatcher();
    await dispatcher.close();
    // Port 9 would refuse: had an attempt been made, it would be recorded with its error.
    const progress = dispatcher.deliver({ jobId: "j", url: "http://127.0.0.1:9/", body: "{}", plan: readScenario([]).callback });
    await progress.firstAttempted;
    await progress.settled;
    expect(dispatcher.listAttempts()).toEqual([]);
  });

  it("reports a delivery that ends unexpectedly through logError", async () => {
    const { dispatcher, errors } = createDispatcher();
    const progress = dispatcher.deliver({ jobId: "j", url: "http://127.0.0.1:9/", body: "not json", plan: readScenario([]).callback });
    await progress.settled;
    expect(errors).toEqual([expect.stringMatching(/^callback j ended unexpectedly: SyntaxError/)]);
    await progress.firstAttempted;
  });

  it("records nothing and logs the decision for #drop", async () => {
    const { dispatcher, lines } = createDispatcher();
    await dispatcher.deliver({ jobId: "j", url: "http://127.0.0.1:9/", body: "{}", plan: readScenario(["#drop"]).callback }).settled;
    expect(lines).toEqual(["callback j dropped (#drop)"]);
    expect(dispatcher.listAttempts()).toEqual([]);
  });
});
