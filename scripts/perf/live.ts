// The bench's live part: callback sent → the row changed in a real Chromium tab, measured by a
// MutationObserver in the page (same machine, same clock). Idle with one tab, then with
// BENCH_LIVE_TABS tabs of one browser open while callbacks arrive at BENCH_LIVE_RATE per second;
// the /api/jobs requests those tabs make meanwhile are counted (docs/decisions/0015).
import path from "node:path";
import { spawn } from "node:child_process";
import { chromium, type Browser, type BrowserContext, type Page } from "@playwright/test";
import type pg from "pg";
import type { Row } from "./report";
import { CHROMIUM_ARGS, chromiumPath } from "../chromium";
import { exitCodeOf, ROOT } from "../stack";
import { percentiles, progressCallback, seedRunningJobs, sleep, type RunAuth, type SeededJob } from "./harness";

const numberFrom = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);

export const LIVE_SETTINGS = {
  liveSamples: numberFrom("BENCH_LIVE_SAMPLES", 50),
  liveTabs: numberFrom("BENCH_LIVE_TABS", 20),
  liveRate: numberFrom("BENCH_LIVE_RATE", 300),
  liveSeconds: numberFrom("BENCH_LIVE_SECONDS", 10),
};

/** The jobs the callbacks go to: a first page's worth, so every callback changes a row on screen. */
const PAGE_JOBS = 25;
/** Steps of the loaded part start here, above the idle part's. */
const LOADED_FIRST_STEP = 100_000;
const WARM_UP_SECONDS = 3;

/**
 * Headless Chromium as the e2e tests run it, plus the flags that keep background tabs from being
 * throttled: twenty tabs of one window are nineteen background tabs, whose timers Chromium would
 * otherwise slow to once a second or less.
 */
function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      ...CHROMIUM_ARGS,
      "--disable-renderer-backgrounding",
      "--disable-background-timer-throttling",
      "--disable-backgrounding-occluded-windows",
      "--disable-features=CalculateNativeWinOcclusion,IntensiveWakeUpThrottling",
    ],
  });
}

type SeenWindow = Window & { benchSeen: Map<string, number> };

