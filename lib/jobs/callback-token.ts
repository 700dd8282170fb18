// The callback URL Jobdeck hands Descript for each submission ends in a token: the job's own
// random id and an HMAC of it under CALLBACK_SECRET. Descript sends no signature of its own, so
// this token is the only proof a callback came from the party we gave the URL to. Nothing is
// stored: the id says which job, the MAC says the URL was ours.
import crypto from "node:crypto";
import { z } from "zod";

function mac(jobId: string, secret: string): string {
  return crypto.createHmac("sha256", secret).update(`descript-callback:${jobId}`).digest("base64url");
}

export function signCallbackToken(jobId: string, secret: string): string {
  return `${jobId}.${mac(jobId, secret)}`;
}

/** The job id the token was made for, or null when it is malformed or not signed with `secret`. */
export function verifyCallbackToken(token: string, secret: string): string | null {
  const [jobId, signature, ...rest] = token.split(".");
  if (!jobId || !signature || rest.length > 0 || !z.uuid().safeParse(jobId).success) return null;
  const expected = Buffer.from(mac(jobId, secret));
  const given = Buffer.from(signature);
  // Constant-time comparison; the length check first, as timingSafeEqual requires equal lengths.
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return null;
  return jobId;
}
