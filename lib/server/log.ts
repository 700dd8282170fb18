import "server-only";

type Level = "info" | "warn" | "error";

/**
 * One JSON line per event. Callers pass chosen fields only, never raw headers or request bodies,
 * so a token or callback secret has no way into the logs.
 */
export function logEvent(level: Level, event: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ time: new Date().toISOString(), level, event, ...fields });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}
