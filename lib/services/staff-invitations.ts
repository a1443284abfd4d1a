import { and, eq, gt, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { merchants, staffInvitations, staffUsers } from "@/db/schema";
import { signLinkToken } from "@/lib/auth/signed-link";
import { STAFF_ROLES, type StaffRole } from "@/lib/auth/roles";
import { mailKeys } from "@/lib/billing/mail-template";
import { newId } from "@/lib/ids";
import { enqueueMail } from "@/lib/mail/enqueue-mail";
import { formatMailDate } from "@/lib/mail/mail-date";
import { MESSAGES } from "@/messages";
import { authorize } from "./authorize";
import type { ServiceContext } from "./context";
import { conflict, forbidden, notFound, parseInput } from "./errors";
import { recordAudit } from "./internal/audit";

/** How long an invitation's link opens, from when its mail is (last) sent. */
export const INVITATION_DAYS = 7;

/** Where an invitation's link opens: the public accept page, outside the console's sign-in guard. */
export const INVITATION_PATH = "/invitation";

/** Owners are invited only by owners, as they are made only by owners (lib/services/team.ts). */
function checkOwnerRule(ctx: ServiceContext, role: StaffRole) {
  if (ctx.actor.type === "staff" && ctx.actor.role !== "owner" && role === "owner") throw forbidden("Only an owner can invite an owner", "owner_only");
}

type InvitationRow = typeof staffInvitations.$inferSelect;

/**
 * Queues the invitation's mail, its link signed to expire with the invitation: from the merchant's sender, in the
 * inviter's language, naming who invited and to which role. One mail per sending (the key carries when).
 */
async function queueInvitationMail(tx: Db, ctx: ServiceContext, invitation: InvitationRow, now: Date) {
  const [merchant] = await tx.select({ name: merchants.name, senderName: merchants.senderName, timeZone: merchants.timeZone }).from(merchants).where(eq(merchants.id, ctx.merchantId));
  if (!merchant) throw notFound("merchant", ctx.merchantId);
  const [inviter] = ctx.actor.type === "staff" ? await tx.select({ name: staffUsers.name }).from(staffUsers).where(eq(staffUsers.id, ctx.actor.id)) : [];
  const token = await signLinkToken(ctx.links.secret, { purpose: "staff_invitation", subject: invitation.id, merchantId: ctx.merchantId, expiresAt: invitation.expiresAt });
  const locale = invitation.locale;
  await enqueueMail(tx, {
    merchantId: ctx.merchantId,
    template: "staff_invitation",
    to: invitation.email,
    locale,
    variables: {
      merchant: merchant.senderName ?? merchant.name,
      footer: merchant.name,
      inviter: inviter?.name ?? merchant.name,
      role: MESSAGES[locale].common.role[invitation.role],
      invitation_url: `${ctx.links.baseUrl}${INVITATION_PATH}?token=${token}`,
      invitation_expires: formatMailDate(invitation.expiresAt, merchant.timeZone, locale),
    },
    idempotencyKey: mailKeys.staffInvitation(invitation.id, now),
    at: now,
  });
}

const expiryFrom = (now: Date) => new Date(now.getTime() + INVITATION_DAYS * 86_400_000);

export const inviteStaffInput = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email("not a valid email address")).pipe(z.string().max(320)),
  role: z.enum(STAFF_ROLES),
});

/**
 * Invites someone by mail to join the merchant's console with a role. Refused when the address already signs in here
 * (already_member) or to another merchant's console (email_taken: one login per address), or has an invitation still
 * open (already_invited: send that one again instead).
 */
