// What an API key looks like and how it is stored, apart from the database code so that the bench
// and drills (plain Node, no server-only modules) make keys exactly as the app does.
import crypto from "node:crypto";

const KEY_PREFIX = "jdk_";

/** A new key: the prefix and 32 random bytes. */
export function newApiKey(): string {
  return `${KEY_PREFIX}${crypto.randomBytes(32).toString("base64url")}`;
}

/** A key is 32 random bytes, so its SHA-256 is all that needs keeping (no slow hash: nothing to guess). */
export function hashKey(key: string): string {
  return crypto.createHash("sha256").update(key).digest("hex");
}

/** The first characters people may see, to tell keys apart without the secret. */
export function visiblePrefix(key: string): string {
  return key.slice(0, KEY_PREFIX.length + 6);
}

export function looksLikeApiKey(token: string): boolean {
  return token.startsWith(KEY_PREFIX);
}
