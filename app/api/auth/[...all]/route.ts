// /api/auth/* — better-auth, limited to what Jobdeck uses: POST sign-in/email and sign-out (public:
// this is how one gets a session). Failed sign-ins are throttled per email; the answer carries the
// session cookie and never the session token in its body.
import { signInBodySchema } from "@/lib/auth/api-types";
import { getAuth } from "@/lib/auth/auth";
import { findPersonByEmail } from "@/lib/auth/people";
import { clearFailedSignIns, recordFailedSignIn, secondsUntilSignInAllowed } from "@/lib/auth/throttle";
import { getEnv } from "@/lib/server/env";
import { AppError } from "@/lib/server/errors";
import { logEvent } from "@/lib/server/log";
import { json, parseJsonText, readBodyText, route } from "@/lib/server/route";

export const dynamic = "force-dynamic";

const WRONG_CREDENTIALS = "Wrong email or password.";

export const POST = route<{ all: string[] }>({ format: "problem", access: "public" }, async ({ request, requestId }) => {
  const action = request.nextUrl.pathname.replace(/^\/api\/auth\//, "");
  if (action === "sign-out") return getAuth().handler(new Request(request.url, { method: "POST", headers: forwardedHeaders(request), body: "{}" }));
  if (action !== "sign-in/email") throw new AppError("not_found", "No such endpoint.");

  const { email, password, rememberMe } = signInBodySchema.parse(parseJsonText(await readBodyText(request, 16 * 1024)));
  const waitSeconds = await secondsUntilSignInAllowed(email);
  if (waitSeconds > 0) {
    logEvent("warn", "sign_in_throttled", { requestId, email });
    throw new AppError("rate_limit_exceeded", `Too many failed sign-ins for this email; try again in ${Math.ceil(waitSeconds / 60)} min.`, {
      headers: { "retry-after": String(waitSeconds) },
    });
  }
  const person = await findPersonByEmail(email);
  const headers = forwardedHeaders(request);
  const answer = person?.disabledAt
    ? null // a disabled person is answered like a wrong password: no new session, nothing learned
    : await getAuth().handler(new Request(request.url, { method: "POST", headers, body: JSON.stringify({ email, password, rememberMe }) }));
  if (!answer || answer.status === 401) {
    await recordFailedSignIn(email);
    logEvent("warn", "sign_in_failed", { requestId, email });
    throw new AppError("unauthorized", WRONG_CREDENTIALS);
  }
  if (!answer.ok) {
    // better-auth's error code (INVALID_ORIGIN and the like) says why; its body holds nothing secret then.
    const code = ((await answer.json().catch(() => null)) as { code?: string } | null)?.code;
    logEvent("error", "sign_in_error", { requestId, status: answer.status, code });
    throw new AppError(answer.status === 403 ? "forbidden" : "invalid_input", "The sign-in was refused.");
  }
  await clearFailedSignIns(email);
  const cookies = new Headers();
  for (const cookie of answer.headers.getSetCookie()) cookies.append("set-cookie", cookie);
  return json({ signedIn: true, role: person?.role ?? null }, { headers: cookies });
});

/**
 * What better-auth sees of the request. route() has already refused cross-site writes (Origin and
 * Sec-Fetch-Site), so better-auth is told the request comes from Jobdeck's own origin: its own
 * check would otherwise refuse programs that send Sec-Fetch-Mode but no Origin (Node's fetch).
 */
function forwardedHeaders(request: Request): Headers {
  const headers = new Headers({ "content-type": "application/json", origin: new URL(getEnv().publicBaseUrl).origin });
  for (const name of ["cookie", "user-agent", "x-forwarded-for"]) {
    const value = request.headers.get(name);
    if (value) headers.set(name, value);
  }
  return headers;
}
