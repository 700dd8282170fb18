import "server-only";
// Relays a job's final state to the client's own callback_url, from the callback_relays outbox.
// Every instance runs this loop; SKIP LOCKED claims keep two instances from sending one relay.
// Deliveries are independent: each runs under its own time limit, and a free slot is refilled as
// soon as one ends, so a slow target holds only its own slot, never another job's relay.
// A stopping instance stops claiming, lets its deliveries finish for a short grace, then cuts off
// the rest and gives their claims back, due at once, instead of leaving them to the lease.
import { createEgress, isEgressRefused, parseAllowedHosts, type Egress } from "@/lib/server/egress";
import { getEnv } from "@/lib/server/env";
import { logEvent } from "@/lib/server/log";
import { redactText } from "@/lib/server/redact";
import { claimDueRelays, recordRelayAttempt, type ClaimedRelay } from "./repository";

const POLL_INTERVAL_MS = 2_000;
/** Deliveries in flight at once per instance. */
const MAX_IN_FLIGHT = 20;
const LEASE_SECONDS = 60;
/** One delivery's whole time: lookup, connection and answer. Well inside the lease. */
const REQUEST_TIMEOUT_MS = 10_000;
/**
 * How long a stopping instance lets its deliveries finish before it cuts them off: well inside the
 * server's stop limit (scripts/server.mjs), with time left for the releases.
 */
const STOP_GRACE_MS = 3_000;
/** Ten tries: the last comes about eight and a half minutes after the first. */
export const MAX_RELAY_ATTEMPTS = 10;

/** Seconds before the next try: 1, 2, 4 … 256 (capped at ten minutes). */
export function relayRetryDelaySeconds(attempts: number): number {
  return Math.min(600, 2 ** (attempts - 1));
}

interface RelayWorker {
  timer: NodeJS.Timeout;
  /** Deliveries under way, each settled once its outcome (or its release) is recorded. */
  inFlight: Set<Promise<void>>;
  /** The claim under way, if any: its relays become deliveries when it answers. */
  claiming: Promise<void> | null;
  again: boolean;
  /** The stop under way: a second call (a second signal) waits for it rather than cutting its grace short. */
  stopping: Promise<void> | null;
  /** Aborted when a stopping instance's grace is over: what is still being sent is cut off. */
  cutOff: AbortController;
  /** Deliveries the stop cut off and gave back, for its log line. */
  released: number;
}

// On globalThis: instrumentation and route handlers may load this module as separate instances.
const globalForRelay = globalThis as typeof globalThis & { jobdeckRelayWorker?: RelayWorker; jobdeckRelayEgress?: Egress };

function getRelayEgress(): Egress {
  const env = getEnv();
  globalForRelay.jobdeckRelayEgress ??= createEgress({
    allowedHosts: parseAllowedHosts(env.relayAllowedHosts),
    allowPublic: env.descriptMode === "live",
  });
  return globalForRelay.jobdeckRelayEgress;
}

export function startRelayWorker(): void {
  if (globalForRelay.jobdeckRelayWorker) return;
  const timer = setInterval(kickRelayWorker, POLL_INTERVAL_MS);
  timer.unref();
  globalForRelay.jobdeckRelayWorker = {
    timer,
    inFlight: new Set(),
    claiming: null,
    again: false,
    stopping: null,
    cutOff: new AbortController(),
    released: 0,
  };
}

/**
 * Stops claiming, lets deliveries under way finish for a short grace, then cuts off the rest and
 * gives their claims back, due at once for another instance. A relay cut off after its request
 * went out may reach the client twice, as after any lost answer; none is lost.
 */
export function stopRelayWorker(): Promise<void> {
  const worker = globalForRelay.jobdeckRelayWorker;
  if (!worker) return Promise.resolve();
  worker.stopping ??= stop(worker);
  return worker.stopping;
}

