// The bench's live part: callback sent → the row changed in a real Chromium tab, measured by a
// MutationObserver in the page (same machine, same clock). Idle with one tab, then with
// BENCH_LIVE_TABS tabs open while callbacks arrive at BENCH_LIVE_RATE per second, twice: as shown
// pages of Playwright's browser, and as tabs of one window with one in front (tab-window.ts); the
// /api/jobs requests those tabs make meanwhile are counted (docs/decisions/0015).
import path from "node:path";
import { spawn } from "node:child_process";
import { chromium, type Browser, type BrowserContext, type Page } from "@playwright/test";
import type pg from "pg";
import type { BenchResults, Row } from "./report";
import { CHROMIUM_ARGS, chromiumPath } from "../chromium";
import { exitCodeOf, ROOT } from "../stack";
import { percentiles, seedRunningJobs, sendProgress, sleep, type RunAuth, type SeededJob } from "./harness";
import { canOpenTabWindow, TabWindow, type Tab } from "./tab-window";

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
 * Headless Chromium as the e2e tests run it, plus the flags that keep any of its pages from being
 * backgrounded or throttled: these are the "each shown" pages, and must all render every change.
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

// Run in the page: arrow functions, so that their source is whole for a tab of the window
// (`inPage`); Playwright's pages take them as they are (the app's CSP forbids evaluating strings there).
/** Records when the job's row first shows each step ("step N" is its progress label). */
const observeSteps = (jobId: string) => {
  const seen = new Map<string, number>();
  (window as unknown as SeenWindow).benchSeen = seen;
  new MutationObserver(() => {
    const step = document.querySelector(`tr[data-job-id="${jobId}"]`)?.textContent?.match(/step (\d+)/)?.[1];
    if (step && !seen.has(step)) seen.set(step, Date.now());
  }).observe(document.body, { subtree: true, childList: true, characterData: true });
};
const readSeen = () => [...(window as unknown as SeenWindow).benchSeen.entries()];
const seenAt = (step: string) => (window as unknown as SeenWindow).benchSeen.get(step);
/** The table is live and shows the job's row. */
const isLiveWith = (jobId: string) => Boolean(document.querySelector(`tr[data-job-id="${jobId}"]`) && [...document.querySelectorAll("p")].some((p) => p.textContent === "Live"));
/** `run(argument)` as an expression for a tab of the window. */
const inPage = <A>(run: (argument: A) => unknown, argument: A) => `(${run.toString()})(${JSON.stringify(argument)})`;

