import "server-only";
import { getEnv } from "@/lib/server/env";
import type { StatusAnswer } from "./api-types";

/** The instance's status as the strip shows it; background work adds its parts here. */
export function getStatus(): StatusAnswer {
  return { upstream: { mode: getEnv().descriptMode } };
}
