import "server-only";
// API keys for programs: `Authorization: Bearer jdk_…`, stored as their SHA-256 (./key-format.ts);
// the key itself is shown once.
import { getDb, getPool } from "@/lib/server/db";
import type { ApiKeySummary } from "./api-types";
import { hashKey, newApiKey, visiblePrefix } from "./key-format";
import type { Role } from "./permissions";

/** last_used_at is written at most this often per key, so a busy script does not write on every call. */
const LAST_USED_PRECISION_MS = 60_000;

export type { ApiKeySummary };

/** Creates a key; the answer is the only place the key itself ever appears. */
export async function createApiKey({ name, role, createdBy }: { name: string; role: Role; createdBy: string }): Promise<{ key: string; summary: ApiKeySummary }> {
  const key = newApiKey();
  const row = await getDb().apiKey.create({ data: { name, role, createdBy, hash: hashKey(key), prefix: visiblePrefix(key) } });
  return { key, summary: toSummary(row) };
}

export async function listApiKeys(): Promise<ApiKeySummary[]> {
  const rows = await getDb().apiKey.findMany({ orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }] });
  return rows.map(toSummary);
}

/** Revoked keys stay listed (who made them, when they were last used); they stop working at once. */
export async function revokeApiKey(id: string): Promise<ApiKeySummary | null> {
  const db = getDb();
  await db.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
  const row = await db.apiKey.findUnique({ where: { id } });
  return row ? toSummary(row) : null;
}

/**
 * The live key with this secret, or null; notes its use. Every API call asks this, so it is one
 * statement straight through the driver (docs/decisions/0015), and a use is written at most once a
 * minute per key.
 */
export async function findLiveKey(key: string): Promise<{ id: string; name: string; role: Role } | null> {
  const { rows } = await getPool().query<{ id: string; name: string; role: Role; lastUsedAt: Date | null }>(
    `SELECT id, name, role, last_used_at AS "lastUsedAt" FROM api_keys WHERE hash = $1 AND revoked_at IS NULL`,
    [hashKey(key)],
  );
  const row = rows[0];
  if (!row) return null;
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > LAST_USED_PRECISION_MS) {
    await getPool().query("UPDATE api_keys SET last_used_at = now() WHERE id = $1", [row.id]);
  }
  return { id: row.id, name: row.name, role: row.role };
}

function toSummary(row: { id: string; name: string; role: Role; prefix: string; createdBy: string; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null }): ApiKeySummary {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    prefix: row.prefix,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}
