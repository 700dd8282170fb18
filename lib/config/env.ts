// The one definition of Jobdeck's configuration. Pure: callers hand it an environment
// (lib/server/env.ts for the app, scripts/stack.ts for the launcher), so it never reads process.env.
import { z } from "zod";

/** Shaped like a real Descript token, which contains a colon and must be used whole. */
export const DEFAULT_SANDBOX_TOKEN = "sandbox:token";
export const LIVE_DESCRIPT_API_URL = "https://descriptapi.com/v1";

const emptyAsUndefined = (value: unknown) => (value === "" ? undefined : value);
const optionalString = z.preprocess(emptyAsUndefined, z.string().optional());
const port = (fallback: number) =>
  z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(65535).default(fallback));

const postgresUrl = z.string().refine(
  (value) => {
    try {
      const url = new URL(value);
      return (url.protocol === "postgresql:" || url.protocol === "postgres:") && url.hostname !== "";
    } catch {
      return false;
    }
  },
  { message: "must be a postgresql:// URL with a host" },
);

const httpUrl = z.url({ protocol: /^https?$/, message: "must be an http(s) URL" });

/** `host:port, host:port`: each a name or address (IPv6 in brackets) and an explicit port. */
const hostPortList = z.preprocess(
  (value) => (typeof value === "string" ? value.split(",").map((entry) => entry.trim()).filter(Boolean) : []),
  z.array(
    z.string().regex(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, { message: "must be a comma-separated list of host:port" }),
  ),
);

const rawEnvSchema = z.object({
  DATABASE_URL: z.preprocess(emptyAsUndefined, postgresUrl.optional()),
  PORT: port(3000),
  HOSTNAME: z.preprocess(emptyAsUndefined, z.string().regex(/^[A-Za-z0-9.:-]+$/, { message: "must be a host name or address" }).default("127.0.0.1")),
  PUBLIC_BASE_URL: z.preprocess(emptyAsUndefined, httpUrl.optional()),
  DESCRIPT_API_URL: z.preprocess(emptyAsUndefined, httpUrl.optional()),
  DESCRIPT_API_TOKEN: optionalString,
  CALLBACK_SECRET: z.preprocess(
    emptyAsUndefined,
    z.string().min(32, { message: "must be at least 32 characters" }).optional(),
  ),
  JOB_RETENTION_DAYS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(3650).default(30)),
  SANDBOX_PORT: port(4010),
  SANDBOX_TOKEN: z.preprocess(emptyAsUndefined, z.string().default(DEFAULT_SANDBOX_TOKEN)),
  SANDBOX_SPEED: z.preprocess(emptyAsUndefined, z.coerce.number().positive().max(100_000).default(1)),
  RELAY_ALLOWED_HOSTS: hostPortList,
  BODY_READ_TIMEOUT_SECONDS: z.preprocess(emptyAsUndefined, z.coerce.number().positive().max(600).default(10)),
  CHANGES_HEARTBEAT_SECONDS: z.preprocess(emptyAsUndefined, z.coerce.number().positive().max(3600).default(25)),
  UPSTREAM_RATE_PER_SEC: z.preprocess(emptyAsUndefined, z.coerce.number().positive().max(1000).default(5)),
  JOBDECK_WORKER: z.preprocess(emptyAsUndefined, z.enum(["on", "off"]).default("on")),
  STUCK_AFTER_MINUTES: z.preprocess(emptyAsUndefined, z.coerce.number().positive().max(100_000).default(15)),
  ROLLUP_RETENTION_DAYS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(36_500).default(400)),
  SWEEP_INTERVAL_MINUTES: z.preprocess(emptyAsUndefined, z.coerce.number().positive().max(100_000).default(60)),
  WORKER_INTERVAL_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(50).max(600_000).default(1000)),
  SUBMIT_GRACE_SECONDS: z.preprocess(emptyAsUndefined, z.coerce.number().positive().max(86_400).default(120)),
});

