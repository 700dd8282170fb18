import "server-only";
// People who sign in: created by an admin (or /setup for the first one), never by sign-up. The
// password goes through better-auth's own hashing and credential account, so sign-in finds it.
import { getDb, withDriverTransaction } from "@/lib/server/db";
import { AppError } from "@/lib/server/errors";
import type { PersonSummary } from "./api-types";
import { getAuth, MIN_PASSWORD_LENGTH } from "./auth";
import type { Role } from "./permissions";

export type { PersonSummary };

export async function countPeople(): Promise<number> {
  return getDb().user.count();
}

/**
 * The first admin, made only while nobody exists: one setup at a time across every instance (an
 * advisory lock held until the person is stored), so two first-run forms sent at once make one
 * admin, and the second is told someone exists. Null when someone already did.
 */
export async function createFirstAdmin(person: { name: string; email: string; password: string }): Promise<PersonSummary | null> {
  return withDriverTransaction(async (client) => {
    await client.query("SELECT pg_advisory_xact_lock(hashtext('jobdeck.first-admin'))");
    const { rows } = await client.query<{ anyone: boolean }>("SELECT EXISTS (SELECT 1 FROM users) AS anyone");
    if (rows[0]!.anyone) return null;
    return createPerson({ ...person, role: "admin" });
  });
}

export async function listPeople(): Promise<PersonSummary[]> {
  const rows = await getDb().user.findMany({ orderBy: { createdAt: "asc" } });
  return rows.map(toSummary);
}

export async function createPerson({ name, email, password, role }: { name: string; email: string; password: string; role: Role }): Promise<PersonSummary> {
  if (password.length < MIN_PASSWORD_LENGTH) throw new AppError("invalid_input", `The password must have at least ${MIN_PASSWORD_LENGTH} characters.`);
  const normalizedEmail = email.trim().toLowerCase();
  const context = await getAuth().$context;
  if (await context.internalAdapter.findUserByEmail(normalizedEmail)) throw new AppError("conflict", `${normalizedEmail} already has an account.`);
  const hash = await context.password.hash(password);
  const user = await context.internalAdapter.createUser({ name, email: normalizedEmail, emailVerified: true, role }, { method: "admin" });
  await context.internalAdapter.linkAccount({ userId: user.id, providerId: "credential", accountId: user.id, password: hash });
  return toSummary((await getDb().user.findUniqueOrThrow({ where: { id: user.id } })));
}

/** Sets a person's password (the demo admin, the test stack); their sessions end. */
export async function setPassword(userId: string, password: string): Promise<void> {
  const context = await getAuth().$context;
  await context.internalAdapter.updatePassword(userId, await context.password.hash(password));
  await getDb().session.deleteMany({ where: { userId } });
}

/** Changes a role or disables/enables someone. A disabled person's sessions end at once. */
export async function updatePerson(id: string, change: { role?: Role; disabled?: boolean }, actingUserId: string | null): Promise<PersonSummary> {
  const db = getDb();
  const person = await db.user.findUnique({ where: { id } });
  if (!person) throw new AppError("not_found", "No such person.");
  if (id === actingUserId && (change.disabled || (change.role && change.role !== "admin"))) {
    // The last way back in would otherwise be the database.
    throw new AppError("conflict", "You cannot disable yourself or take away your own admin role.");
  }
  const row = await db.$transaction(async (tx) => {
    const updated = await tx.user.update({
      where: { id },
      data: {
        ...(change.role ? { role: change.role } : {}),
        ...(change.disabled === undefined ? {} : { disabledAt: change.disabled ? (person.disabledAt ?? new Date()) : null }),
      },
    });
    if (change.disabled) await tx.session.deleteMany({ where: { userId: id } });
    return updated;
  });
  return toSummary(row);
}

export function findPersonByEmail(email: string) {
  return getDb().user.findUnique({ where: { email: email.trim().toLowerCase() } });
}

function toSummary(row: { id: string; name: string; email: string; role: Role; disabledAt: Date | null; createdAt: Date }): PersonSummary {
  return { id: row.id, name: row.name, email: row.email, role: row.role, disabledAt: row.disabledAt?.toISOString() ?? null, createdAt: row.createdAt.toISOString() };
}

export const DEMO_ADMIN_EMAIL = "admin@jobdeck.local";

/**
 * Sandbox quick start: the launcher's demo admin, created when missing; its password follows
 * JOBDECK_DEMO_PASSWORD (or the launcher's generated one) when they differ.
 */
export async function ensureDemoAdmin(password: string): Promise<"created" | "updated" | "unchanged"> {
  const existing = await findPersonByEmail(DEMO_ADMIN_EMAIL);
  if (!existing) {
    await createPerson({ name: "Demo admin", email: DEMO_ADMIN_EMAIL, password, role: "admin" });
    return "created";
  }
  const context = await getAuth().$context;
  const account = await getDb().account.findFirst({ where: { userId: existing.id, providerId: "credential" } });
  if (account?.password && (await context.password.verify({ hash: account.password, password }))) return "unchanged";
  await setPassword(existing.id, password);
  return "updated";
}
