// Run by the test stack (scripts/stack.ts, test profile) before any test: one person and one API
// key per role, written to a file that only tests read (JOBDECK_TEST_CREDENTIALS). Run as
// `node --conditions=react-server --import tsx` so that the app's server-only modules load.
import crypto from "node:crypto";
import fs from "node:fs";
import { ROLES } from "../lib/auth/permissions";

const file = process.env.JOBDECK_TEST_CREDENTIALS;
if (!file) throw new Error("JOBDECK_TEST_CREDENTIALS is not set");

const { createApiKey } = await import("../lib/auth/keys");
const { createPerson, findPersonByEmail, setPassword, updatePerson } = await import("../lib/auth/people");
const { getDb } = await import("../lib/server/db");

const users: Record<string, { email: string; password: string }> = {};
const keys: Record<string, string> = {};
// Keys of earlier runs are revoked, so a database reused across runs holds one live key per role.
await getDb().apiKey.updateMany({ where: { name: { startsWith: "test-" }, revokedAt: null }, data: { revokedAt: new Date() } });
for (const role of ROLES) {
  const email = `${role}@jobdeck.test`;
  const password = crypto.randomBytes(18).toString("base64url");
  const existing = await findPersonByEmail(email);
  if (existing) {
    await updatePerson(existing.id, { role, disabled: false }, null);
    await setPassword(existing.id, password);
  } else {
    await createPerson({ name: `Test ${role}`, email, password, role });
  }
  await getDb().signInFailure.deleteMany({ where: { email } });
  users[role] = { email, password };
  keys[role] = (await createApiKey({ name: `test-${role}`, role, createdBy: "test stack" })).key;
}
fs.writeFileSync(file, JSON.stringify({ users, keys }), { mode: 0o600 });
await getDb().$disconnect();