/** Opens the job table in a new tab and waits until it is live and shows `job`. */
async function openTable(context: BrowserContext, appUrl: string, job: SeededJob): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${appUrl}/jobs`);
  await page.locator(`tr[data-job-id="${job.id}"]`).waitFor({ timeout: 60_000 });
  await page.getByText("Live", { exact: true }).waitFor({ timeout: 60_000 });
  return page;
}

/** The page records when the job's row first shows each step ("step N" is the progress label). */
async function observeSteps(page: Page, job: SeededJob): Promise<void> {
  await page.evaluate((id) => {
    const seen = new Map<string, number>();
    (window as unknown as SeenWindow).benchSeen = seen;
    new MutationObserver(() => {
      const step = document.querySelector(`tr[data-job-id="${id}"]`)?.textContent?.match(/step (\d+)/)?.[1];
      if (step && !seen.has(step)) seen.set(step, Date.now());
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  }, job.id);
}

/** Sends one callback; answers whether it was acknowledged, and after how many ms. */
async function postCallback(appUrl: string, secret: string, job: SeededJob, step: number): Promise<{ ok: boolean; ms: number }> {
  const callback = progressCallback(secret, job, step);
  const started = performance.now();
  try {
    const answer = await fetch(`${appUrl}${callback.path}`, { method: "POST", headers: { "content-type": "application/json" }, body: callback.body });
    await answer.arrayBuffer();
    return { ok: answer.ok, ms: performance.now() - started };
  } catch {
    return { ok: false, ms: performance.now() - started };
  }
}

interface PacedLoad {
  sent: number;
  acknowledged: number;
  answerMs: number[];
  /** When each of the observed job's steps was sent, and answered. */
  sentAt: Map<number, number>;
  answeredAt: Map<number, number>;
  seconds: number;
  /** The sender's own event-loop delay, p99: whether it kept its pace. */
  lagP99Ms: number;
}

/**
 * Callbacks at BENCH_LIVE_RATE for BENCH_LIVE_SECONDS, round-robin over `jobs`, each a step above
 * the job's last (`steps` is advanced), sent by scripts/perf/live-sender.ts in a process of its own:
 * in this one, driving twenty tabs delayed sends and answers by up to a second.
 */
async function pacedCallbacks({
  appUrl,
  secret,
  jobs,
  observed,
  steps,
  seconds = LIVE_SETTINGS.liveSeconds,
}: {
  appUrl: string;
  secret: string;
  jobs: SeededJob[];
  observed: SeededJob;
  steps: Map<string, number>;
  seconds?: number;
}): Promise<PacedLoad> {
  const firstStep = Math.max(...steps.values());
  const task = { appUrl, secret, jobs, observedId: observed.id, firstStep, rate: LIVE_SETTINGS.liveRate, seconds };
  const sender = spawn(path.join(ROOT, "node_modules/.bin/tsx"), ["scripts/perf/live-sender.ts", JSON.stringify(task)], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
  let output = "";
  sender.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const code = await exitCodeOf(sender);
  if (code !== 0) throw new Error(`the live sender exited with ${code}`);
  const result = JSON.parse(output.trim().split("\n").at(-1)!) as {
    sent: number;
    acknowledged: number;
    answerMs: number[];
    sentAt: Array<[number, number]>;
    answeredAt: Array<[number, number]>;
    seconds: number;
    steps: Record<string, number>;
    lagP99Ms: number;
  };
  for (const [id, step] of Object.entries(result.steps)) steps.set(id, step);
  return { ...result, sentAt: new Map(result.sentAt), answeredAt: new Map(result.answeredAt) };
}

export async function benchLive({ db, appUrl, secret, auth, log }: { db: pg.Pool; appUrl: string; secret: string; auth: RunAuth; log: (line: string) => void }): Promise<Row[]> {
  const jobs = await seedRunningJobs(db, PAGE_JOBS, "bench live");
  // Newest of all, so they are the first page (the observed one, jobs[0], its first row).
  await db.query(
    "UPDATE jobs SET created_at = now() + interval '1 hour' - listed.n * interval '1 ms' FROM unnest($1::uuid[]) WITH ORDINALITY AS listed(id, n) WHERE jobs.id = listed.id",
    [jobs.map((job) => job.id)],
  );
  const observed = jobs[0]!;
  const browser = await launchBrowser();
  try {
    // The key goes with every request of the browser (pages, fetches, the change stream).
    const context = await browser.newContext({ extraHTTPHeaders: auth });
    const streams: string[] = [];
    const listRequests: string[] = [];
    const allRequests: string[] = [];
    context.on("request", (sent) => {
      const url = new URL(sent.url());
      allRequests.push(url.pathname.replace(/[0-9a-f-]{36}/g, ":id"));
      if (url.pathname === "/api/jobs/changes") streams.push(sent.url());
      if (url.pathname === "/api/jobs") listRequests.push(sent.url());
    });

    log("live: idle, one tab");
    const first = await openTable(context, appUrl, observed);
    await observeSteps(first, observed);
    await sleep(1_000);
    const idle: number[] = [];
    for (let step = 1; step <= LIVE_SETTINGS.liveSamples; step++) {
      const sentAt = Date.now();
      if (!(await postCallback(appUrl, secret, observed, step)).ok) throw new Error("live callback was not acknowledged");
      const shownAt = await first.waitForFunction((key) => (window as unknown as SeenWindow).benchSeen.get(key), String(step), { timeout: 30_000 });
      idle.push(((await shownAt.jsonValue()) as number) - sentAt);
      await sleep(300);
    }

    log(`live: opening ${LIVE_SETTINGS.liveTabs} tabs`);
    const pages = [first];
    while (pages.length < LIVE_SETTINGS.liveTabs) pages.push(await openTable(context, appUrl, observed));
    // The last tab opened is a follower: what it shows came through the leader's relay.
    const watched = pages.at(-1)!;
    await observeSteps(watched, observed);
    await sleep(2_000);

    // Warmed up as the callback part warms its servers: each freshly opened tab compiles its update
    // path on its first changes, and twenty renderers doing that at once took both cores for the
    // first seconds of the flood, which its callbacks then queued behind.
    log(`live: warming up the ${pages.length} tabs (callbacks at ${LIVE_SETTINGS.liveRate}/s for ${WARM_UP_SECONDS} s)`);
    const steps = new Map(jobs.map((job) => [job.id, LOADED_FIRST_STEP]));
    await pacedCallbacks({ appUrl, secret, jobs, observed, steps, seconds: WARM_UP_SECONDS });
    await sleep(3_000);

    log(`live: callbacks at ${LIVE_SETTINGS.liveRate}/s for ${LIVE_SETTINGS.liveSeconds} s with ${pages.length} tabs open`);
    const listBefore = listRequests.length;
    const allBefore = allRequests.length;
    const streamsBefore = streams.length;
    const load = await pacedCallbacks({ appUrl, secret, jobs, observed, steps });
    const { sent, acknowledged, answerMs, sentAt, answeredAt, seconds: sendingSeconds } = load;
    await sleep(3_000); // the last changes reach the tabs
    const listDuring = listRequests.slice(listBefore);
    const byPath = new Map<string, number>();
    for (const pathname of allRequests.slice(allBefore)) byPath.set(pathname, (byPath.get(pathname) ?? 0) + 1);
    log(`live: requests from the tabs during the load: ${JSON.stringify(Object.fromEntries(byPath))}`);
    const seen = new Map(await watched.evaluate(() => [...(window as unknown as SeenWindow).benchSeen.entries()]));
    const loaded = [...sentAt].flatMap(([step, at]) => {
      const shownAt = seen.get(String(step));
      return shownAt === undefined ? [] : [shownAt - at];
    });
    // The live path's own share: from the app's answer to the callback to the row changing.
    const afterAnswer = [...answeredAt].flatMap(([step, at]) => {
      const shownAt = seen.get(String(step));
      return shownAt === undefined ? [] : [Math.max(0, shownAt - at)];
    });
    const lastStep = Math.max(...sentAt.keys());
    const isCaughtUp = seen.has(String(lastStep));

    // The same load with no tab open: no stream, so the hub reads nothing. What ingestion alone answers.
    await context.close();
    await sleep(3_000);
    log(`live: the same callbacks with no tab open`);
    const alone = await pacedCallbacks({ appUrl, secret, jobs, observed, steps });
    const aloneFigures = percentiles(alone.answerMs);

    const idleFigures = percentiles(idle);
    const answerFigures = percentiles(answerMs);
    const afterAnswerFigures = percentiles(afterAnswer);
    const loadedFigures = percentiles(loaded);
    const tabs = pages.length;
    const group = `Live latency (callback sent → row changed in Chromium)`;
    const where = `${tabs} tabs, callbacks at ${LIVE_SETTINGS.liveRate}/s for ${LIVE_SETTINGS.liveSeconds} s to the ${PAGE_JOBS} jobs on screen`;
    return [
      { group, measure: `idle, 1 tab: p50 / p95 ms (${idle.length} samples)`, jobdeck: `${idleFigures.p50} / ${idleFigures.p95}`, baseline: "", ratio: null, target: "p95 < 150 ms", met: idleFigures.p95 < 150 },
      {
        group,
        measure: `${where}: p50 / p95 ms in the last tab opened (${loaded.length} of ${sentAt.size} of its job's steps shown; the rest were overtaken within a batch${isCaughtUp ? "" : "; the last step never shown"})`,
        jobdeck: `${loadedFigures.p50} / ${loadedFigures.p95}`,
        baseline: "",
        ratio: null,
        target: "p95 < 500 ms",
        met: loaded.length > 0 && isCaughtUp && loadedFigures.p95 < 500,
      },
      {
        group,
        measure: `${where}: the same steps from the callback's answer to the row changing, p50 / p95 ms (the live path without ingestion's queue)`,
        jobdeck: `${afterAnswerFigures.p50} / ${afterAnswerFigures.p95}`,
        baseline: "",
        ratio: null,
        target: "",
        met: null,
      },
      {
        group,
        measure: `${where}: callbacks sent / acknowledged (${Math.round((sent / sendingSeconds) * 10) / 10}/s achieved by a sender of its own, event-loop delay p99 ${load.lagP99Ms} ms); baseline: the same load with no tab open`,
        jobdeck: `${sent} / ${acknowledged}`,
        baseline: `${alone.sent} / ${alone.acknowledged}`,
        ratio: null,
        target: "all acknowledged",
        met: acknowledged === sent,
      },
      {
        group,
        measure: `${where}: callback answered in p50 / p95 ms (part of the latency above); baseline: the same load with no tab open`,
        jobdeck: `${answerFigures.p50} / ${answerFigures.p95}`,
        baseline: `${aloneFigures.p50} / ${aloneFigures.p95}`,
        ratio: answerFigures.p95 / aloneFigures.p95,
        target: "",
        met: null,
      },
      {
        group,
        measure: `${where}: /api/jobs requests from all tabs meanwhile (${listDuring.filter((url) => new URL(url).searchParams.has("ids")).length} of them by ids)`,
        jobdeck: listDuring.length,
        baseline: "",
        ratio: null,
        target: "counted",
        met: null,
      },
      {
        group,
        measure: `change streams the ${tabs} tabs hold (one leader tab relays to the others)`,
        jobdeck: streams.length,
        baseline: "",
        ratio: null,
        target: "1",
        met: streams.length === 1 && streams.length === streamsBefore,
      },
    ];
  } finally {
    await browser.close();
  }
}
