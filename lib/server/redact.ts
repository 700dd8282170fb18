import "server-only";
// The one scrubber for text that came from, or is about to go to, somewhere Jobdeck does not
// control: upstream error bodies and network error messages are scrubbed before they are answered,
// logged or stored. It removes every secret Jobdeck holds and anything shaped like one.
import { getEnv } from "./env";

const REDACTED = "[redacted]";
/** Jobdeck's per-job callback URLs: the path's last segment is a capability. */
const CALLBACK_PATH = /(\/api\/callbacks\/descript\/)[^\s"'<>\\/?#]+/g;
/** user:password@ (or a lone user@) in any URL. */
const URL_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/)[^\s"'<>/@]*@/gi;
const BEARER = /(bearer\s+)[^\s"',;]+/gi;
/** Jobdeck's own API keys (lib/auth/keys.ts), wherever they appear. */
const API_KEY = /jdk_[A-Za-z0-9_-]+/g;
/** Session cookies (better-auth's `jobdeck.session_token`, and any other `*session*=` value). */
const SESSION_COOKIE = /([\w.-]*session[\w.-]*=)[^;\s"',]+/gi;
/** A JSON field named like a password, as in a sign-in body quoted by an error. */
const PASSWORD_FIELD = /("[\w-]*password[\w-]*"\s*:\s*")(?:[^"\\]|\\.)*"/gi;
/** The same inside a JSON string (a quoted body in a log line): its quotes are escaped once more. */
const ESCAPED_PASSWORD_FIELD = /(\\"[\w-]*password[\w-]*\\"\s*:\s*\\")(?:[^"\\]|\\\\\\.)*\\"/gi;

/** Upstream's error as Descript documents it, and nothing else. */
export interface DescriptErrorBody {
  error: string;
  message: string;
}

export function redactText(text: string): string {
  let scrubbed = text;
  for (const secret of knownSecrets()) {
    if (!secret) continue;
    for (const form of new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])) {
      scrubbed = scrubbed.replaceAll(form, REDACTED);
    }
  }
  return scrubbed
    .replace(CALLBACK_PATH, `$1${REDACTED}`)
    .replace(URL_CREDENTIALS, `$1${REDACTED}@`)
    .replace(BEARER, `$1${REDACTED}`)
    .replace(API_KEY, `jdk_${REDACTED}`)
    .replace(SESSION_COOKIE, `$1${REDACTED}`)
    .replace(PASSWORD_FIELD, `$1${REDACTED}"`)
    .replace(ESCAPED_PASSWORD_FIELD, `$1${REDACTED}\\"`);
}

/** The secrets themselves; none while the configuration cannot be read (the patterns still apply). */
function knownSecrets(): string[] {
  try {
    const env = getEnv();
    return [env.descriptApiToken, env.callbackSecret, env.sandbox.token, process.env.JOBDECK_DEMO_PASSWORD].filter((secret): secret is string => Boolean(secret));
  } catch {
    return [];
  }
}

/**
 * Reduces an upstream error body to Descript's `{error, message}`, scrubbed: whatever else upstream
 * (or a proxy in front of it) put in, an echoed header or request, stays out.
 */
export function redactUpstreamError(body: unknown): DescriptErrorBody | null {
  if (body === null || body === undefined) return null;
  const fields = typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const error = typeof fields.error === "string" ? fields.error.slice(0, 100) : "upstream_error";
  const message = typeof fields.message === "string" ? fields.message.slice(0, 1_000) : "Descript answered with an error.";
  return { error: redactText(error), message: redactText(message) };
}