/** Opens the job table in a new page and waits until it is live and shows `job`. */
async function openTable(context: BrowserContext, appUrl: string, job: SeededJob): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${appUrl}/jobs`);
  await page.waitForFunction(isLiveWith, job.id, { timeout: 60_000 });
  return page;
}

/** Twenty open tables, however they are opened, and what the bench reads of them. */
interface OpenTables {
  /** The observed job's steps the watched tab showed, and when. */
  seen(): Promise<Map<string, number>>;
  /** Every request the tabs sent so far (URLs). */
  requests: string[];
  close(): Promise<void>;
}

/**
 * LIVE_TABS pages of Playwright's browser: each counts as shown, as twenty windows side by side
 * would, so every one of them renders every change. The last opened is watched (a follower).
 */
async function openShownPages(context: BrowserContext, appUrl: string, first: Page, observed: SeededJob, requests: string[]): Promise<OpenTables> {
  const pages = [first];
  while (pages.length < LIVE_SETTINGS.liveTabs) pages.push(await openTable(context, appUrl, observed));
  const watched = pages.at(-1)!;
  await watched.evaluate(observeSteps, observed.id);
  return {
    seen: async () => new Map(await watched.evaluate(readSeen)),
    requests,
    close: () => context.close(),
  };
}

/**
 * LIVE_TABS tabs of one window of a headed Chromium (scripts/perf/tab-window.ts): the watched tab,
 * opened last and so a follower, is in front; the others are behind it, hidden, as a person's
 * other tabs are.
 */
async function openWindowOfTabs(appUrl: string, auth: RunAuth, observed: SeededJob): Promise<OpenTables> {
  const window = await TabWindow.open();
  const requests: string[] = [];
  window.onRequest((url) => requests.push(url));
  try {
    const tabs: Tab[] = [];
    // One at a time, as the pages are opened: the first becomes the leader.
    while (tabs.length < LIVE_SETTINGS.liveTabs) {
      const tab = await window.openTab(`${appUrl}/jobs`, auth);
      await window.waitFor(tab, inPage(isLiveWith, observed.id), `tab ${tabs.length + 1} to show the live table`);
      tabs.push(tab);
    }
    await window.closeOtherTabs(tabs);
    const watched = tabs.at(-1)!;
    await window.activate(watched);
    await window.waitFor(watched, 'document.visibilityState === "visible"', "the watched tab to be in front");
    const hidden = await Promise.all(tabs.slice(0, -1).map((tab) => window.evaluate<string>(tab, "document.visibilityState")));
    if (hidden.some((state) => state !== "hidden")) throw new Error(`the tabs behind the watched one are not hidden: ${hidden.join(", ")}`);
    await window.evaluate(watched, inPage(observeSteps, observed.id));
    return {
      seen: async () => new Map(await window.evaluate<Array<[string, number]>>(watched, inPage(readSeen, undefined))),
      requests,
      close: () => window.close(),
    };
  } catch (error) {
    await window.close();
    throw error;
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

/** What the watched tab showed under the paced load, and what the callbacks were answered. */
interface LoadedFigures {
  tabs: number;
  load: PacedLoad;
  /** Callback sent → row changed, per step the watched tab showed. */
  loaded: number[];
  /** Callback answered → row changed: the live path's own share. */
  afterAnswer: number[];
  isCaughtUp: boolean;
  listRequests: string[];
  streams: number;
}

/**
 * Warms the open tables up, then sends the measured load and reads what the watched tab showed.
 * Warmed up as the callback part warms its servers: each freshly opened tab compiles its update path
 * on its first changes, and twenty renderers doing that at once took both cores for the first
 * seconds of the flood, which its callbacks then queued behind.
 */
async function underLoad(
  tables: OpenTables,
  { appUrl, secret, jobs, observed, steps, label, log }: { appUrl: string; secret: string; jobs: SeededJob[]; observed: SeededJob; steps: Map<string, number>; label: string; log: (line: string) => void },
): Promise<LoadedFigures> {
  log(`live: warming up ${label} (callbacks at ${LIVE_SETTINGS.liveRate}/s for ${WARM_UP_SECONDS} s)`);
  await pacedCallbacks({ appUrl, secret, jobs, observed, steps, seconds: WARM_UP_SECONDS });
  await sleep(3_000);
  log(`live: callbacks at ${LIVE_SETTINGS.liveRate}/s for ${LIVE_SETTINGS.liveSeconds} s to ${label}`);
  const before = tables.requests.length;
  const load = await pacedCallbacks({ appUrl, secret, jobs, observed, steps });
  await sleep(3_000); // the last changes reach the tabs
  const during = tables.requests.slice(before).map((url) => new URL(url));
  const byPath = new Map<string, number>();
  for (const url of during) {
    const pathname = url.pathname.replace(/[0-9a-f-]{36}/g, ":id");
    byPath.set(pathname, (byPath.get(pathname) ?? 0) + 1);
  }
  log(`live: requests from the tabs during the load: ${JSON.stringify(Object.fromEntries(byPath))}`);
  const seen = await tables.seen();
  const shownAfter = (sentOrAnswered: Map<number, number>) =>
    [...sentOrAnswered].flatMap(([step, at]) => {
      const shownAt = seen.get(String(step));
      return shownAt === undefined ? [] : [Math.max(0, shownAt - at)];
    });
  return {
    tabs: LIVE_SETTINGS.liveTabs,
    load,
    loaded: shownAfter(load.sentAt),
    afterAnswer: shownAfter(load.answeredAt),
    isCaughtUp: seen.has(String(Math.max(...load.sentAt.keys()))),
    listRequests: during.filter((url) => url.pathname === "/api/jobs").map(String),
    streams: tables.requests.filter((url) => new URL(url).pathname === "/api/jobs/changes").length,
  };
}

const GROUP = "Live latency (callback sent → row changed in Chromium)";

/** The rows of one way of opening the tabs; `target` is whether the p95 < 500 ms target is judged here. */
function loadedRows(figures: LoadedFigures, alone: PacedLoad, { how, target }: { how: string; target: boolean }): Row[] {
  const { load, loaded, afterAnswer, isCaughtUp } = figures;
  const where = `${how}, callbacks at ${LIVE_SETTINGS.liveRate}/s for ${LIVE_SETTINGS.liveSeconds} s to the ${PAGE_JOBS} jobs on screen`;
  const loadedFigures = percentiles(loaded);
  const afterAnswerFigures = percentiles(afterAnswer);
  const answerFigures = percentiles(load.answerMs);
  const aloneFigures = percentiles(alone.answerMs);
  return [
    {
      group: GROUP,
      measure: `${where}: p50 / p95 ms in the watched tab, a follower (${loaded.length} of ${load.sentAt.size} of its job's steps shown; the rest were overtaken within a batch${isCaughtUp ? "" : "; the last step never shown"})`,
      jobdeck: `${loadedFigures.p50} / ${loadedFigures.p95}`,
      baseline: "",
      ratio: null,
      target: target ? "p95 < 500 ms" : "",
      met: target ? loaded.length > 0 && isCaughtUp && loadedFigures.p95 < 500 : null,
    },
    {
      group: GROUP,
      measure: `${where}: the same steps from the callback's answer to the row changing, p50 / p95 ms (the live path without ingestion's queue)`,
      jobdeck: `${afterAnswerFigures.p50} / ${afterAnswerFigures.p95}`,
      baseline: "",
      ratio: null,
      target: "",
      met: null,
    },
    {
      group: GROUP,
      measure: `${where}: callbacks sent / acknowledged (${Math.round((load.sent / load.seconds) * 10) / 10}/s achieved by a sender of its own, event-loop delay p99 ${load.lagP99Ms} ms); baseline: the same load with no tab open`,
      jobdeck: `${load.sent} / ${load.acknowledged}`,
      baseline: `${alone.sent} / ${alone.acknowledged}`,
      ratio: null,
      target: "all acknowledged",
      met: load.acknowledged === load.sent,
    },
    {
      group: GROUP,
      measure: `${where}: callback answered in p50 / p95 ms (part of the latency above); baseline: the same load with no tab open`,
      jobdeck: `${answerFigures.p50} / ${answerFigures.p95}`,
      baseline: `${aloneFigures.p50} / ${aloneFigures.p95}`,
      ratio: answerFigures.p95 / aloneFigures.p95,
      target: "",
      met: null,
    },
    {
      group: GROUP,
      measure: `${where}: /api/jobs requests from all tabs meanwhile (${figures.listRequests.filter((url) => new URL(url).searchParams.has("ids")).length} of them by ids)`,
      jobdeck: figures.listRequests.length,
      baseline: "",
      ratio: null,
      target: "counted",
      met: null,
    },
    {
      group: GROUP,
      measure: `${how}: change streams the tabs hold (one leader tab relays to the others)`,
      jobdeck: figures.streams,
      baseline: "",
      ratio: null,
      target: "1",
      met: figures.streams === 1,
    },
  ];
}

