import AxeBuilder from "@axe-core/playwright";
import { expect, test, type APIRequestContext, type Page, type TestInfo } from "@playwright/test";
import { signCallbackToken } from "../../lib/jobs/callback-token";

// The live job table at /jobs, in real Chromium against the built app, its database and the
// sandbox. Each test works on its own jobs, found through a unique tag in their project names.

interface JobDetail {
  id: string;
  state: string;
  cancelReason: string | null;
  events: Array<{ kind: string; message: string | null }>;
}

// Several tests wait on the sandbox's delayed callbacks or scan pages with axe: room for a busy machine.
test.describe.configure({ timeout: 90_000 });

const uniqueTag = (label: string) => `${label}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

async function submitImport(request: APIRequestContext, projectName: string, media: Record<string, string>): Promise<string> {
  const add_media = Object.fromEntries(Object.entries(media).map(([name, url]) => [name, { url }]));
  const answer = await request.post("/api/v1/jobs/import/project_media", { data: { project_name: projectName, add_media } });
  expect(answer.status()).toBe(201);
  return ((await answer.json()) as { job_id: string }).job_id;
}

async function jobDetail(request: APIRequestContext, localId: string): Promise<JobDetail> {
  const answer = await request.get(`/api/jobs/${localId}`);
  expect(answer.status()).toBe(200);
  return (await answer.json()) as JobDetail;
}

/** Still going: queued, or running once the worker's poll has seen it start upstream. */
const ACTIVE = /^(queued|running)$/;

/** The row of the job whose project name is `projectName`. */
const rowOf = (page: Page, projectName: string) => page.locator("tr[data-job-id]").filter({ hasText: projectName });

async function attachScreenshot(page: Page, testInfo: TestInfo, name: string) {
  await testInfo.attach(name, { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });
}

async function openLive(page: Page, path: string) {
  await page.goto(path);
  await expect(page.getByText("Live", { exact: true })).toBeVisible();
}

test("a three-file import with a failing file goes queued → running → partial in its row, in place, without a reload or any list request", async ({ page, request }, testInfo) => {
  const tag = uniqueTag("e2e-three-files");
  let loads = 0;
  page.on("load", () => (loads += 1));
  await openLive(page, `/jobs?q=${tag}`);
  await expect(page.getByText("No jobs match these filters")).toBeVisible();

  // #delay holds the sandbox's final callback back, so the row's earlier states can be seen.
  const projectName = `${tag} #delay=15000`;
  const upstreamJobId = await submitImport(request, projectName, {
    "intro.mp4": "https://media.example.com/intro.mp4",
    "broken.mp4": "https://media.example.com/fail/broken.mp4",
    "outro.mp4": "https://media.example.com/outro.mp4",
  });

  // A job that appears matching the view is announced, not slipped into the page.
  await page.getByRole("button", { name: /^1 new job/ }).click();
  const row = rowOf(page, tag);
  await expect(row).toHaveAttribute("data-state", "queued");
  await expect(row).toContainText("Don’t open the project in Descript while it runs");
  const localId = await row.getAttribute("data-job-id");
  expect(localId).toBeTruthy();

  // From here on, changes arrive as rows pushed on the stream: no list request, not even by id.
  const listRequests: string[] = [];
  page.on("request", (sent) => {
    const url = new URL(sent.url());
    if (url.pathname === "/api/jobs") listRequests.push(sent.url());
  });

  // Descript sends no callback while a job runs (a poll sees it); deliver what a poll would apply.
  const running = await request.post(`/api/callbacks/descript/${signCallbackToken(localId!, process.env.CALLBACK_SECRET!)}`, {
    data: {
      job_id: upstreamJobId,
      job_type: "import/project_media",
      job_state: "running",
      created_at: new Date().toISOString(),
      progress: { label: "Importing media", percent: 40, last_update_at: new Date().toISOString() },
    },
  });
  expect(running.status()).toBeLessThan(300);
  await expect(row).toHaveAttribute("data-state", "running");
  await expect(row.getByRole("progressbar", { name: "Importing media" })).toHaveAttribute("aria-valuenow", "40");
  await attachScreenshot(page, testInfo, "table-running");

  await expect(row).toHaveAttribute("data-state", "stopped", { timeout: 45_000 });
  await expect(row.getByText("partial", { exact: true })).toBeVisible();
  await expect(row).toContainText("2/3 ok");
  await expect(row).toContainText("1 failed");
  await expect(row).not.toContainText("Don’t open the project");
  expect(loads).toBe(1);
  expect(listRequests).toEqual([]);
  await attachScreenshot(page, testInfo, "table-partial");
});