export async function inviteStaff(ctx: ServiceContext, input: z.input<typeof inviteStaffInput>): Promise<{ invitationId: string }> {
  const data = parseInput(inviteStaffInput, input);
  authorize(ctx.actor, "team.manage");
  checkOwnerRule(ctx, data.role);
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    // Invitations of one merchant go one at a time, so two at once cannot both find the address free.
    await tx.select({ id: merchants.id }).from(merchants).where(eq(merchants.id, ctx.merchantId)).for("no key update");
    const [member] = await tx.select({ merchantId: staffUsers.merchantId }).from(staffUsers).where(eq(staffUsers.email, data.email)).limit(1);
    if (member?.merchantId === ctx.merchantId) throw conflict(`'${data.email}' is already a member`, "already_member");
    if (member) throw conflict(`A staff login with email '${data.email}' already exists`, "email_taken");
    const [open] = await tx
      .select({ id: staffInvitations.id })
      .from(staffInvitations)
      .where(and(eq(staffInvitations.merchantId, ctx.merchantId), eq(staffInvitations.email, data.email), isNull(staffInvitations.acceptedAt), isNull(staffInvitations.revokedAt), gt(staffInvitations.expiresAt, now)))
      .limit(1);
    if (open) throw conflict(`'${data.email}' has an open invitation already`, "already_invited");

    const [actorRow] = ctx.actor.type === "staff" ? await tx.select({ locale: staffUsers.locale }).from(staffUsers).where(eq(staffUsers.id, ctx.actor.id)) : [];
    const [invitation] = await tx
      .insert(staffInvitations)
      .values({
        id: newId("sinv"),
        merchantId: ctx.merchantId,
        email: data.email,
        role: data.role,
        locale: actorRow?.locale ?? "ja",
        invitedBy: ctx.actor.type === "staff" ? ctx.actor.id : null,
        createdAt: now,
        expiresAt: expiryFrom(now),
      })
      .returning();
    await queueInvitationMail(tx, ctx, invitation!, now);
    await recordAudit(tx, ctx, { action: "staff.invited", targetType: "staff_invitation", targetId: invitation!.id, data: { email: data.email, role: data.role }, at: now });
    return { invitationId: invitation!.id };
  });
}

export const staffInvitationInput = z.object({ invitationId: z.string().min(1).max(100) });

/** The invitation, locked; refused once accepted, and an owner's to all but owners. */
async function lockInvitation(tx: Db, ctx: ServiceContext, invitationId: string) {
  const [invitation] = await tx
    .select()
    .from(staffInvitations)
    .where(and(eq(staffInvitations.id, invitationId), eq(staffInvitations.merchantId, ctx.merchantId)))
    .for("update");
  if (!invitation) throw notFound("invitation", invitationId, "invitationId");
  if (invitation.acceptedAt) throw conflict("The invitation was accepted already", "invitation_accepted");
  checkOwnerRule(ctx, invitation.role);
  return invitation;
}

/** Sends an open invitation's mail again with a fresh link; its expiry moves to INVITATION_DAYS from now. */
export async function resendStaffInvitation(ctx: ServiceContext, input: z.input<typeof staffInvitationInput>): Promise<{ invitationId: string; expiresAt: Date }> {
  const data = parseInput(staffInvitationInput, input);
  authorize(ctx.actor, "team.manage");
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const invitation = await lockInvitation(tx, ctx, data.invitationId);
    if (invitation.revokedAt) throw conflict("The invitation was revoked", "invitation_revoked");
    const expiresAt = expiryFrom(now);
    await tx.update(staffInvitations).set({ expiresAt }).where(eq(staffInvitations.id, invitation.id));
    await queueInvitationMail(tx, ctx, { ...invitation, expiresAt }, now);
    await recordAudit(tx, ctx, { action: "staff.invitation_resent", targetType: "staff_invitation", targetId: invitation.id, data: { email: invitation.email, role: invitation.role }, at: now });
    return { invitationId: invitation.id, expiresAt };
  });
}

/** Revokes an invitation: its link opens nothing from now on. Revoking a revoked one changes nothing. */
export async function revokeStaffInvitation(ctx: ServiceContext, input: z.input<typeof staffInvitationInput>): Promise<{ invitationId: string }> {
  const data = parseInput(staffInvitationInput, input);
  authorize(ctx.actor, "team.manage");
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const invitation = await lockInvitation(tx, ctx, data.invitationId);
    if (invitation.revokedAt) return { invitationId: invitation.id };
    await tx.update(staffInvitations).set({ revokedAt: now }).where(eq(staffInvitations.id, invitation.id));
    await recordAudit(tx, ctx, { action: "staff.invitation_revoked", targetType: "staff_invitation", targetId: invitation.id, data: { email: invitation.email, role: invitation.role }, at: now });
    return { invitationId: invitation.id };
  });
}
