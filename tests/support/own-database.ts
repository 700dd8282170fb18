// A database of a test file's own beside the stack's, for an app instance of its own whose worker
// must not share rows with the stack's app (which claims every due job and relay of its database).
import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import { prepareDatabase, runPrisma } from "../../scripts/stack";
import { databaseUrl, withDatabase } from "./stack";

export interface OwnDatabase {
  url: string;
  withDatabase<T>(work: (client: pg.Client) => Promise<T>): Promise<T>;
}

/**
 * The stack's database name with `_${suffix}`, made empty and migrated before the file's tests and
 * dropped after them. Call it at the top of the file, before the file's own hooks: vitest runs
 * afterAll hooks last-registered first, so instances the file stops in its afterAll are gone before
 * the drop.
 */
export function ownDatabase(suffix: string): OwnDatabase {
  const parsed = new URL(databaseUrl);
  parsed.pathname = `${parsed.pathname}_${suffix}`;
  const url = parsed.toString();
  const name = decodeURIComponent(parsed.pathname.slice(1));

  beforeAll(async () => {
    await prepareDatabase(url, { fresh: true });
    await runPrisma(["migrate", "deploy"], { ...process.env, DATABASE_URL: url });
  }, 120_000);

  afterAll(async () => {
    await withDatabase((admin) => admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`));
  });

  return { url, withDatabase: (work) => withDatabase(work, url) };
}