export async function benchLive({ db, appUrl, secret, auth, log }: { db: pg.Pool; appUrl: string; secret: string; auth: RunAuth; log: (line: string) => void }): Promise<{ rows: Row[]; pending: BenchResults["pending"] }> {
  const jobs = await seedRunningJobs(db, PAGE_JOBS, "bench live");
  // Newest of all, so they are the first page (the observed one, jobs[0], its first row).
  await db.query(
    "UPDATE jobs SET created_at = now() + interval '1 hour' - listed.n * interval '1 ms' FROM unnest($1::uuid[]) WITH ORDINALITY AS listed(id, n) WHERE jobs.id = listed.id",
    [jobs.map((job) => job.id)],
  );
  const observed = jobs[0]!;
  const steps = new Map(jobs.map((job) => [job.id, LOADED_FIRST_STEP]));
  const settings = { appUrl, secret, jobs, observed, steps, log };
  const tabs = LIVE_SETTINGS.liveTabs;

  const browser = await launchBrowser();
  let idle: number[];
  let shown: LoadedFigures;
  try {
    // The key goes with every request of the browser (pages, fetches, the change stream).
    const context = await browser.newContext({ extraHTTPHeaders: auth });
    const requests: string[] = [];
    context.on("request", (sent) => requests.push(sent.url()));

    log("live: idle, one tab");
    const first = await openTable(context, appUrl, observed);
    await first.evaluate(observeSteps, observed.id);
    await sleep(1_000);
    idle = [];
    for (let step = 1; step <= LIVE_SETTINGS.liveSamples; step++) {
      const sentAt = Date.now();
      if (!(await sendProgress(appUrl, secret, observed, step)).ok) throw new Error("live callback was not acknowledged");
      const shownAt = await first.waitForFunction(seenAt, String(step), { timeout: 30_000 });
      idle.push(((await shownAt.jsonValue()) as number) - sentAt);
      await sleep(300);
    }

    log(`live: opening ${tabs} pages, each shown`);
    const pages = await openShownPages(context, appUrl, first, observed, requests);
    await sleep(2_000);
    shown = await underLoad(pages, { ...settings, label: `${tabs} pages, each shown` });
    await pages.close();
  } finally {
    await browser.close();
  }

  let windowFigures: LoadedFigures | null = null;
  const pending: BenchResults["pending"] = [];
  if (canOpenTabWindow()) {
    log(`live: opening ${tabs} tabs of one window, one in front`);
    const window = await openWindowOfTabs(appUrl, auth, observed);
    try {
      await sleep(2_000);
      windowFigures = await underLoad(window, { ...settings, label: `${tabs} tabs of one window` });
    } finally {
      await window.close();
    }
  } else {
    pending.push({ part: `${GROUP}: ${tabs} tabs of one window`, why: "needs Xvfb for a headed Chromium (Debian: apt-get install xvfb)" });
  }

  // The same load with no tab open: no stream, so the hub reads nothing. What ingestion alone answers.
  await sleep(3_000);
  log(`live: the same callbacks with no tab open`);
  const alone = await pacedCallbacks(settings);

  const idleFigures = percentiles(idle);
  return {
    rows: [
      { group: GROUP, measure: `idle, 1 tab: p50 / p95 ms (${idle.length} samples)`, jobdeck: `${idleFigures.p50} / ${idleFigures.p95}`, baseline: "", ratio: null, target: "p95 < 150 ms", met: idleFigures.p95 < 150 },
      ...(windowFigures ? loadedRows(windowFigures, alone, { how: `${tabs} tabs of one window (one in front, the others hidden behind it)`, target: true }) : []),
      ...loadedRows(shown, alone, { how: `${tabs} pages each shown (as twenty windows side by side)`, target: false }),
    ],
    pending,
  };
}
