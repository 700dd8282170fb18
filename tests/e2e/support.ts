// What e2e specs share: the test stack's people and keys, and where each role's signed-in state is.
import fs from "node:fs";
import path from "node:path";
import type { Role } from "@/lib/auth/permissions";

export function testCredentials(): { users: Record<Role, { email: string; password: string }>; keys: Record<Role, string> } {
  const file = process.env.JOBDECK_TEST_CREDENTIALS;
  if (!file) throw new Error("JOBDECK_TEST_CREDENTIALS is not set: run the e2e tests with `npm run test:e2e`");
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

export function storageStateOf(role: Role): string {
  return path.join(".data", "test-results", `storage-${role}.json`);
}
