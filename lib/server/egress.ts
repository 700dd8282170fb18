import "server-only";
// The one way Jobdeck sends a request to a URL that a user supplied (a client's callback_url).
// Policy (docs/decisions/0012-egress-policy.md): hosts listed in RELAY_ALLOWED_HOSTS are always
// reachable; in live mode so is any name whose every address is public unicast; nothing else.
// The address is checked inside the connection itself, so the socket goes to exactly the address
// that was checked: a name that resolves differently the second time (DNS rebinding) gains nothing.
import dns from "node:dns/promises";
import net from "node:net";
import ipaddr from "ipaddr.js";
import { Agent, buildConnector, fetch } from "undici";

export interface EgressPolicy {
  /** `host:port` pairs reachable whatever they resolve to (lower-case, IPv6 in brackets). */
  allowedHosts: ReadonlySet<string>;
  /** Live mode: public unicast addresses are reachable too. */
  allowPublic: boolean;
  /** Resolves a name to its addresses; dns.lookup unless a test hands in its own. */
  resolve?: (hostname: string) => Promise<string[]>;
  /** Longest wait for a name to resolve. */
  lookupTimeoutMs?: number;
}

/** The destination is not allowed: retrying cannot help. */
export class EgressRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EgressRefusedError";
  }
}

/**
 * True for a refusal. By name, not instanceof: Next bundles this module more than once (the
 * instrumentation's copy and the route handlers'), and the egress on globalThis may come from either.
 */
export function isEgressRefused(error: unknown): boolean {
  return error instanceof Error && error.name === "EgressRefusedError";
}

/** The name did not resolve (in time): a later try may succeed. */
export class EgressLookupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EgressLookupError";
  }
}

const DEFAULT_LOOKUP_TIMEOUT_MS = 5_000;

/** True for an address that belongs to no private, loopback, link-local or other special range. */
export function isPublicUnicast(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  // process() reads an IPv4-mapped IPv6 address (::ffff:127.0.0.1) as the IPv4 address it is.
  return ipaddr.process(address).range() === "unicast";
}

/** `host:port` as RELAY_ALLOWED_HOSTS lists it, with the scheme's default port filled in. */
export function hostKey(url: URL): string {
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  return `${url.hostname.toLowerCase()}:${port}`;
}

/** The address to connect to for `hostname`, or why there is none. */
async function resolveAllowed(policy: EgressPolicy, hostname: string, key: string): Promise<string> {
  const bare = hostname.replace(/^\[|\]$/g, "");
  const isListed = policy.allowedHosts.has(key);
  if (!isListed && !policy.allowPublic) throw new EgressRefusedError(`${key} is not in RELAY_ALLOWED_HOSTS`);
  let addresses: string[];
  if (net.isIP(bare)) {
    addresses = [bare];
  } else {
    const resolve = policy.resolve ?? lookupAll;
    const timeoutMs = policy.lookupTimeoutMs ?? DEFAULT_LOOKUP_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    try {
      addresses = await Promise.race([
        resolve(bare),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new EgressLookupError(`looking up ${bare} took longer than ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
    } catch (error) {
      throw error instanceof EgressLookupError ? error : new EgressLookupError(`${bare} did not resolve: ${(error as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
    if (addresses.length === 0) throw new EgressLookupError(`${bare} did not resolve`);
  }
  // One internal address is enough to refuse the name: which one a connection would use is not ours to choose.
  if (!isListed && !addresses.every(isPublicUnicast)) throw new EgressRefusedError(`${bare} resolves to an address that is not public`);
  return addresses[0]!;
}

async function lookupAll(hostname: string): Promise<string[]> {
  return (await dns.lookup(hostname, { all: true })).map((entry) => entry.address);
}

export interface Egress {
  /**
   * POSTs JSON with no redirects followed; resolves with the status, the body discarded. `cutOff`
   * ends the request early, as the time limit does.
   */
  postJson(url: string, body: unknown, options: { timeoutMs: number; userAgent: string; cutOff?: AbortSignal }): Promise<number>;
  close(): Promise<void>;
}

export function createEgress(policy: EgressPolicy): Egress {
  const connectDirect = buildConnector({ timeout: 10_000 });
  const agent = new Agent({
    // Each connection resolves and checks its own host, then connects to that very address; TLS
    // still verifies the certificate against the name (undici derives the servername from `host`).
    connect(options, callback) {
      const key = hostKey(new URL(`${options.protocol}//${options.host ?? options.hostname}`));
      resolveAllowed(policy, options.hostname, key).then(
        (address) => connectDirect({ ...options, hostname: address }, callback),
        (error: Error) => callback(error, null),
      );
    },
  });
  return {
    async postJson(url, body, { timeoutMs, userAgent, cutOff }) {
      const parsed = new URL(url);
      if (parsed.username || parsed.password) throw new EgressRefusedError("the URL carries credentials");
      const response = await fetch(parsed, {
        method: "POST",
        headers: { "content-type": "application/json", "user-agent": userAgent },
        body: JSON.stringify(body),
        redirect: "manual",
        // One limit over lookup, connection and answer together.
        signal: cutOff ? AbortSignal.any([AbortSignal.timeout(timeoutMs), cutOff]) : AbortSignal.timeout(timeoutMs),
        dispatcher: agent,
      }).catch((error: unknown) => {
        throw unwrapCause(error);
      });
      await response.body?.cancel();
      return response.status;
    },
    close: () => agent.close(),
  };
}

/** undici's fetch wraps connection errors in "fetch failed"; the cause says what happened. */
function unwrapCause(error: unknown): unknown {
  if (error instanceof TypeError && error.cause instanceof Error) return error.cause;
  return error;
}

/** Parses RELAY_ALLOWED_HOSTS-style `host:port` entries into the keys hostKey produces. */
export function parseAllowedHosts(entries: readonly string[]): Set<string> {
  return new Set(entries.map((entry) => hostKey(new URL(`http://${entry}`))));
}
