import "server-only";
// Throttling of failed sign-ins, per email and shared by every instance (a table, not memory):
// after MAX_FAILURES wrong passwords within WINDOW_MINUTES, that email cannot sign in until the
// window has passed. Per email rather than per address: behind a reverse proxy every request
// comes from the proxy, and guessing one person's password is the attack to slow.
import { getDb } from "@/lib/server/db";

export const MAX_FAILURES = 5;
export const WINDOW_MINUTES = 15;

/** Seconds until the email may try again, or 0. */
export async function secondsUntilSignInAllowed(email: string): Promise<number> {
  const row = await getDb().signInFailure.findUnique({ where: { email: normalize(email) } });
  if (!row || row.failures < MAX_FAILURES) return 0;
  const endsAt = row.windowStart.getTime() + WINDOW_MINUTES * 60_000;
  return Math.max(0, Math.ceil((endsAt - Date.now()) / 1000));
}

export async function recordFailedSignIn(email: string): Promise<void> {
  // One statement: a new window when the last one has passed, else one more failure in it.
  await getDb().$executeRaw`
    INSERT INTO sign_in_failures (email, failures, window_start) VALUES (${normalize(email)}, 1, now())
    ON CONFLICT (email) DO UPDATE SET
      failures = CASE WHEN sign_in_failures.window_start < now() - make_interval(mins => ${WINDOW_MINUTES}) THEN 1 ELSE sign_in_failures.failures + 1 END,
      window_start = CASE WHEN sign_in_failures.window_start < now() - make_interval(mins => ${WINDOW_MINUTES}) THEN now() ELSE sign_in_failures.window_start END`;
}

export async function clearFailedSignIns(email: string): Promise<void> {
  await getDb().signInFailure.deleteMany({ where: { email: normalize(email) } });
}

function normalize(email: string): string {
  return email.trim().toLowerCase().slice(0, 320);
}
