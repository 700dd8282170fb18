import fs from "node:fs";
import path from "node:path";
import { defineConfig } from "prisma/config";

// Prisma's CLI downloads a native schema engine at start-up, which air-gapped machines cannot do.
// Unless the user names an engine binary of their own, use the project's WebAssembly-backed shim
// (docs/decisions/0002-prisma-offline-schema-engine.md).
if (!process.env.PRISMA_SCHEMA_ENGINE_BINARY) {
  const shim = path.join(import.meta.dirname, "scripts/prisma-schema-engine.mjs");
  fs.chmodSync(shim, 0o755); // the CLI spawns it directly
  process.env.PRISMA_SCHEMA_ENGINE_BINARY = shim;
}

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  // `prisma generate` needs no database; every other command is run with DATABASE_URL set
  // (scripts/with-stack.ts provides one when the user has none).
  datasource: { url: process.env.DATABASE_URL ?? "" },
});
