// The walk-through: an editor submits and cannot cancel someone else's job (no button, and
// 403 when trying anyway); ops cancels it with a reason that lands in the timeline; after signing
// out, the back button shows nothing private. No page breaks its Content Security Policy. The admin
// forms keep what was typed when the server refuses it, and say why.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser, type Page, type TestInfo } from "@playwright/test";
import type { Role } from "@/lib/auth/permissions";
import { testCredentials } from "./support";

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

/** A fresh browser context, signed in through the sign-in form; CSP violations are collected. */
async function signInThroughForm(browser: Browser, role: Role): Promise<{ page: Page; violations: string[] }> {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to (execute|load)/i.test(message.text())) violations.push(message.text());
  });
  const { email, password } = testCredentials().users[role];
  await page.goto("/jobs");
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/jobs$/);
  await expect(page.getByRole("link", { name: new RegExp(`${email}`) })).toBeVisible();
  return { page, violations };
}

test.describe.configure({ mode: "serial" });

test("editor submits, cannot cancel another's job; ops cancels it with a reason; sign-out leaves nothing behind", async ({ browser, request }) => {
  test.setTimeout(120_000);
  // Someone else's job: the admin's (the default signed-in state), kept running by #stall.
  const projectName = `e2e roles #stall ${Date.now()}`;
  const created = await request.post("/api/v1/jobs/import/project_media", { data: { project_name: projectName, add_media: { "a.mp4": { url: "https://media.example.com/a.mp4" } } } });
  expect(created.status()).toBe(201);
  const { job_id: upstreamJobId } = (await created.json()) as { job_id: string };

  const editor = await signInThroughForm(browser, "editor");
  // The editor submits an import of their own from the form.
  await editor.page.goto("/jobs/new");
  await editor.page.getByLabel("Project name").fill(`e2e editor's own ${Date.now()}`);
  await editor.page.getByLabel("File 1 name").fill("own.mp4");
  await editor.page.getByLabel("File 1 URL").fill("https://media.example.com/own.mp4");
  await editor.page.getByRole("button", { name: "Submit import" }).click();
  await expect(editor.page).toHaveURL(new RegExp(`/jobs/${UUID.source}$`));
  await expect(editor.page.getByText("editor@jobdeck.test").first()).toBeVisible();

  // Someone else's job: no cancel button, and the API refuses anyway.
  await editor.page.goto(`/jobs/${upstreamJobId}`);
  await expect(editor.page.getByTestId("job-state")).toHaveText(/queued|running/);
  await expect(editor.page.getByRole("button", { name: "Cancel job…" })).toHaveCount(0);
  const localId = ((await (await editor.page.request.get(`/api/jobs/${upstreamJobId}`)).json()) as { id: string }).id;
  const refused = await editor.page.request.post(`/api/jobs/${localId}/cancel`, { data: { reason: "not mine" } });
  expect(refused.status()).toBe(403);
  // Nor is it offered in the table.
  await editor.page.goto(`/jobs?q=${encodeURIComponent(projectName)}`);
  await expect(editor.page.getByRole("row").filter({ hasText: projectName })).toBeVisible();
  await expect(editor.page.getByRole("button", { name: /^Cancel job / })).toHaveCount(0);
  expect(editor.violations).toEqual([]);
  await editor.page.context().close();

  const ops = await signInThroughForm(browser, "ops");
  await ops.page.goto(`/jobs/${upstreamJobId}`);
  await ops.page.getByRole("button", { name: "Cancel job…" }).click();
  const dialog = ops.page.getByRole("dialog", { name: "Cancel this job?" });
  await dialog.getByLabel(/Reason/).fill("duplicate upload");
  await dialog.getByRole("button", { name: "Cancel job" }).click();
  await expect(ops.page.getByTestId("job-state")).toHaveText("cancelled");
  await expect(ops.page.getByRole("list", { name: "Timeline" })).toContainText("by ops@jobdeck.test (ops): duplicate upload");

  // Sign out; the back button must not show the job again.
  await ops.page.getByRole("button", { name: "Sign out" }).click();
  await expect(ops.page).toHaveURL(/\/sign-in$/);
  await ops.page.goBack();
  await expect(ops.page).toHaveURL(/\/sign-in$/);
  await expect(ops.page.getByText(upstreamJobId)).toHaveCount(0);
  await expect(ops.page.getByText("duplicate upload")).toHaveCount(0);
  expect(ops.violations).toEqual([]);
  await ops.page.context().close();
});

async function attachScreenshot(page: Page, testInfo: TestInfo, name: string) {
  await testInfo.attach(name, { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });
}

