import { expect, test } from "@playwright/test";

test("the home page leads to the jobs page with the app shell", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/jobs$/);
  await expect(page.getByRole("link", { name: "Jobdeck" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Jobs" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Jobs" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Jobs" })).toBeVisible();
  // No Descript token in the test stack: the header must say the jobs are not real.
  await expect(page.getByText("Sandbox", { exact: true })).toBeVisible();
});

test("dark mode follows the system's colour scheme", async ({ browser }) => {
  const backgroundIn = async (colorScheme: "light" | "dark") => {
    const context = await browser.newContext({ colorScheme });
    const page = await context.newPage();
    await page.goto("/jobs");
    const color = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await context.close();
    return color;
  };
  const light = await backgroundIn("light");
  const dark = await backgroundIn("dark");
  expect(light).not.toEqual(dark);
  const brightness = (color: string) => (color.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number).reduce((a, b) => a + b, 0);
  expect(brightness(dark)).toBeLessThan(brightness(light));
});

test("the table follows a job live, from submission to its partial outcome, without a reload", async ({ page, request }) => {
  await page.goto("/jobs");
  await expect(page.getByText("Live", { exact: true })).toBeVisible();
  const projectName = `e2e partial ${Date.now()}`;
  const created = await request.post("/api/v1/jobs/import/project_media", {
    data: {
      project_name: projectName,
      add_media: {
        "intro.mp4": { url: "https://media.example.com/intro.mp4" },
        "broken.mp4": { url: "https://media.example.com/fail/broken.mp4" },
        "outro.mp4": { url: "https://media.example.com/outro.mp4" },
      },
    },
  });
  expect(created.status()).toBe(201);
  const { job_id: jobId } = (await created.json()) as { job_id: string };

  // No reload and no polling: the change stream (LISTEN/NOTIFY) brings the row and its outcome.
  const row = page.getByRole("row").filter({ hasText: jobId });
  await expect(row).toContainText(projectName);
  await expect(row).toContainText("partial");
  await expect(row).toContainText("2/3 (1 failed)");
});

test("a cancel shows up in the table as it happens", async ({ page, request }) => {
  await page.goto("/jobs");
  await expect(page.getByText("Live", { exact: true })).toBeVisible();
  // #stall: the job keeps running upstream until it is cancelled.
  const created = await request.post("/api/v1/jobs/import/project_media", {
    data: { project_name: `e2e stuck #stall ${Date.now()}`, add_media: { "long.mp4": { url: "https://media.example.com/long.mp4" } } },
  });
  const { job_id: jobId } = (await created.json()) as { job_id: string };
  const row = page.getByRole("row").filter({ hasText: jobId });
  await expect(row).toContainText("queued");
  expect((await request.delete(`/api/v1/jobs/${jobId}`)).status()).toBe(204);
  await expect(row).toContainText("cancelled");
});