async function stop(worker: RelayWorker): Promise<void> {
  clearInterval(worker.timer);
  const inFlightAtStop = worker.inFlight.size;
  // A claim under way is waited for too: the relays it took are this instance's to deliver or release.
  const allSettled = async () => {
    await worker.claiming;
    await Promise.allSettled([...worker.inFlight]);
  };
  let graceTimer: NodeJS.Timeout | undefined;
  const graceOver = new Promise<void>((resolve) => (graceTimer = setTimeout(resolve, STOP_GRACE_MS)));
  await Promise.race([allSettled(), graceOver]);
  clearTimeout(graceTimer);
  worker.cutOff.abort();
  await allSettled();
  logEvent("info", "relay_worker_stopped", { inFlightAtStop, released: worker.released });
}

/** One pass as another instance would make it: claims what is due and delivers it all. */
export async function deliverDueRelays(): Promise<number> {
  const relays = await claimDueRelays(MAX_IN_FLIGHT, LEASE_SECONDS);
  await Promise.all(relays.map((relay) => deliverRelay(relay)));
  return relays.length;
}

/** Claims due relays into the free slots and starts each at once; one claim at a time. */
export function kickRelayWorker(): void {
  const worker = globalForRelay.jobdeckRelayWorker;
  if (!worker || worker.stopping) return;
  const free = MAX_IN_FLIGHT - worker.inFlight.size;
  if (worker.claiming || free <= 0) {
    worker.again = true;
    return;
  }
  worker.claiming = claimDueRelays(free, LEASE_SECONDS)
    .then((relays) => {
      // A full claim means more may be due: go again as soon as this claim is done.
      if (relays.length === free) worker.again = true;
      for (const relay of relays) {
        const delivery = deliverRelay(relay, worker.cutOff.signal)
          .then((end) => {
            if (end === "released") worker.released++;
          })
          .catch((error: unknown) => logEvent("error", "relay_failed", { relayId: relay.id, error: redactText((error as Error).message) }))
          .finally(() => {
            worker.inFlight.delete(delivery);
            if (worker.again) kickRelayWorker();
          });
        worker.inFlight.add(delivery);
      }
    })
    .catch((error: unknown) => logEvent("error", "relay_worker_failed", { error: redactText((error as Error).message) }))
    .finally(() => {
      worker.claiming = null;
      if (worker.again) {
        worker.again = false;
        kickRelayWorker();
      }
    });
}

/**
 * Sends one claimed relay and records the attempt. Cut off by a stopping instance before an answer
 * came, the relay is released instead: due at once, and never abandoned for it, even at the last try
 * (the next claim counts one more attempt, so the retries still end).
 */
async function deliverRelay(relay: ClaimedRelay, cutOff?: AbortSignal): Promise<"recorded" | "released"> {
  let status: number | null = null;
  let failure: Error | null = null;
  try {
    status = await getRelayEgress().postJson(relay.url, relay.body, { timeoutMs: REQUEST_TIMEOUT_MS, userAgent: "Jobdeck-Relay/1", cutOff });
  } catch (error) {
    failure = error as Error;
  }
  if (status === null && cutOff?.aborted) {
    await recordRelayAttempt(relay, { delivered: false, abandon: false, retryInSeconds: 0 }, {
      kind: "relayed",
      message: `relay to the client's callback cut off as this instance stopped (attempt ${relay.attempts}); due again at once`,
    });
    return "released";
  }
  if (failure && isEgressRefused(failure)) {
    await recordRelayAttempt(relay, { delivered: false, abandon: true, retryInSeconds: 0 }, {
      kind: "relayed",
      message: `client's callback_url is not allowed: ${redactText(failure.message)}; not relayed`,
    });
    return "recorded";
  }
  const delivered = status !== null && status >= 200 && status < 300;
  const abandon = !delivered && relay.attempts >= MAX_RELAY_ATTEMPTS;
  const retryInSeconds = relayRetryDelaySeconds(relay.attempts);
  const what = status !== null ? `answered ${status}` : `failed: ${redactText(failure?.message ?? "unknown error")}`;
  await recordRelayAttempt(relay, { delivered, abandon, retryInSeconds }, {
    kind: "relayed",
    httpStatus: status ?? undefined,
    message: delivered
      ? `relayed to the client's callback (attempt ${relay.attempts})`
      : `client's callback ${what} (attempt ${relay.attempts}); ${abandon ? "giving up" : `next try in ${retryInSeconds} s`}`,
  });
  return "recorded";
}