/** Serious or critical axe findings inside `selector`, one line each. */
async function seriousViolationsIn(page: Page, selector: string): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).include(selector).analyze();
  return violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`);
}

test("a refused API key or person keeps what was typed and shows the server's reason beside the form, light and dark", async ({ browser }, testInfo) => {
  test.setTimeout(90_000);
  const taken = testCredentials().users.editor.email;
  for (const colorScheme of ["light", "dark"] as const) {
    const context = await browser.newContext({ colorScheme });
    const page = await context.newPage();

    // A name of spaces passes the browser's `required` but not the server, which trims it first.
    await page.goto("/admin/keys");
    // The key list loads in the browser: once it shows, the form is hydrated and submits through React.
    await expect(page.getByRole("table", { name: "API keys" }).getByRole("row").nth(1)).toBeVisible();
    const keyForm = page.getByRole("form", { name: "Create an API key" });
    await keyForm.getByLabel("Name").fill("   ");
    await keyForm.getByLabel("Role").selectOption("viewer");
    // Clicked: the pointer stays on the button, so the scan also sees its hover colours.
    await keyForm.getByRole("button", { name: "Create key" }).click();
    await expect(keyForm.getByRole("alert")).toHaveText(/^name: /);
    await expect(keyForm.getByLabel("Name")).toHaveValue("   ");
    await expect(keyForm.getByLabel("Role")).toHaveValue("viewer");
    expect(await seriousViolationsIn(page, "form")).toEqual([]);
    await attachScreenshot(page, testInfo, `keys-refused-${colorScheme}`);

    // An email that already has an account.
    await page.goto("/admin/people");
    await expect(page.getByRole("cell", { name: taken, exact: true })).toBeVisible();
    const personForm = page.getByRole("form", { name: "Add a person" });
    await personForm.getByLabel("Name").fill("Second Editor");
    await personForm.getByLabel("Email").fill(taken);
    await personForm.getByLabel("Password").fill("a long enough password");
    await personForm.getByLabel("Role").selectOption("editor");
    await personForm.getByRole("button", { name: "Add person" }).click();
    await expect(personForm.getByRole("alert")).toHaveText(`${taken} already has an account.`);
    await expect(personForm.getByLabel("Name")).toHaveValue("Second Editor");
    await expect(personForm.getByLabel("Email")).toHaveValue(taken);
    await expect(personForm.getByLabel("Password")).toHaveValue("a long enough password");
    await expect(personForm.getByLabel("Role")).toHaveValue("editor");
    expect(await seriousViolationsIn(page, "form")).toEqual([]);
    await attachScreenshot(page, testInfo, `people-refused-${colorScheme}`);
    await context.close();
  }
});

test("an API key that is made clears the form and the earlier refusal", async ({ page }) => {
  const name = `e2e key ${Date.now()}`;
  await page.goto("/admin/keys");
  await expect(page.getByRole("table", { name: "API keys" }).getByRole("row").nth(1)).toBeVisible();
  const keyForm = page.getByRole("form", { name: "Create an API key" });
  await keyForm.getByLabel("Name").fill("   ");
  await keyForm.getByRole("button", { name: "Create key" }).click();
  await expect(keyForm.getByRole("alert")).toBeVisible();

  await keyForm.getByLabel("Name").fill(name);
  await keyForm.getByLabel("Role").selectOption("viewer");
  await keyForm.getByRole("button", { name: "Create key" }).click();
  await expect(page.getByRole("status").filter({ hasText: name })).toBeVisible();
  await expect(keyForm.getByLabel("Name")).toHaveValue("");
  await expect(keyForm.getByLabel("Role")).toHaveValue("editor");
  await expect(keyForm.getByRole("alert")).toHaveCount(0);

  // A live key is a credential: the test leaves none behind.
  const { keys } = (await (await page.request.get("/api/keys")).json()) as { keys: Array<{ id: string; name: string }> };
  const made = keys.find((key) => key.name === name);
  expect(made).toBeDefined();
  expect((await page.request.delete(`/api/keys/${made!.id}`)).status()).toBe(200);
});

test("a role change or key revocation the server refuses says so, naming whom it was for", async ({ browser }) => {
  const { page } = await signInThroughForm(browser, "admin");
  // Someone and some key of this test's own: were the change not refused, no other test would notice.
  const email = `e2e-refused-${Date.now()}@example.com`;
  const keyName = `e2e refused ${Date.now()}`;
  await page.goto("/admin/people");
  const personForm = page.getByRole("form", { name: "Add a person" });
  await personForm.getByLabel("Name").fill("Refused Change");
  await personForm.getByLabel("Email").fill(email);
  await personForm.getByLabel("Password").fill("a long enough password");
  await personForm.getByRole("button", { name: "Add person" }).click();
  await expect(page.getByLabel(`Role of ${email}`)).toHaveValue("viewer");
  await page.goto("/admin/keys");
  const keyForm = page.getByRole("form", { name: "Create an API key" });
  await keyForm.getByLabel("Name").fill(keyName);
  await keyForm.getByRole("button", { name: "Create key" }).click();
  const revoke = page.getByRole("row").filter({ hasText: keyName }).getByRole("button", { name: "Revoke" });
  await expect(revoke).toBeVisible();

  // The session ends behind the open page (signed out in another tab): what it sends now is refused.
  await page.goto("/admin/people");
  await expect(page.getByLabel(`Role of ${email}`)).toBeVisible();
  await signOutInAnotherTab(page);
  await page.getByLabel(`Role of ${email}`).selectOption("editor");
  await expect(page.getByRole("alert").filter({ hasText: "Could not change" })).toHaveText(new RegExp(`^Could not change ${email}: .+`));
  await expect(page.getByLabel(`Role of ${email}`)).toHaveValue("viewer");
  await page.context().close();

  const again = await signInThroughForm(browser, "admin");
  await again.page.goto("/admin/keys");
  const revokeAgain = again.page.getByRole("row").filter({ hasText: keyName }).getByRole("button", { name: "Revoke" });
  await expect(revokeAgain).toBeVisible();
  await signOutInAnotherTab(again.page);
  await revokeAgain.click();
  await expect(again.page.getByRole("alert").filter({ hasText: "Could not revoke" })).toHaveText(new RegExp(`^Could not revoke ${keyName}: .+`));
  await again.page.context().close();
});

/** Ends the page's session behind it, as signing out in another tab of the same browser does. */
async function signOutInAnotherTab(page: Page): Promise<void> {
  const other = await page.context().newPage();
  await other.goto("/account");
  await other.getByRole("button", { name: "Sign out" }).click();
  await expect(other).toHaveURL(/\/sign-in/);
  await other.close();
}
