import "server-only";
// The better-auth instance: email and password sign-in, sessions in Postgres through Prisma.
// Sign-up is off (admins create people, the first admin comes from /setup or the launcher's demo
// admin); roles and disabling are Jobdeck's own fields on the user (docs/decisions/0016).
import crypto from "node:crypto";
import { prismaAdapter } from "@better-auth/prisma-adapter";
import { betterAuth } from "better-auth";
import { getDb } from "@/lib/server/db";
import { getEnv } from "@/lib/server/env";

/** Passwords shorter than this are refused when set. */
export const MIN_PASSWORD_LENGTH = 12;
const SESSION_DAYS = 7;

function createAuth() {
  const env = getEnv();
  return betterAuth({
    appName: "Jobdeck",
    baseURL: env.publicBaseUrl,
    basePath: "/api/auth",
    // Derived from CALLBACK_SECRET (already required, stable and kept secret) so that operators
    // manage one secret; a label keeps the two uses apart.
    secret: crypto.createHmac("sha256", env.callbackSecret).update("jobdeck session signing").digest("base64url"),
    database: prismaAdapter(getDb(), { provider: "postgresql" }),
    // scrypt, better-auth's default: a memory-hard hash.
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: MIN_PASSWORD_LENGTH, maxPasswordLength: 256 },
    user: {
      additionalFields: {
        role: { type: "string", required: false, defaultValue: "viewer", input: false },
        disabledAt: { type: "date", required: false, input: false },
      },
    },
    session: { expiresIn: SESSION_DAYS * 24 * 60 * 60, updateAge: 24 * 60 * 60 },
    // Failed sign-ins are throttled per email in lib/auth/throttle.ts, shared by every instance.
    rateLimit: { enabled: false },
    trustedOrigins: [env.publicBaseUrl],
    telemetry: { enabled: false },
    advanced: {
      cookiePrefix: "jobdeck",
      // Secure whenever the app is reached over HTTPS; httpOnly and SameSite=Lax always.
      useSecureCookies: env.publicBaseUrl.startsWith("https://"),
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax", path: "/" },
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;

const globalForAuth = globalThis as typeof globalThis & { jobdeckAuth?: Auth };

export function getAuth(): Auth {
  globalForAuth.jobdeckAuth ??= createAuth();
  return globalForAuth.jobdeckAuth;
}
