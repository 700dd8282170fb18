// Formatting shared by the console's pages. Times are shown in UTC so that the server's first paint
// and the browser's hydration agree, and so that they match the logs people compare them with.

export function formatTime(iso: string | null): string {
  if (!iso) return "—";
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return "—";
  if (seconds < 60) return `${Math.round(seconds * 10) / 10} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round(seconds % 60);
  if (minutes < 60) return `${minutes} min ${rest} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function secondsBetween(fromIso: string | null, toIso: string | null): number | null {
  if (!fromIso || !toIso) return null;
  return (Date.parse(toIso) - Date.parse(fromIso)) / 1000;
}

export const ACTIVE_STATES = new Set(["submitting", "queued", "running", "cancel_requested"]);