export interface Config {
  databaseUrl: string | undefined;
  port: number;
  /** The address Next listens on: loopback unless set (docs: README, Exposure). */
  hostname: string;
  publicBaseUrl: string;
  /** "sandbox" when no DESCRIPT_API_TOKEN is set: the app then talks to the local emulator. */
  descriptMode: "sandbox" | "live";
  descriptApiUrl: string;
  descriptApiToken: string;
  callbackSecret: string | undefined;
  jobRetentionDays: number;
  /** Upstream calls per second for the whole deployment (one token bucket in Postgres). */
  upstreamRatePerSec: number;
  worker: {
    /** Whether this instance runs the background worker (JOBDECK_WORKER=off: web only). */
    isEnabled: boolean;
    intervalMs: number;
    stuckAfterMinutes: number;
    rollupRetentionDays: number;
    sweepIntervalMinutes: number;
    submitGraceSeconds: number;
  };
  sandbox: { port: number; token: string; speed: number };
  /** `host:port` entries a relay may reach whatever they resolve to (docs/decisions/0012). */
  relayAllowedHosts: string[];
  /** How long a request body may take to arrive in full. */
  bodyReadTimeoutMs: number;
  /** How often an open change stream sends a keep-alive and checks its caller is still allowed. */
  changesHeartbeatMs: number;
}

export class ConfigError extends Error {
  constructor(readonly variable: string, detail: string) {
    super(`Invalid configuration: ${variable} ${detail}`);
    this.name = "ConfigError";
  }
}

/** Parses an environment into a Config, or throws a ConfigError whose message is one line naming the variable. */
export function parseConfig(source: Record<string, string | undefined>): Config {
  const parsed = rawEnvSchema.safeParse(source);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? "environment");
    const received = source[variable];
    const detail = received === undefined ? issue.message : `${issue.message} (got ${JSON.stringify(redact(variable, received))})`;
    throw new ConfigError(variable, `is invalid: ${detail}`);
  }
  const env = parsed.data;
  const descriptMode = env.DESCRIPT_API_TOKEN ? "live" : "sandbox";
  if (descriptMode === "live" && !env.CALLBACK_SECRET) {
    throw new ConfigError("CALLBACK_SECRET", "is required when DESCRIPT_API_TOKEN is set (at least 32 characters)");
  }
  // The token travels in every request's Authorization header: never in clear.
  if (descriptMode === "live" && env.DESCRIPT_API_URL && new URL(env.DESCRIPT_API_URL).protocol !== "https:") {
    throw new ConfigError("DESCRIPT_API_URL", "must be an https:// URL when DESCRIPT_API_TOKEN is set");
  }
  return {
    databaseUrl: env.DATABASE_URL,
    port: env.PORT,
    hostname: env.HOSTNAME,
    publicBaseUrl: stripTrailingSlash(env.PUBLIC_BASE_URL ?? `http://127.0.0.1:${env.PORT}`),
    descriptMode,
    descriptApiUrl: stripTrailingSlash(
      env.DESCRIPT_API_URL ??
        (descriptMode === "live" ? LIVE_DESCRIPT_API_URL : `http://127.0.0.1:${env.SANDBOX_PORT}/v1`),
    ),
    descriptApiToken: env.DESCRIPT_API_TOKEN ?? env.SANDBOX_TOKEN,
    callbackSecret: env.CALLBACK_SECRET,
    jobRetentionDays: env.JOB_RETENTION_DAYS,
    upstreamRatePerSec: env.UPSTREAM_RATE_PER_SEC,
    worker: {
      isEnabled: env.JOBDECK_WORKER === "on",
      intervalMs: env.WORKER_INTERVAL_MS,
      stuckAfterMinutes: env.STUCK_AFTER_MINUTES,
      rollupRetentionDays: env.ROLLUP_RETENTION_DAYS,
      sweepIntervalMinutes: env.SWEEP_INTERVAL_MINUTES,
      submitGraceSeconds: env.SUBMIT_GRACE_SECONDS,
    },
    sandbox: { port: env.SANDBOX_PORT, token: env.SANDBOX_TOKEN, speed: env.SANDBOX_SPEED },
    relayAllowedHosts: env.RELAY_ALLOWED_HOSTS,
    bodyReadTimeoutMs: env.BODY_READ_TIMEOUT_SECONDS * 1000,
    changesHeartbeatMs: env.CHANGES_HEARTBEAT_SECONDS * 1000,
  };
}

const SECRET_VARIABLES = new Set(["DESCRIPT_API_TOKEN", "CALLBACK_SECRET", "SANDBOX_TOKEN", "DATABASE_URL"]);

// A malformed secret is still a secret: name the variable, never echo its value, nor the
// credentials a URL may carry.
function redact(variable: string, value: string): string {
  return SECRET_VARIABLES.has(variable) ? "<redacted>" : value.replace(/\/\/[^/@]*@/, "//***@");
}

function stripTrailingSlash(url: string): string {
  return url.replace(/\/+$/, "");
}
