import "server-only";
// API keys for programs: `Authorization: Bearer jdk_…`, stored as their SHA-256 (./key-format.ts);
// the key itself is shown once.
import { followChannel, type ChannelFollower } from "@/lib/server/channel";
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
  // This instance forgets at once; the others when the table's announcement reaches them.
  forgetKeys();
  const row = await db.apiKey.findUnique({ where: { id } });
  return row ? toSummary(row) : null;
}

/** A live key as a request's actor needs it. */
export interface LiveKey {
  id: string;
  name: string;
  role: Role;
}

/**
 * The live key with this secret, or null; notes its use. Every API call asks this, so a key once
 * found is kept in memory (one round trip fewer per call), but only while this instance follows
 * the table's announcements (the trigger api_keys_announce_change): a revoked key is forgotten by
 * every instance as soon as the revocation commits. A use is written at most once a minute per key.
 */
export async function findLiveKey(key: string): Promise<LiveKey | null> {
  const hash = hashKey(key);
  const cache = keyCache();
  const cached = cache.follower.isListening() ? cache.keys.get(hash) : undefined;
  if (cached) {
    await noteUse(cached);
    return cached.key;
  }
  const generation = cache.generation;
  const { rows } = await getPool().query<LiveKey & { lastUsedAt: Date | null }>(
    `SELECT id, name, role, last_used_at AS "lastUsedAt" FROM api_keys WHERE hash = $1 AND revoked_at IS NULL`,
    [hash],
  );
  const row = rows[0];
  if (!row) return null;
  const entry: CachedKey = { key: { id: row.id, name: row.name, role: row.role }, lastUsedAt: row.lastUsedAt?.getTime() ?? 0 };
  // Kept only if no change was announced since the read began: the row may predate a revocation.
  if (cache.follower.isListening() && cache.generation === generation && cache.keys.size < MAX_CACHED_KEYS) cache.keys.set(hash, entry);
  await noteUse(entry);
  return entry.key;
}

/** Announced by the trigger on api_keys (migration 20261206171000_api_key_changes). */
const API_KEY_CHANGES_CHANNEL = "jobdeck_api_key_changes";
/** Live keys are few; the bound only keeps a flood of distinct keys from growing memory. */
const MAX_CACHED_KEYS = 10_000;

interface CachedKey {
  key: LiveKey;
  /** When last_used_at was last written (ms), as far as this instance knows. */
  lastUsedAt: number;
}

interface KeyCache {
  keys: Map<string, CachedKey>;
  /** Bumped whenever what is kept may be stale; a read that began before a bump is not kept. */
  generation: number;
  follower: ChannelFollower;
}

const globalForKeys = globalThis as typeof globalThis & { jobdeckKeyCache?: KeyCache };

function keyCache(): KeyCache {
  globalForKeys.jobdeckKeyCache ??= {
    keys: new Map(),
    generation: 0,
    // Revocations are rare: any change forgets every kept key, and so does any gap in listening.
    follower: followChannel(API_KEY_CHANGES_CHANNEL, { onNotification: forgetKeys, onListening: forgetKeys, onLost: forgetKeys }),
  };
  return globalForKeys.jobdeckKeyCache;
}

/** Forgets every kept key (a process that has looked none up keeps none, and opens nothing). */
function forgetKeys(): void {
  const cache = globalForKeys.jobdeckKeyCache;
  if (!cache) return;
  cache.keys.clear();
  cache.generation++;
}

async function noteUse(entry: CachedKey): Promise<void> {
  if (Date.now() - entry.lastUsedAt <= LAST_USED_PRECISION_MS) return;
  entry.lastUsedAt = Date.now();
  await getPool().query("UPDATE api_keys SET last_used_at = now() WHERE id = $1", [entry.key.id]);
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
