import "server-only";
import { ConfigError, parseConfig, type Config } from "@/lib/config/env";

export type ServerConfig = Config & { databaseUrl: string; callbackSecret: string };

let cached: ServerConfig | undefined;

/**
 * The only place the app reads process.env. Parsed on first use rather than at import, so that
 * `next build` can load route modules without a database; instrumentation.ts calls it at start-up,
 * so a bad value still stops the server before it takes a request.
 */
export function getEnv(): ServerConfig {
  if (cached) return cached;
  const config = parseConfig(process.env);
  // scripts/stack.ts fills both in before it starts Next; running Next by hand needs them set.
  if (!config.databaseUrl) {
    throw new ConfigError("DATABASE_URL", "is required (`npm run dev` and `npm start` provide an embedded database)");
  }
  if (!config.callbackSecret) throw new ConfigError("CALLBACK_SECRET", "is required (at least 32 characters)");
  cached = { ...config, databaseUrl: config.databaseUrl, callbackSecret: config.callbackSecret };
  return cached;
}
