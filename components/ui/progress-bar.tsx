/** A labelled progress bar; without a percent it shows an unknown amount (no bar filled). */
export function ProgressBar({ percent, label }: { percent: number | null; label: string }) {
  const value = percent === null ? null : Math.min(100, Math.max(0, Math.round(percent)));
  return (
    <div className="min-w-24">
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={value ?? undefined}
        className="h-1.5 overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-700"
      >
        <div className="h-full rounded-full bg-blue-600 dark:bg-blue-400" style={{ width: `${value ?? 0}%` }} />
      </div>
      <p className="mt-1 truncate text-xs text-zinc-600 dark:text-zinc-300">
        {label}
        {value !== null ? ` · ${value}%` : ""}
      </p>
    </div>
  );
}
