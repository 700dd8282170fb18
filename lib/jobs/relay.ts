import "server-only";
// Relays a job's final state to the client's own callback_url, from the callback_relays outbox.
// Every instance runs this loop; SKIP LOCKED claims keep two instances from sending one relay.
// Deliveries are independent: each runs under its own time limit, and a free slot is refilled as
// soon as one ends, so a slow target holds only its own slot, never another job's relay.
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
/** Ten tries: the last comes about eight and a half minutes after the first. */
export const MAX_RELAY_ATTEMPTS = 10;

/** Seconds before the next try: 1, 2, 4 … 256 (capped at ten minutes). */
export function relayRetryDelaySeconds(attempts: number): number {
  return Math.min(600, 2 ** (attempts - 1));
}

interface RelayWorker {
  timer: NodeJS.Timeout;
  inFlight: number;
  isClaiming: boolean;
  again: boolean;
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
  globalForRelay.jobdeckRelayWorker = { timer, inFlight: 0, isClaiming: false, again: false };
}

/** One pass as another instance would make it: claims what is due and delivers it all. */
export async function deliverDueRelays(): Promise<number> {
  const relays = await claimDueRelays(MAX_IN_FLIGHT, LEASE_SECONDS);
  await Promise.all(relays.map(deliverRelay));
  return relays.length;
}

/** Claims due relays into the free slots and starts each at once; one claim at a time. */
export function kickRelayWorker(): void {
  const worker = globalForRelay.jobdeckRelayWorker;
  if (!worker) return;
  const free = MAX_IN_FLIGHT - worker.inFlight;
  if (worker.isClaiming || free <= 0) {
    worker.again = true;
    return;
  }
  worker.isClaiming = true;
  claimDueRelays(free, LEASE_SECONDS)
    .then((relays) => {
      // A full claim means more may be due: go again as soon as this claim is done.
      if (relays.length === free) worker.again = true;
      for (const relay of relays) {
        worker.inFlight++;
        deliverRelay(relay)
          .catch((error: unknown) => logEvent("error", "relay_failed", { relayId: relay.id, error: redactText((error as Error).message) }))
          .finally(() => {
            worker.inFlight--;
            if (worker.again) kickRelayWorker();
          });
      }
    })
    .catch((error: unknown) => logEvent("error", "relay_worker_failed", { error: redactText((error as Error).message) }))
    .finally(() => {
      worker.isClaiming = false;
      if (worker.again) {
        worker.again = false;
        kickRelayWorker();
      }
    });
}

async function deliverRelay(relay: ClaimedRelay): Promise<void> {
  let status: number | null = null;
  let failure: Error | null = null;
  try {
    status = await getRelayEgress().postJson(relay.url, relay.body, { timeoutMs: REQUEST_TIMEOUT_MS, userAgent: "Jobdeck-Relay/1" });
  } catch (error) {
    failure = error as Error;
  }
  if (failure && isEgressRefused(failure)) {
    await recordRelayAttempt(relay, { delivered: false, abandon: true, retryInSeconds: 0 }, {
      kind: "relayed",
      message: `client's callback_url is not allowed: ${redactText(failure.message)}; not relayed`,
    });
    return;
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
}
