// Deterministic scenarios, chosen by the request body itself so that any client (the console, a
// test, the demo) can provoke each upstream behaviour without talking to the control API.
//   Tags in project_name, prompt or a media reference key: #error #stall #nochange #early #drop
//   #dup=N #delay=MS. Media URL path markers: /fail/ /slow/ /norange/.

export type JobOutcome = "normal" | "error" | "stall";

export interface CallbackPlan {
  /** How many times the callback is delivered (each copy with its own retries); 0 with #drop. */
  copies: number;
  /** Real milliseconds to wait before the first delivery (not scaled by speed). */
  delayMs: number;
  /** Finish the job and deliver its callback before answering the create request. */
  isEarly: boolean;
}

export interface JobScenario {
  outcome: JobOutcome;
  isProjectUnchanged: boolean;
  callback: CallbackPlan;
}

export type MediaBehaviour = "normal" | "fail" | "slow" | "norange";

const MAX_DUPLICATES = 20;

export function readScenario(texts: readonly (string | undefined)[]): JobScenario {
  const text = texts.filter((value) => value !== undefined).join(" ");
  const hasTag = (tag: string) => new RegExp(`#${tag}(?![\\w=])`, "i").test(text);
  const readNumber = (tag: string) => {
    const match = new RegExp(`#${tag}=(\\d+)`, "i").exec(text);
    return match?.[1] === undefined ? undefined : Number(match[1]);
  };
  // A stalled job never stops, so it has nothing to report early; #stall wins over #error.
  const outcome: JobOutcome = hasTag("stall") ? "stall" : hasTag("error") ? "error" : "normal";
  const duplicates = readNumber("dup");
  return {
    outcome,
    isProjectUnchanged: hasTag("nochange"),
    callback: {
      copies: hasTag("drop") ? 0 : Math.min(duplicates ?? 1, MAX_DUPLICATES),
      delayMs: readNumber("delay") ?? 0,
      isEarly: hasTag("early") && outcome !== "stall",
    },
  };
}

export function readMediaBehaviour(url: string): MediaBehaviour {
  const path = new URL(url).pathname;
  if (path.includes("/norange/")) return "norange";
  if (path.includes("/fail/")) return "fail";
  if (path.includes("/slow/")) return "slow";
  return "normal";
}
