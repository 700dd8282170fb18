// Deterministic scenarios, chosen by the request body itself so that any client (the console, a
// test, the demo) can provoke each upstream behaviour without talking to the control API.
//   Tags in project_name, prompt or a media reference key (a publish, whose body has no free text,
//   reads the stored name of its project): #error #stall #nochange #early #drop #dup=N #delay=MS.
//   Media URL path markers: /fail/ /slow/ /norange/ (the last is refused at submit).

export type JobOutcome = "normal" | "error" | "stall";

export interface CallbackPlan {
  /** How many times the callback is delivered (each copy with its own retries); 0 with #drop. */
  copies: number;
  /** Real milliseconds to wait before the first delivery (not scaled by speed), at most an hour. */
  delayMs: number;
  /**
   * Finish the job before answering the create request, and hold that answer until the first
   * delivery attempt was answered (see create-jobs.ts for when this does not apply).
   */
  isEarly: boolean;
}

export interface JobScenario {
  outcome: JobOutcome;
  isProjectUnchanged: boolean;
  callback: CallbackPlan;
}

/** What a URL-imported file does; a /norange/ URL never gets this far (refused at submit). */
export type MediaBehaviour = "normal" | "fail" | "slow";

const MAX_DUPLICATES = 20;
/** A longer #delay is read as this: an hour is plenty for a test and fits any timer. */
export const MAX_CALLBACK_DELAY_MS = 60 * 60 * 1000;

export function readScenario(texts: readonly (string | undefined)[]): JobScenario {
  const text = texts.filter((value) => value !== undefined).join(" ");
  const hasTag = (tag: string) => new RegExp(`#${tag}(?![\\w=])`, "i").test(text);
  const readNumber = (tag: string) => {
    const match = new RegExp(`#${tag}=(\\d+)`, "i").exec(text);
    return match?.[1] === undefined ? undefined : Number(match[1]);
  };
  // A stalled job never stops, so it has nothing to report early; #stall wins over #error.
  const outcome: JobOutcome = hasTag("stall") ? "stall" : hasTag("error") ? "error" : "normal";
  // #dup=N asks for N deliveries; #dup=0 still means one, since only #drop suppresses the callback.
  const copies = Math.min(Math.max(readNumber("dup") ?? 1, 1), MAX_DUPLICATES);
  return {
    outcome,
    isProjectUnchanged: hasTag("nochange"),
    callback: {
      copies: hasTag("drop") ? 0 : copies,
      delayMs: Math.min(readNumber("delay") ?? 0, MAX_CALLBACK_DELAY_MS),
      isEarly: hasTag("early") && outcome !== "stall",
    },
  };
}

/** Descript probes media URLs at submit time; one under /norange/ stands for a host without Range support. */
export function refusesRangeRequests(url: string): boolean {
  return new URL(url).pathname.includes("/norange/");
}

export function readMediaBehaviour(url: string): MediaBehaviour {
  const path = new URL(url).pathname;
  if (path.includes("/fail/")) return "fail";
  if (path.includes("/slow/")) return "slow";
  return "normal";
}
