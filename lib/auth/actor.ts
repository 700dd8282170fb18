import "server-only";
// Who is calling: a person by their session cookie, or a program by its API key. The Authorization
// header, when present, is the only credential looked at (a program's request never rides on a
// browser's cookie).
import { getDb } from "@/lib/server/db";
import { getAuth } from "./auth";
import { looksLikeApiKey } from "./key-format";
import { findLiveKey } from "./keys";
import { isRole, type Principal, type Role } from "./permissions";

export type Actor = Principal &
  (
    | { kind: "user"; userId: string; email: string; name: string; sessionId: string }
    | { kind: "key"; keyId: string; name: string }
  );

export function bearerToken(headers: Headers): string | null {
  const match = /^bearer\s+(\S+)\s*$/i.exec(headers.get("authorization") ?? "");
  return match?.[1] ?? null;
}

export async function getActor(headers: Headers): Promise<Actor | null> {
  if (headers.has("authorization")) {
    const token = bearerToken(headers);
    if (!token || !looksLikeApiKey(token)) return null;
    const key = await findLiveKey(token);
    return key ? { kind: "key", keyId: key.id, name: key.name, role: key.role, principalId: `key:${key.id}` } : null;
  }
  const session = await getAuth().api.getSession({ headers, query: { disableCookieCache: true } });
  if (!session) return null;
  // Role and disabling are read from the row, not the session payload: a change applies at once.
  const user = await getDb().user.findUnique({ where: { id: session.user.id }, select: { role: true, disabledAt: true, email: true, name: true } });
  if (!user || user.disabledAt || !isRole(user.role)) return null;
  return {
    kind: "user",
    userId: session.user.id,
    email: user.email,
    name: user.name,
    sessionId: session.session.id,
    role: user.role as Role,
    principalId: `user:${session.user.id}`,
  };
}

/** How an actor is named in submitted_by and the timeline: a person's email, or `key:<name>`. */
export function actorLabel(actor: Actor): string {
  return actor.kind === "user" ? actor.email : `key:${actor.name}`;
}

/** The actor as a job records its submitter or canceller. */
export function asSubmitter(actor: Actor): { label: string; role: Role; principalId: string } {
  return { label: actorLabel(actor), role: actor.role, principalId: actor.principalId };
}
