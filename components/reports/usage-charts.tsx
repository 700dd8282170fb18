"use client";

import type { ReactElement } from "react";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { UsageDay } from "@/lib/reports/api-types";

// Colours that keep their contrast on both the light and the dark background.
const OUTCOME_SERIES = [
  { key: "success", label: "Success", color: "#059669" },
  { key: "partial", label: "Partial", color: "#ea580c" },
  { key: "error", label: "Error", color: "#dc2626" },
  { key: "cancelled", label: "Cancelled", color: "#71717a" },
  { key: "rejected", label: "Rejected", color: "#a21caf" },
  { key: "active", label: "Still active", color: "#2563eb" },
] as const;

const AXIS = { fill: "currentColor", fontSize: 12 };
// System colours follow the page's colour scheme, so the tooltip reads in light and dark mode alike.
const TOOLTIP_STYLE = { backgroundColor: "Canvas", color: "CanvasText", borderRadius: 6, fontSize: 12 };

/** The usage page's charts; each has its numbers as a table one click away. */
export function UsageCharts({ daily }: { daily: UsageDay[] }) {
  const data = daily.map((day) => ({ ...day, label: day.day.slice(5) }));
  return (
    <div className="grid grid-cols-1 gap-6 xl:grid-cols-2">
      <Chart title="Jobs per day by outcome" daily={daily} columns={OUTCOME_SERIES.map((series) => [series.key, series.label])}>
        <BarChart data={data}>
          <CartesianGrid strokeDasharray="3 3" strokeOpacity={0.25} />
          <XAxis dataKey="label" tick={AXIS} />
          <YAxis allowDecimals={false} tick={AXIS} width={40} />
          <Tooltip contentStyle={TOOLTIP_STYLE} cursor={{ fillOpacity: 0.1 }} />
          <Legend
            wrapperStyle={{ fontSize: 12 }}
            itemSorter={null}
            // Series colours are too light for small text: the labels keep the page's text colour.
            formatter={(value: string) => <span className="text-zinc-700 dark:text-zinc-300">{value}</span>}
          />
          {OUTCOME_SERIES.map((series) => (
            <Bar key={series.key} dataKey={series.key} name={series.label} stackId="outcome" fill={series.color} />
          ))}
        </BarChart>
      </Chart>
      <Chart title="Files failed per day" daily={daily} columns={[["filesFailed", "Files failed"]]}>
        <BarChart data={data}>
          <CartesianGrid strokeDasharray="3 3" strokeOpacity={0.25} />
          <XAxis dataKey="label" tick={AXIS} />
          <YAxis allowDecimals={false} tick={AXIS} width={40} />
          <Tooltip contentStyle={TOOLTIP_STYLE} cursor={{ fillOpacity: 0.1 }} />
          <Bar dataKey="filesFailed" name="Files failed" fill="#dc2626" />
        </BarChart>
      </Chart>
      <Chart title="Media minutes per day" daily={daily} columns={[["mediaMinutes", "Media minutes"]]}>
        <BarChart data={data}>
          <CartesianGrid strokeDasharray="3 3" strokeOpacity={0.25} />
          <XAxis dataKey="label" tick={AXIS} />
          <YAxis tick={AXIS} width={40} />
          <Tooltip contentStyle={TOOLTIP_STYLE} cursor={{ fillOpacity: 0.1 }} />
          <Bar dataKey="mediaMinutes" name="Media minutes" fill="#4f46e5" />
        </BarChart>
      </Chart>
      <Chart title="AI credits per day" daily={daily} columns={[["aiCredits", "AI credits"]]}>
        <BarChart data={data}>
          <CartesianGrid strokeDasharray="3 3" strokeOpacity={0.25} />
          <XAxis dataKey="label" tick={AXIS} />
          <YAxis tick={AXIS} width={40} />
          <Tooltip contentStyle={TOOLTIP_STYLE} cursor={{ fillOpacity: 0.1 }} />
          <Bar dataKey="aiCredits" name="AI credits" fill="#0891b2" />
        </BarChart>
      </Chart>
    </div>
  );
}

function Chart({ title, daily, columns, children }: { title: string; daily: UsageDay[]; columns: ReadonlyArray<readonly [keyof UsageDay, string]>; children: ReactElement }) {
  return (
    <figure className="space-y-2 rounded-lg border border-zinc-200 p-4 dark:border-zinc-800">
      <figcaption className="text-sm font-semibold">{title}</figcaption>
      <div className="h-60 text-zinc-700 dark:text-zinc-300" role="img" aria-label={`${title}: bar chart, the same numbers are in the table below`}>
        <ResponsiveContainer width="100%" height="100%">
          {children}
        </ResponsiveContainer>
      </div>
      <details>
        <summary className="cursor-pointer text-xs text-indigo-700 hover:underline dark:text-indigo-300">Show as table</summary>
        <div className="mt-2 max-h-64 overflow-auto">
          <table className="min-w-full text-xs tabular-nums">
            <caption className="sr-only">{title}</caption>
            <thead className="text-left">
              <tr>
                <th scope="col" className="pr-3">Day (UTC)</th>
                {columns.map(([, label]) => (
                  <th key={label} scope="col" className="pr-3">{label}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {daily.map((day) => (
                <tr key={day.day}>
                  <th scope="row" className="pr-3 text-left font-normal">{day.day}</th>
                  {columns.map(([key]) => (
                    <td key={key} className="pr-3">{day[key]}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
