// `npm run keys -- create --name <name> --role <role>` (the new key alone on the last line),
// `npm run keys -- list`, `npm run keys -- revoke <id>`: API keys for scripts and CI, beside a
// running app or without one (the embedded database included: the launcher shares a running one).
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { isRole, ROLES } from "../lib/auth/permissions";
import { log, ROOT, runMain, startStack } from "./stack";

const USAGE = `usage: npm run keys -- create --name <name> --role <${ROLES.join("|")}> | list | revoke <id>`;

runMain(async () => {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { name: { type: "string" }, role: { type: "string" } } });
  const [command, id] = positionals;
  if (command === "create" && (!values.name || !isRole(values.role))) throw new Error(USAGE);
  if (command === "revoke" && !id) throw new Error(USAGE);
  if (command !== "create" && command !== "list" && command !== "revoke") throw new Error(USAGE);

  if (fs.existsSync(path.join(ROOT, ".env"))) process.loadEnvFile(path.join(ROOT, ".env"));
  const stack = await startStack({ profile: "dev", withSandbox: false });
  Object.assign(process.env, stack.env);
  try {
    const { createApiKey, listApiKeys, revokeApiKey } = await import("../lib/auth/keys");
    if (command === "create" && values.name && isRole(values.role)) {
      const { key, summary } = await createApiKey({ name: values.name, role: values.role, createdBy: "npm run keys" });
      log(`API key ${summary.id} "${summary.name}" (${summary.role}); it is shown only now:`);
      process.stdout.write(`${key}\n`);
    } else if (command === "list") {
      for (const key of await listApiKeys()) {
        process.stdout.write(`${key.id}  ${key.prefix}…  ${key.role.padEnd(6)}  ${key.name}  last used ${key.lastUsedAt ?? "never"}${key.revokedAt ? `  revoked ${key.revokedAt}` : ""}\n`);
      }
    } else if (command === "revoke" && id) {
      const key = await revokeApiKey(id);
      if (!key) throw new Error(`no key ${id}`);
      log(`revoked ${key.id} "${key.name}"`);
    }
    return 0;
  } finally {
    await stack.stop();
  }
});
