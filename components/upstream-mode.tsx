import type { StatusAnswer } from "@/lib/status/api-types";

type Mode = StatusAnswer["upstream"]["mode"];

// Which upstream this instance talks to, said in one place: the header's badge tells everyone,
// the status strip's line tells ops in more words. Sandbox is amber because its jobs are not real.
const MODES: Record<Mode, { badge: string; line: string; explanation?: string; badgeTone: string; lineTone: string }> = {
  sandbox: {
    badge: "Sandbox",
    line: "sandbox — the local Descript emulator, no real jobs",
    explanation: "No Descript token is configured: jobs run against the local Descript emulator",
    badgeTone: "bg-amber-100 text-amber-900 dark:bg-amber-900/40 dark:text-amber-200",
    lineTone: "text-amber-800 dark:text-amber-300",
  },
  live: {
    badge: "Live Descript API",
    line: "live Descript API",
    badgeTone: "bg-emerald-100 text-emerald-900 dark:bg-emerald-900/40 dark:text-emerald-200",
    lineTone: "text-emerald-800 dark:text-emerald-300",
  },
};

export function UpstreamMode({ mode, variant }: { mode: Mode; variant: "badge" | "line" }) {
  const { badge, line, explanation, badgeTone, lineTone } = MODES[mode];
  if (variant === "line") return <strong className={`font-medium ${lineTone}`}>{line}</strong>;
  return (
    <span className={`rounded-full px-2.5 py-0.5 text-xs font-medium ${badgeTone}`} title={explanation}>
      {badge}
    </span>
  );
}