/** A progress report for the job, dated `minutesAhead` from now so it is newer than anything upstream said. */
async function sendProgress(request: APIRequestContext, localId: string, upstreamJobId: string, percent: number, minutesAhead: number) {
  const at = new Date(Date.now() + minutesAhead * 60_000).toISOString();
  const answer = await request.post(`/api/callbacks/descript/${signCallbackToken(localId, process.env.CALLBACK_SECRET!)}`, {
    data: { job_id: upstreamJobId, job_type: "import/project_media", job_state: "running", created_at: new Date().toISOString(), progress: { label: "Importing media", percent, last_update_at: at } },
  });
  expect(answer.status()).toBeLessThan(300);
}

test("eight tabs share one change stream, and closing the leader's tab hands it to another", async ({ context, request }) => {
  const tag = uniqueTag("e2e-tabs");
  const upstreamJobId = await submitImport(request, `${tag} #stall`, { "long.mp4": "https://media.example.com/long.mp4" });
  // Every change stream any tab of this browser opens, by the tab that opened it.
  const streams: Page[] = [];
  context.on("request", (sent) => {
    if (new URL(sent.url()).pathname === "/api/jobs/changes") streams.push(sent.frame().page());
  });
  const pages: Page[] = [];
  for (let index = 0; index < 8; index++) {
    const page = await context.newPage();
    await openLive(page, `/jobs?q=${tag}`);
    await expect(rowOf(page, tag)).toHaveAttribute("data-state", ACTIVE);
    pages.push(page);
  }
  // HTTP/1.1 allows about six connections per origin: one stream per tab would leave tabs unable to load.
  expect(streams).toHaveLength(1);
  const leader = streams[0]!;
  expect(pages).toContain(leader);
  const localId = (await rowOf(pages[0]!, tag).getAttribute("data-job-id"))!;

  await sendProgress(request, localId, upstreamJobId, 40, 1);
  for (const page of pages) await expect(rowOf(page, tag).getByRole("progressbar", { name: "Importing media" })).toHaveAttribute("aria-valuenow", "40");
  expect(streams).toHaveLength(1);

  await leader.close();
  await expect.poll(() => streams.length).toBe(2);
  const remaining = pages.filter((page) => page !== leader);
  expect(remaining).toContain(streams[1]);
  await sendProgress(request, localId, upstreamJobId, 70, 2);
  for (const page of remaining) await expect(rowOf(page, tag).getByRole("progressbar", { name: "Importing media" })).toHaveAttribute("aria-valuenow", "70");
  expect(streams).toHaveLength(2);
  await request.post(`/api/jobs/${localId}/cancel`, { data: {} });
});

test("a hidden tab leaves its rows alone while it hears changes, and shows the newest the moment it is shown", async ({ context, request }) => {
  const tag = uniqueTag("e2e-hidden");
  const upstreamJobId = await submitImport(request, `${tag} #stall`, { "long.mp4": "https://media.example.com/long.mp4" });
  // Playwright shows every page; this one is told it is hidden, as a background tab or a minimized window is.
  const hidden = await context.newPage();
  await hidden.addInitScript(() => {
    let visibility: DocumentVisibilityState = "visible";
    Object.defineProperty(Document.prototype, "visibilityState", { configurable: true, get: () => visibility });
    Object.defineProperty(Document.prototype, "hidden", { configurable: true, get: () => visibility === "hidden" });
    (window as unknown as { setVisibility: (next: DocumentVisibilityState) => void }).setVisibility = (next) => {
      visibility = next;
      document.dispatchEvent(new Event("visibilitychange"));
    };
  });
  const setVisibility = (next: DocumentVisibilityState) => hidden.evaluate((state) => (window as unknown as { setVisibility: (next: DocumentVisibilityState) => void }).setVisibility(state), next);
  // Opened first, the hidden tab leads: it hears each change before it relays it to the shown tab.
  await openLive(hidden, `/jobs?q=${tag}`);
  const shown = await context.newPage();
  await openLive(shown, `/jobs?q=${tag}`);
  const hiddenRow = rowOf(hidden, tag);
  await expect(hiddenRow).toHaveAttribute("data-state", ACTIVE);
  const localId = (await hiddenRow.getAttribute("data-job-id"))!;

  await setVisibility("hidden");
  await sendProgress(request, localId, upstreamJobId, 40, 1);
  await sendProgress(request, localId, upstreamJobId, 60, 2);
  await expect(rowOf(shown, tag).getByRole("progressbar", { name: "Importing media" })).toHaveAttribute("aria-valuenow", "60");
  await expect(hiddenRow.getByRole("progressbar")).toHaveCount(0);

  await setVisibility("visible");
  await expect(hiddenRow.getByRole("progressbar", { name: "Importing media" })).toHaveAttribute("aria-valuenow", "60");
  await request.post(`/api/jobs/${localId}/cancel`, { data: {} });
});

