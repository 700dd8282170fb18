// The live bench's callback sender, in a process of its own so that the browser's automation in the
// bench's process never delays a send or the reading of an answer (scripts/perf/live.ts). Reads its
// task as JSON on argv[2]; prints one JSON line with what it sent and when.
import { monitorEventLoopDelay } from "node:perf_hooks";
import { sendProgress, sleep, type SeededJob } from "./harness";

interface Task {
  appUrl: string;
  secret: string;
  jobs: SeededJob[];
  observedId: string;
  firstStep: number;
  rate: number;
  seconds: number;
}

const task = JSON.parse(process.argv[2]!) as Task;

const lag = monitorEventLoopDelay({ resolution: 5 });
lag.enable();
const steps = new Map(task.jobs.map((job) => [job.id, task.firstStep]));
const result = { sent: 0, acknowledged: 0, answerMs: [] as number[], sentAt: [] as Array<[number, number]>, answeredAt: [] as Array<[number, number]>, seconds: 0, steps: {} as Record<string, number>, lagP99Ms: 0 };
const inFlight = new Set<Promise<void>>();
const started = Date.now();
const until = started + task.seconds * 1000;
// Paced, not as fast as possible: callbacks due by now are sent now, whatever the answers' speed.
while (Date.now() < until) {
  const due = Math.floor(((Date.now() - started) / 1000) * task.rate);
  while (result.sent < due) {
    const job = task.jobs[result.sent % task.jobs.length]!;
    const step = steps.get(job.id)! + 1;
    steps.set(job.id, step);
    const isObserved = job.id === task.observedId;
    if (isObserved) result.sentAt.push([step, Date.now()]);
    result.sent += 1;
    const request = sendProgress(task.appUrl, task.secret, job, step).then(({ ok, ms }) => {
      if (ok) result.acknowledged += 1;
      if (isObserved) result.answeredAt.push([step, Date.now()]);
      result.answerMs.push(ms);
    });
    inFlight.add(request);
    void request.finally(() => inFlight.delete(request));
  }
  await sleep(2);
}
result.seconds = (Date.now() - started) / 1000;
await Promise.all(inFlight);
result.steps = Object.fromEntries(steps);
result.lagP99Ms = Math.round(lag.percentile(99) / 1e6);
process.stdout.write(`${JSON.stringify(result)}\n`);
