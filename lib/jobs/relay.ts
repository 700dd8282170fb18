import "server-only";
// Relays a job's final state to the client's own callback_url, from the callback_relays outbox.
// Every instance runs this loop; SKIP LOCKED claims keep two instances from sending one relay.
import { getEnv } from "@/lib/server/env";
import { logEvent } from "@/lib/server/log";
import { isInternalDestination } from "./relay-target";
import { claimDueRelays, recordRelayAttempt, type ClaimedRelay } from "./repository";

const POLL_INTERVAL_MS = 2_000;
const BATCH_SIZE = 20;
const LEASE_SECONDS = 60;
const REQUEST_TIMEOUT_MS = 10_000;
/** Ten tries: the last comes about eight and a half minutes after the first. */
export const MAX_RELAY_ATTEMPTS = 10;

/** Seconds before the next try: 1, 2, 4 … 256 (capped at ten minutes). */
export function relayRetryDelaySeconds(attempts: number): number {
  return Math.min(600, 2 ** (attempts - 1));
}

interface RelayWorker {
  timer: NodeJS.Timeout;
  running: Promise<void> | null;
  again: boolean;
}

// On globalThis: instrumentation and route handlers may load this module as separate instances.
const globalForRelay = globalThis as typeof globalThis & { jobdeckRelayWorker?: RelayWorker };

export function startRelayWorker(): void {
  if (globalForRelay.jobdeckRelayWorker) return;
  const timer = setInterval(kickRelayWorker, POLL_INTERVAL_MS);
  timer.unref();
  globalForRelay.jobdeckRelayWorker = { timer, running: null, again: false };
}

/** Delivers due relays now (a relay was just queued), without overlapping a run in progress. */
export function kickRelayWorker(): void {
  const worker = globalForRelay.jobdeckRelayWorker;
  if (!worker) return;
  if (worker.running) {
    worker.again = true;
    return;
  }
  worker.running = deliverDueRelays()
    .then((delivered) => {
      // A full batch means more may be due: go again at once rather than at the next tick.
      if (delivered === BATCH_SIZE) worker.again = true;
    })
    .catch((error: unknown) => logEvent("error", "relay_worker_failed", { error: (error as Error).message }))
    .finally(() => {
      worker.running = null;
      if (worker.again) {
        worker.again = false;
        kickRelayWorker();
      }
    });
}

export async function deliverDueRelays(): Promise<number> {
  const relays = await claimDueRelays(BATCH_SIZE, LEASE_SECONDS);
  await Promise.all(relays.map(deliverRelay));
  return relays.length;
}

async function deliverRelay(relay: ClaimedRelay): Promise<void> {
  // The sandbox demo and the tests relay to loopback; a live deployment never relays inward.
  if (getEnv().descriptMode === "live" && (await isInternalDestination(relay.url))) {
    await recordRelayAttempt(relay, { delivered: false, abandon: true, retryInSeconds: 0 }, {
      kind: "relayed",
      message: "client's callback_url points into a private network: not relayed",
    });
    return;
  }
  let status: number | null = null;
  let failure: string | null = null;
  try {
    const response = await fetch(relay.url, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "Jobdeck-Relay/1" },
      body: JSON.stringify(relay.body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      redirect: "manual",
    });
    status = response.status;
    await response.body?.cancel();
  } catch (error) {
    failure = (error as Error).message;
  }
  const delivered = status !== null && status >= 200 && status < 300;
  const abandon = !delivered && relay.attempts >= MAX_RELAY_ATTEMPTS;
  const retryInSeconds = relayRetryDelaySeconds(relay.attempts);
  const what = status !== null ? `answered ${status}` : `failed: ${failure}`;
  await recordRelayAttempt(relay, { delivered, abandon, retryInSeconds }, {
    kind: "relayed",
    httpStatus: status ?? undefined,
    message: delivered
      ? `relayed to the client's callback (attempt ${relay.attempts})`
      : `client's callback ${what} (attempt ${relay.attempts}); ${abandon ? "giving up" : `next try in ${retryInSeconds} s`}`,
  });
}
