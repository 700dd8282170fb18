import "server-only";
import { redactText } from "./redact";

type Level = "info" | "warn" | "error";

/**
 * One JSON line per event. Callers pass chosen fields only, never raw headers or request bodies;
 * error messages may still quote what a peer sent, so every line is scrubbed as well.
 */
export function logEvent(level: Level, event: string, fields: Record<string, unknown> = {}): void {
  const line = redactText(JSON.stringify({ time: new Date().toISOString(), level, event, ...fields }));
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}
