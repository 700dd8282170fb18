// How the console writes times and durations. Before hydration (and without JavaScript) times are
// written in UTC, so the server's HTML and the browser's first render agree; after, in local time.

const DAY_MS = 24 * 60 * 60 * 1000;

const DATE_TIME = { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" } as const;
const utcFormat = new Intl.DateTimeFormat("en-GB", { ...DATE_TIME, timeZone: "UTC" });
const localFormat = new Intl.DateTimeFormat(undefined, DATE_TIME);
const utcDate = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });
const localDate = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });

export function formatDateTime(iso: string, isLocal: boolean): string {
  return isLocal ? localFormat.format(new Date(iso)) : `${utcFormat.format(new Date(iso))} UTC`;
}

export function formatDate(date: Date, isLocal: boolean): string {
  return isLocal ? localDate.format(date) : utcDate.format(date);
}

/** "1h 02m", "3m 05s", "42s". */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h) return `${h}h ${String(m).padStart(2, "0")}m`;
  if (m) return `${m}m ${String(s).padStart(2, "0")}s`;
  return `${s}s`;
}

/** When Jobdeck forgets a job (JOB_RETENTION_DAYS after creation); Descript keeps the project. */
export function recordExpiresAt(createdAt: string, retentionDays: number): Date {
  return new Date(Date.parse(createdAt) + retentionDays * DAY_MS);
}
