import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page, type TestInfo } from "@playwright/test";

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

async function attachScreenshot(page: Page, testInfo: TestInfo, name: string) {
  await testInfo.attach(name, { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });
}

/** Submits an import through the proxy, as an API client would, and answers Descript's job_id. */
async function submitThroughProxy(page: Page, projectName: string, media: Record<string, string>): Promise<string> {
  const add_media = Object.fromEntries(Object.entries(media).map(([reference, url]) => [reference, { url }]));
  const created = await page.request.post("/api/v1/jobs/import/project_media", { data: { project_name: projectName, add_media } });
  expect(created.status()).toBe(201);
  return ((await created.json()) as { job_id: string }).job_id;
}

test.describe.configure({ mode: "serial" });

test("an import submitted from the form goes live to partial, failed file first; re-importing it links both jobs", async ({ page }, testInfo) => {
  test.setTimeout(90_000);
  // #delay holds the sandbox's callback (real time), so the page is open before the job ends.
  const projectName = `e2e form #delay=8000 ${Date.now()}`;
  await page.goto("/jobs/new");
  await page.getByLabel("Project name").fill(projectName);
  const files = [
    ["intro.mp4", "https://media.example.com/intro.mp4"],
    ["broken.mp4", "https://media.example.com/fail/broken.mp4"],
    ["outro.mp4", "https://media.example.com/outro.mp4"],
  ];
  for (const [index, [name, url]] of files.entries()) {
    if (index > 0) await page.getByRole("button", { name: "Add another file" }).click();
    await page.getByLabel(`File ${index + 1} name`).fill(name!);
    await page.getByLabel(`File ${index + 1} URL`).fill(url!);
  }
  await page.getByRole("button", { name: "Submit import" }).click();

  await expect(page).toHaveURL(new RegExp(`/jobs/${UUID.source}$`));
  const jobId = page.url().split("/").at(-1)!;
  const state = page.getByTestId("job-state");
  await expect(state).toHaveText(/queued|running/);
  await expect(page.getByText("Don’t open this project in Descript while the job runs")).toBeVisible();
  // No reload from here on: the change stream brings the outcome.
  await expect(state).toHaveText("partial", { timeout: 30_000 });
  await expect(page.getByText("Don’t open this project in Descript while the job runs")).toBeHidden();
  const fileRows = page.getByRole("table", { name: "Files" }).getByRole("row");
  await expect(fileRows).toHaveCount(4);
  await expect(fileRows.nth(1)).toContainText("broken.mp4");
  await expect(fileRows.nth(1)).toContainText("failed");
  await expect(fileRows.nth(1)).toContainText("Failed to download media file from URL");
  await expect(page.getByRole("list", { name: "Timeline" })).toContainText("Callback");
  await expect(page.getByText("Record expires here")).toBeVisible();
  // The raw payload of an event is one click away: that of the report that ended the job. Viewing
  // the job brings its poll forward (3 s), so the worker's poll usually ends it before the held
  // callback, which then comes as a duplicate (kept as a digest).
  const ending = page.locator('[data-event-kind="callback_received"], [data-event-kind="poll_result"]').filter({ hasText: "stopped/partial: applied" }).first();
  await ending.getByText("Raw payload").click();
  await expect(ending.locator("pre")).toContainText('"job_state": "stopped"');
  await attachScreenshot(page, testInfo, "job drill-down");

  await page.getByRole("button", { name: /Re-import the failed file/ }).click();
  await expect(page).not.toHaveURL(new RegExp(`/jobs/${jobId}$`));
  await expect(page).toHaveURL(new RegExp(`/jobs/${UUID.source}$`));
  const reimportId = page.url().split("/").at(-1)!;
  await expect(page.getByRole("link", { name: `job ${jobId}` })).toBeVisible();
  const reimportFiles = page.getByRole("table", { name: "Files" }).getByRole("row");
  await expect(reimportFiles).toHaveCount(2);
  await expect(reimportFiles.nth(1)).toContainText("broken.mp4");

  await page.getByRole("link", { name: `job ${jobId}` }).click();
  await expect(page).toHaveURL(new RegExp(`/jobs/${jobId}$`));
  await expect(page.getByRole("link", { name: `job ${reimportId}` })).toBeVisible();
});

test("the forms show the proxy's validation errors at their fields", async ({ page }) => {
  await page.goto("/jobs/new");
  await page.getByLabel("File 1 name").fill("clip.mp4");
  await page.getByLabel("File 1 URL").fill("not a url");
  await page.getByRole("button", { name: "Submit import" }).click();
  await expect(page.getByLabel("Project name")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Project name")).toHaveAccessibleDescription('"project_name" is not allowed to be empty');
  await expect(page.getByLabel("File 1 URL")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("File 1 URL")).toHaveAccessibleDescription(/"add_media\.clip\.mp4\.url"/);
  await expect(page.getByLabel("Project name")).toBeFocused();
  await expect(page).toHaveURL(/\/jobs\/new$/);

  await page.getByRole("button", { name: "Add another file" }).click();
  await page.getByLabel("File 2 name").fill("clip.mp4");
  await page.getByRole("button", { name: "Submit import" }).click();
  await expect(page.getByLabel("File 2 name")).toHaveAccessibleDescription("Another file already has this name");

  await page.getByRole("link", { name: "Agent edit" }).click();
  await page.getByLabel("Project id").fill("not-a-uuid");
  await page.getByRole("button", { name: "Submit agent edit" }).click();
  await expect(page.getByLabel("Project id")).toHaveAccessibleDescription(/Invalid project_id format/);
  await expect(page.getByLabel("Prompt")).toHaveAccessibleDescription('"prompt" is not allowed to be empty');
});

test("a job opens by Descript's job_id as well as by Jobdeck's id; an unknown id is a 404 page", async ({ page }) => {
  const upstreamJobId = await submitThroughProxy(page, `e2e by upstream id ${Date.now()}`, { "a.mp4": "https://media.example.com/a.mp4" });
  await page.goto(`/jobs/${upstreamJobId}`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Import");
  await expect(page.getByText(upstreamJobId, { exact: true })).toBeVisible();
  const response = await page.goto("/jobs/00000000-0000-4000-8000-000000000000");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "No such job" })).toBeVisible();
});

