import { and, asc, desc, eq, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { merchants, staffInvitations, staffUsers } from "@/db/schema";
import { verifyLinkToken } from "@/lib/auth/signed-link";
import type { StaffRole } from "@/lib/auth/roles";
import type { Platform, ServiceContext } from "../context";

type ReadContext = Pick<ServiceContext, "db" | "merchantId">;

export type InvitationRow = { id: string; email: string; role: StaffRole; invitedBy: string | null; createdAt: Date; expiresAt: Date };

/**
 * The merchant's invitations neither accepted nor revoked, newest first, with the inviter's name (null once their
 * login is gone). Expired ones are listed too (until the purge takes them): they can be sent again.
 */
export async function listStaffInvitations(ctx: ReadContext): Promise<InvitationRow[]> {
  return ctx.db
    .select({ id: staffInvitations.id, email: staffInvitations.email, role: staffInvitations.role, invitedBy: staffUsers.name, createdAt: staffInvitations.createdAt, expiresAt: staffInvitations.expiresAt })
    .from(staffInvitations)
    .leftJoin(staffUsers, eq(staffUsers.id, staffInvitations.invitedBy))
    .where(and(eq(staffInvitations.merchantId, ctx.merchantId), isNull(staffInvitations.acceptedAt), isNull(staffInvitations.revokedAt)))
    .orderBy(desc(staffInvitations.createdAt), asc(staffInvitations.id));
}

/** Why an invitation's link opens nothing: said on the accept page, nothing else about it shown. */
export type InvitationRefusal = "invalid" | "expired" | "revoked" | "used";

export type OpenedInvitation =
  | { ok: true; invitation: typeof staffInvitations.$inferSelect; merchantName: string; timeZone: string }
  | { ok: false; reason: InvitationRefusal };

/**
 * The invitation a link names, if it still opens: the token must be ours and of this purpose, and the row (the one
 * authority on single use, revocation and expiry) neither accepted, revoked nor expired at `now`. `lock` holds the row
 * for the rest of the caller's transaction, so that two acceptances at once see each other.
 */
export async function openInvitation(db: Db, secret: string, token: string, now: Date, options: { lock?: boolean } = {}): Promise<OpenedInvitation> {
  const verified = await verifyLinkToken(secret, "staff_invitation", token, now);
  if (!verified.ok) return { ok: false, reason: verified.reason === "expired" ? "expired" : "invalid" };
  const query = db
    .select({ invitation: staffInvitations, merchantName: merchants.name, timeZone: merchants.timeZone })
    .from(staffInvitations)
    .innerJoin(merchants, eq(merchants.id, staffInvitations.merchantId))
    .where(and(eq(staffInvitations.id, verified.subject), eq(staffInvitations.merchantId, verified.merchantId)));
  const [row] = options.lock ? await query.for("update", { of: staffInvitations }) : await query;
  if (!row) return { ok: false, reason: "invalid" };
  if (row.invitation.acceptedAt) return { ok: false, reason: "used" };
  if (row.invitation.revokedAt) return { ok: false, reason: "revoked" };
  if (row.invitation.expiresAt <= now) return { ok: false, reason: "expired" };
  return { ok: true, invitation: row.invitation, merchantName: row.merchantName, timeZone: row.timeZone };
}

export type InvitationView = { ok: true; merchantName: string; timeZone: string; email: string; role: StaffRole; expiresAt: Date } | { ok: false; reason: InvitationRefusal };

/** What the accept page shows of a link: the merchant, the address and the role, or why it opens nothing. */
export async function getInvitationView(platform: Pick<Platform, "db" | "clock" | "links">, token: string): Promise<InvitationView> {
  const opened = await openInvitation(platform.db, platform.links.secret, token, platform.clock.now());
  if (!opened.ok) return opened;
  const { invitation } = opened;
  return { ok: true, merchantName: opened.merchantName, timeZone: opened.timeZone, email: invitation.email, role: invitation.role, expiresAt: invitation.expiresAt };
}
