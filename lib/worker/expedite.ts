import "server-only";
import { z } from "zod";
import { logEvent } from "@/lib/server/log";
import { expediteJobs } from "./repository";

const idsSchema = z.array(z.uuid()).max(100);

/**
 * Someone is viewing these jobs (a detail page), or the live table (`"live-table"`: its newest
 * active jobs): their next poll comes now, never sooner than three seconds after the last. Never
 * fails the request that calls it.
 */
export async function expediteJobPolls(ids: string[] | "live-table"): Promise<void> {
  try {
    await expediteJobs(ids === "live-table" ? null : idsSchema.parse(ids));
  } catch (error) {
    logEvent("warn", "expedite_failed", { error: (error as Error).message });
  }
}
