import { expect, test } from "@playwright/test";

test("the home page leads to the jobs page with the app shell", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/jobs$/);
  await expect(page.getByRole("link", { name: "Jobdeck", exact: true })).toBeVisible();
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

// The live table (rows following the change stream, cancel, filters) is tested in jobs-table.spec.ts.
