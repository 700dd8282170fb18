import "server-only";
// A person's own sessions, listed without their tokens, and ended one by one.
import { getDb } from "@/lib/server/db";
import type { SessionSummary } from "./api-types";

export async function listOwnSessions(userId: string, currentSessionId: string): Promise<SessionSummary[]> {
  const rows = await getDb().session.findMany({ where: { userId, expiresAt: { gt: new Date() } }, orderBy: { createdAt: "desc" } });
  return rows.map((row) => ({
    id: row.id,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    ipAddress: row.ipAddress,
    userAgent: row.userAgent,
    isCurrent: row.id === currentSessionId,
  }));
}

/** Ends one of the person's own sessions at once (the next request with its cookie gets 401). */
export async function revokeOwnSession(userId: string, sessionId: string): Promise<boolean> {
  const { count } = await getDb().session.deleteMany({ where: { id: sessionId, userId } });
  return count > 0;
}
