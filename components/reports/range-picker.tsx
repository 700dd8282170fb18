import Link from "next/link";
import { REPORT_RANGES } from "@/lib/reports/api-types";

/** The report's time range, held in the URL so a view can be shared. */
export function RangePicker({ path, days }: { path: string; days: number }) {
  return (
    <nav aria-label="Time range">
      <ul className="inline-flex rounded-md border border-zinc-300 p-0.5 text-sm dark:border-zinc-700">
        {REPORT_RANGES.map((range) => (
          <li key={range}>
            <Link
              href={`${path}?days=${range}`}
              aria-current={days === range ? "page" : undefined}
              className={`block rounded px-3 py-1 focus-visible:outline-2 focus-visible:outline-indigo-600 ${
                days === range ? "bg-indigo-600 text-white dark:bg-indigo-500" : "text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
              }`}
            >
              {range} days
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