test("a stalled job is cancelled from its row with a reason, shows cancelled, and the reason is in its timeline", async ({ page, request }, testInfo) => {
  const tag = uniqueTag("e2e-cancel");
  await submitImport(request, `${tag} #stall`, { "long.mp4": "https://media.example.com/long.mp4" });
  await openLive(page, `/jobs?q=${tag}`);
  const row = rowOf(page, tag);
  await expect(row).toHaveAttribute("data-state", ACTIVE);
  const localId = (await row.getAttribute("data-job-id"))!;

  await row.getByRole("button", { name: /^Cancel job / }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toBeVisible();
  await dialog.getByLabel(/Reason/).fill("wrong footage uploaded");
  await attachScreenshot(page, testInfo, "cancel-dialog");
  await dialog.getByRole("button", { name: "Cancel job" }).click();

  await expect(dialog).toBeHidden();
  await expect(row).toContainText("cancelled");
  await expect(row.getByRole("button", { name: /^Cancel job / })).toHaveCount(0);
  await expect(page.getByRole("status").filter({ hasText: "Cancel requested for job" })).toBeVisible();

  const job = await jobDetail(request, localId);
  expect(job.state).toBe("cancelled");
  expect(job.cancelReason).toBe("wrong footage uploaded");
  expect(job.events.find((event) => event.kind === "cancel_requested")?.message).toContain("wrong footage uploaded");
});

test("bulk cancel acts on exactly the selected rows", async ({ page, request }, testInfo) => {
  const tag = uniqueTag("e2e-bulk");
  for (const name of ["one", "two", "three"]) {
    await submitImport(request, `${tag} ${name} #stall`, { "long.mp4": "https://media.example.com/long.mp4" });
  }
  await openLive(page, `/jobs?q=${tag}`);
  const [one, two, three] = [rowOf(page, `${tag} one`), rowOf(page, `${tag} two`), rowOf(page, `${tag} three`)];
  for (const row of [one, two, three]) await expect(row).toHaveAttribute("data-state", ACTIVE);

  await one.getByRole("checkbox").check();
  await three.getByRole("checkbox").check();
  await expect(page.getByText("2 selected")).toBeVisible();
  await attachScreenshot(page, testInfo, "table-selection");
  await page.getByRole("button", { name: "Cancel selected" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByRole("list", { name: "Jobs to cancel" }).getByRole("listitem")).toHaveCount(2);
  await dialog.getByLabel(/Reason/).fill("duplicate uploads");
  await dialog.getByRole("button", { name: "Cancel 2 jobs" }).click();

  await expect(one).toContainText("cancelled");
  await expect(three).toContainText("cancelled");
  await expect(page.getByRole("status").filter({ hasText: "Cancel requested for 2 of 2 jobs." })).toBeVisible();
  await expect(two).toHaveAttribute("data-state", ACTIVE);
  const untouched = await jobDetail(request, (await two.getAttribute("data-job-id"))!);
  expect(untouched.events.some((event) => event.kind === "cancel_requested")).toBe(false);
  for (const row of [one, three]) {
    const job = await jobDetail(request, (await row.getAttribute("data-job-id"))!);
    expect(job.events.find((event) => event.kind === "cancel_requested")?.message).toContain("duplicate uploads");
  }
});

test("filters live in the URL and survive a reload", async ({ page, request }) => {
  const tag = uniqueTag("e2e-filter");
  const partial = await submitImport(request, `${tag} partial`, {
    "a.mp4": "https://media.example.com/a.mp4",
    "b.mp4": "https://media.example.com/fail/b.mp4",
  });
  await submitImport(request, `${tag} fine`, { "a.mp4": "https://media.example.com/a.mp4" });
  await expect.poll(async () => (await (await request.get(`/api/jobs?q=${tag}&state=stopped`)).json()).data.length).toBe(2);
  void partial;

  await page.goto("/jobs");
  await page.getByLabel("Search").fill(tag);
  await page.getByLabel("Search").press("Enter");
  await page.getByLabel("Outcome").selectOption("partial");
  await expect(page).toHaveURL(new RegExp(`q=${tag}`));
  await expect(page).toHaveURL(/outcome=partial/);
  await expect(rowOf(page, `${tag} partial`)).toBeVisible();
  await expect(rowOf(page, `${tag} fine`)).toHaveCount(0);

  await page.reload();
  await expect(page.getByLabel("Outcome")).toHaveValue("partial");
  await expect(page.getByLabel("Search")).toHaveValue(tag);
  await expect(rowOf(page, `${tag} partial`)).toBeVisible();
  await expect(rowOf(page, `${tag} fine`)).toHaveCount(0);
});

test("when the stream is cut the page says so, polls the console API, and recovers", async ({ page, request }) => {
  const tag = uniqueTag("e2e-offline");
  const first = await submitImport(request, `${tag} first #stall`, { "a.mp4": "https://media.example.com/a.mp4" });
  const second = await submitImport(request, `${tag} second #stall`, { "a.mp4": "https://media.example.com/a.mp4" });
  await page.route("**/api/jobs/changes", (route) => route.abort());
  await page.goto(`/jobs?q=${tag}`);
  await expect(page.getByRole("alert").filter({ hasText: "Live updates are interrupted" })).toBeVisible();
  await expect(rowOf(page, `${tag} first`)).toHaveAttribute("data-state", ACTIVE);

  // While the stream is down, changes still arrive through polling: a changed row and a new job.
  expect((await request.delete(`/api/v1/jobs/${first}`)).status()).toBe(204);
  await expect(rowOf(page, `${tag} first`)).toContainText("cancelled", { timeout: 15_000 });
  await submitImport(request, `${tag} third #stall`, { "a.mp4": "https://media.example.com/a.mp4" });
  await expect(page.getByRole("button", { name: /^1 new job/ })).toBeVisible({ timeout: 15_000 });

  await page.unroute("**/api/jobs/changes");
  await expect(page.getByText("Live", { exact: true })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole("alert").filter({ hasText: "Live updates are interrupted" })).toHaveCount(0);
  expect((await request.delete(`/api/v1/jobs/${second}`)).status()).toBe(204);
  await expect(rowOf(page, `${tag} second`)).toContainText("cancelled");
});

test("a failed query shows an error, never an empty list", async ({ page }) => {
  // Live means the page is hydrated: a filter chosen before that would be lost to hydration.
  await openLive(page, "/jobs");
  await page.route(/\/api\/jobs\?/, (route) =>
    route.fulfill({
      status: 503,
      contentType: "application/problem+json",
      body: JSON.stringify({ title: "database unavailable", status: 503, detail: "The database is not answering.", code: "database_unavailable" }),
    }),
  );
  await page.getByLabel("State").selectOption("running");
  const alert = page.getByRole("alert").filter({ hasText: "could not be loaded" });
  // The query retries once before it reports the failure.
  await expect(alert).toContainText("The database is not answering.", { timeout: 30_000 });
  await expect(page.getByText(/No jobs (yet|match)/)).toHaveCount(0);
  await expect(alert.getByRole("button", { name: "Try again" })).toBeVisible();
});

test("the first page is in the server's HTML, without JavaScript", async ({ browser, request }) => {
  const tag = uniqueTag("e2e-ssr");
  await submitImport(request, `${tag} server rendered`, { "a.mp4": "https://media.example.com/a.mp4", "b.mp4": "https://media.example.com/fail/b.mp4" });
  await expect.poll(async () => (await (await request.get(`/api/jobs?q=${tag}&outcome=partial`)).json()).data.length).toBe(1);

  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`/jobs?q=${tag}`);
  const row = rowOf(page, `${tag} server rendered`);
  await expect(row.getByText("partial", { exact: true })).toBeVisible();
  await expect(row).toContainText("1 failed");
  await expect(page.getByText("Loading jobs…")).toHaveCount(0);
  await expect(page.getByLabel("Search")).toHaveValue(tag);
  await context.close();
});

test("an accessibility scan finds no serious violations, in light and dark, with the cancel dialog open", async ({ browser, request }, testInfo) => {
  const tag = uniqueTag("e2e-axe");
  await submitImport(request, `${tag} running #stall`, { "a.mp4": "https://media.example.com/a.mp4" });
  await submitImport(request, `${tag} finished`, { "a.mp4": "https://media.example.com/a.mp4", "b.mp4": "https://media.example.com/fail/b.mp4" });
  await expect.poll(async () => (await (await request.get(`/api/jobs?q=${tag}&outcome=partial`)).json()).data.length).toBe(1);
  const serious = (violations: Awaited<ReturnType<AxeBuilder["analyze"]>>["violations"]) =>
    violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical").map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`);

  for (const colorScheme of ["light", "dark"] as const) {
    const context = await browser.newContext({ colorScheme });
    const page = await context.newPage();
    await openLive(page, `/jobs?q=${tag}`);
    await expect(rowOf(page, `${tag} finished`).getByText("partial", { exact: true })).toBeVisible();
    expect(serious((await new AxeBuilder({ page }).analyze()).violations)).toEqual([]);
    await attachScreenshot(page, testInfo, `table-${colorScheme}`);

    await rowOf(page, `${tag} running`).getByRole("button", { name: /^Cancel job / }).click();
    await expect(page.getByRole("dialog")).toBeVisible();
    expect(serious((await new AxeBuilder({ page }).analyze()).violations)).toEqual([]);
    // Keyboard: Escape closes the dialog and gives focus back to the row's button.
    await page.keyboard.press("Escape");
    await expect(page.getByRole("dialog")).toBeHidden();
    await expect(rowOf(page, `${tag} running`).getByRole("button", { name: /^Cancel job / })).toBeFocused();
    await context.close();
  }
});