test("/failures groups failed files by error message, with links to their jobs", async ({ page }, testInfo) => {
  const reference = `lost-${Date.now()}.mp4`;
  const upstreamJobId = await submitThroughProxy(page, `e2e failures ${Date.now()}`, {
    [reference]: "https://media.example.com/fail/lost.mp4",
    "kept.mp4": "https://media.example.com/kept.mp4",
  });
  await expect(async () => {
    await page.goto("/failures");
    const group = page.locator("[data-failure-group]").filter({ hasText: reference });
    await expect(group).toContainText("Failed to download media file from URL", { timeout: 1_000 });
    await expect(group.getByRole("link", { name: upstreamJobId })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await attachScreenshot(page, testInfo, "failures");
  await page.getByRole("link", { name: upstreamJobId }).click();
  await expect(page.getByText(upstreamJobId, { exact: true })).toBeVisible();
});

test("a running job is cancelled from its page with a reason, which lands in its timeline", async ({ page }) => {
  // #stall: the job keeps running upstream until it is cancelled.
  const upstreamJobId = await submitThroughProxy(page, `e2e cancel #stall ${Date.now()}`, { "long.mp4": "https://media.example.com/long.mp4" });
  await page.goto(`/jobs/${upstreamJobId}`);
  await page.getByRole("button", { name: "Cancel job…" }).click();
  const dialog = page.getByRole("dialog", { name: "Cancel this job?" });
  await dialog.getByLabel(/Reason/).fill("wrong project");
  await dialog.getByRole("button", { name: "Cancel job" }).click();
  await expect(page.getByTestId("job-state")).toHaveText("cancelled");
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("button", { name: "Cancel job…" })).toHaveCount(0);
  await expect(page.getByRole("list", { name: "Timeline" })).toContainText("by admin@jobdeck.test (admin): wrong project");
});

test("an agent edit from the form says when nothing changed, and that visual changes take a minute when something did", async ({ page }) => {
  test.setTimeout(90_000);
  const importId = await submitThroughProxy(page, `e2e agent target ${Date.now()}`, { "a.mp4": "https://media.example.com/a.mp4" });
  const imported = await page.request.get(`/api/jobs/${importId}`);
  const { projectId } = (await imported.json()) as { projectId: string };
  for (const [prompt, expected] of [
    ["Tidy the intro #nochange", "No — nothing changed in the project"],
    ["Remove filler words", "Visual changes can take a minute to appear in Descript"],
  ] as const) {
    await page.goto("/jobs/new?kind=agent");
    await page.getByLabel("Project id").fill(projectId);
    await page.getByLabel("Prompt").fill(prompt);
    await page.getByRole("button", { name: "Submit agent edit" }).click();
    await expect(page).toHaveURL(new RegExp(`/jobs/${UUID.source}$`));
    await expect(page.getByTestId("job-state")).toHaveText("success", { timeout: 20_000 });
    await expect(page.getByText(expected)).toBeVisible();
    await expect(page.getByText("Agent response")).toBeVisible();
  }
});

const AXE_PAGES = [
  { name: "the job drill-down", path: async (page: Page) => `/jobs/${await submitThroughProxy(page, `e2e axe ${Date.now()}`, { "ok.mp4": "https://media.example.com/ok.mp4", "bad.mp4": "https://media.example.com/fail/bad.mp4" })}` },
  { name: "the import form", path: async () => "/jobs/new" },
  { name: "the agent form", path: async () => "/jobs/new?kind=agent" },
  { name: "/failures", path: async () => "/failures" },
  { name: "/usage", path: async () => "/usage" },
  { name: "the unknown-job page", path: async () => "/jobs/no-such-job" },
];

for (const { name, path: pathOf } of AXE_PAGES) {
  test(`${name} passes an axe scan without serious or critical violations, light and dark`, async ({ browser, page }) => {
    test.setTimeout(90_000);
    const path = await pathOf(page);
    for (const colorScheme of ["light", "dark"] as const) {
      const context = await browser.newContext({ colorScheme });
      const scanned = await context.newPage();
      await scanned.goto(path);
      await expect(scanned.getByRole("heading", { level: 1 })).toBeVisible();
      const { violations } = await new AxeBuilder({ page: scanned }).analyze();
      const serious = violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
      expect(serious.map((violation) => `${colorScheme}: ${violation.id} ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`)).toEqual([]);
      await context.close();
    }
  });
}
