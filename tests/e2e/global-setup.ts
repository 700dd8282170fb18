// Signs one person of each role in (people made by the test stack, scripts/test-credentials.ts)
// and keeps each browser state, so specs start signed in: the admin by default, others by
// `test.use({ storageState: storageStateOf("editor") })`.
import fs from "node:fs";
import { request, type FullConfig } from "@playwright/test";
import { ROLES } from "@/lib/auth/permissions";
import { storageStateOf, testCredentials } from "./support";

export default async function globalSetup(config: FullConfig): Promise<void> {
  const baseURL = config.projects[0]?.use.baseURL;
  const { users } = testCredentials();
  for (const role of ROLES) {
    const context = await request.newContext({ baseURL });
    const answer = await context.post("/api/auth/sign-in/email", { data: users[role] });
    if (answer.status() !== 200) throw new Error(`sign-in as ${role} answered ${answer.status()}`);
    fs.mkdirSync(".data/test-results", { recursive: true });
    await context.storageState({ path: storageStateOf(role) });
    await context.dispose();
  }
}
