import { eq } from "drizzle-orm";
import { z } from "zod";
import { staffInvitations, staffUsers } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import { newId } from "@/lib/ids";
import type { Platform } from "./context";
import { createStaffUserInput } from "./create-staff-user";
import { conflict, parseInput, ServiceError } from "./errors";
import { recordAudit } from "./internal/audit";
import { type InvitationRefusal, openInvitation } from "./queries/staff-invitations";

export const acceptStaffInvitationInput = z
  .object({
    token: z.string().min(1).max(2000),
    // The same rules as every staff login (create-staff-user.ts).
    name: createStaffUserInput.shape.name,
    password: createStaffUserInput.shape.password,
    passwordConfirm: z.string().max(1024),
  })
  .refine((input) => input.password === input.passwordConfirm, { path: ["passwordConfirm"], message: "the passwords do not match" });

/** A link that opens nothing: `conflict` with the refusal as its reason (invitation_expired, …), nothing changed. */
export class InvitationRefusedError extends ServiceError {
  constructor(readonly refusal: InvitationRefusal) {
    super("conflict", `The invitation cannot be accepted (${refusal})`, { reason: `invitation_${refusal}` });
  }
}

/**
 * Accepts an invitation from its link: makes the staff login (the invited address and role, the given name and
 * password, the invitation's language) and marks the invitation accepted, in one transaction that holds the invitation
 * row, so that two acceptances at once make one login. The link is the authority: no one is signed in.
 */
export async function acceptStaffInvitation(platform: Pick<Platform, "db" | "clock" | "links">, input: z.input<typeof acceptStaffInvitationInput>): Promise<{ staffUserId: string; email: string }> {
  const data = parseInput(acceptStaffInvitationInput, input);
  const now = platform.clock.now();
  // Before hashing (the slow part): a dead link is refused at once.
  const peek = await openInvitation(platform.db, platform.links.secret, data.token, now);
  if (!peek.ok) throw new InvitationRefusedError(peek.reason);
  const passwordHash = await hashPassword(data.password);
  const staffUserId = newId("usr");
  return platform.db.transaction(async (tx) => {
    const opened = await openInvitation(tx, platform.links.secret, data.token, now, { lock: true });
    if (!opened.ok) throw new InvitationRefusedError(opened.reason);
    const { invitation } = opened;
    const [taken] = await tx.select({ id: staffUsers.id }).from(staffUsers).where(eq(staffUsers.email, invitation.email)).limit(1);
    if (taken) throw conflict(`A staff login with email '${invitation.email}' already exists`, "email_taken");
    await tx.insert(staffUsers).values({ id: staffUserId, merchantId: invitation.merchantId, email: invitation.email, name: data.name, passwordHash, role: invitation.role, locale: invitation.locale, createdAt: now });
    await tx.update(staffInvitations).set({ acceptedAt: now, acceptedBy: staffUserId }).where(eq(staffInvitations.id, invitation.id));
    const actor = { type: "staff" as const, id: staffUserId, role: invitation.role };
    await recordAudit(tx, { actor, merchantId: invitation.merchantId }, { action: "staff.joined", targetType: "staff_user", targetId: staffUserId, data: { name: data.name, email: invitation.email, role: invitation.role, invitationId: invitation.id }, at: now });
    return { staffUserId, email: invitation.email };
  });
}
