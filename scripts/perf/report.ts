// Writes the bench's results: the JSON as measured, a Markdown table, and that table into README.md.
import fs from "node:fs";
import path from "node:path";
import { ROOT } from "../stack";

export interface Row {
  group: string;
  measure: string;
  jobdeck: number | string;
  baseline: number | string;
  /** Jobdeck ÷ baseline: above 1 is faster for a rate and slower for a latency. */
  ratio: number | null;
  target: string;
  /** null: a figure with no target of its own. */
  met: boolean | null;
}

export interface BenchResults {
  generatedAt: string;
  machine: { cpus: number; loadAverage1m: number; node: string; postgres: string; shared: string };
  settings: Record<string, number>;
  seed: { seconds: number; jobs: number; files: number };
  rows: Row[];
  pending: Array<{ part: string; why: string }>;
}

const RESULTS_DIR = path.join(ROOT, "bench", "results");
const README_START = "<!-- bench:results:start -->";
const README_END = "<!-- bench:results:end -->";

const cell = (value: number | string) => (typeof value === "number" ? String(Math.round(value * 10) / 10) : value);

export function toMarkdown(results: BenchResults): string {
  const lines = [
    `Measured ${results.generatedAt.slice(0, 16).replace("T", " ")} UTC on ${results.machine.cpus} cores (load ${results.machine.loadAverage1m}, ${results.machine.shared}), ` +
      `Node ${results.machine.node}, PostgreSQL ${results.machine.postgres}` +
      (results.seed.jobs > 0 ? `; ${results.seed.jobs.toLocaleString("en")} jobs and ${results.seed.files.toLocaleString("en")} files seeded with SQL in ${results.seed.seconds} s. ` : ". ") +
      "Baselines, measured in the same run: a minimal `node:http` + `pg` handler doing the same writes in one transaction (callbacks), the same statements in raw SQL over `pg` (list).",
    "",
    "| part | measure | Jobdeck | baseline | ratio | target | |",
    "|---|---|---:|---:|---:|---|---|",
  ];
  for (const row of results.rows) {
    const verdict = row.met === null ? "" : row.met ? "met" : "**missed**";
    const ratio = row.ratio === null ? "" : `${(Math.round(row.ratio * 100) / 100).toFixed(2)}×`;
    lines.push(`| ${row.group} | ${row.measure} | ${cell(row.jobdeck)} | ${cell(row.baseline)} | ${ratio} | ${row.target} | ${verdict} |`);
  }
  for (const pending of results.pending) lines.push(`| ${pending.part} | | | | | | ${pending.why} |`);
  return `${lines.join("\n")}\n`;
}

/**
 * Writes latest.json, latest.md and the README's table; a partial run (BENCH_PARTS) writes
 * partial-<parts>.json and .md only. Answers what it wrote.
 */
export function writeResults(results: BenchResults, { partial }: { partial?: string } = {}): string[] {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const name = partial ? `partial-${partial}` : "latest";
  fs.writeFileSync(path.join(RESULTS_DIR, `${name}.json`), `${JSON.stringify(results, null, 2)}\n`);
  const markdown = toMarkdown(results);
  fs.writeFileSync(path.join(RESULTS_DIR, `${name}.md`), markdown);
  const written = [`bench/results/${name}.json`, `bench/results/${name}.md`];
  if (partial) return written;
  const readmePath = path.join(ROOT, "README.md");
  const readme = fs.readFileSync(readmePath, "utf8");
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start !== -1 && end > start) {
    fs.writeFileSync(readmePath, `${readme.slice(0, start + README_START.length)}\n${markdown}${readme.slice(end)}`);
    written.push("the README's table");
  }
  return written;
}
