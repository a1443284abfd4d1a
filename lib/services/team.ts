import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { bulkJobs, savedSearches, staffInvitations, staffUsers } from "@/db/schema";
import type { Db } from "@/db/client";
import { STAFF_ROLES, type StaffRole } from "@/lib/auth/roles";
import { authorize } from "./authorize";
import type { ServiceContext } from "./context";
import { conflict, forbidden, notFound, parseInput } from "./errors";
import { recordAudit } from "./internal/audit";

/**
 * The member and the merchant's owners, locked for the rest of the transaction: two changes at once cannot both see
 * "another owner remains" and leave the merchant with none.
 */
async function lockMember(tx: Db, ctx: ServiceContext, staffUserId: string) {
  const owners = await tx
    .select({ id: staffUsers.id })
    .from(staffUsers)
    .where(and(eq(staffUsers.merchantId, ctx.merchantId), eq(staffUsers.role, "owner")))
    .orderBy(staffUsers.id)
    .for("update");
  const [member] = await tx
    .select({ id: staffUsers.id, name: staffUsers.name, email: staffUsers.email, role: staffUsers.role })
    .from(staffUsers)
    .where(and(eq(staffUsers.id, staffUserId), eq(staffUsers.merchantId, ctx.merchantId)))
    .for("update");
  if (!member) throw notFound("staff member", staffUserId, "staffUserId");
  return { member, ownerCount: owners.length };
}

/** Owners are touched only by owners: an admin can neither make one nor change or remove one. */
function checkOwnerRule(ctx: ServiceContext, roles: readonly StaffRole[]) {
  if (ctx.actor.type === "staff" && ctx.actor.role !== "owner" && roles.includes("owner")) throw forbidden("Only an owner can make, change or remove an owner", "owner_only");
}

export const changeStaffRoleInput = z.object({ staffUserId: z.string().min(1), role: z.enum(STAFF_ROLES) });

/** Gives a member another role. The merchant always keeps an owner: the last one cannot be demoted. */
export async function changeStaffRole(ctx: ServiceContext, input: z.input<typeof changeStaffRoleInput>) {
  const data = parseInput(changeStaffRoleInput, input);
  authorize(ctx.actor, "team.manage");
  return ctx.db.transaction(async (tx) => {
    const { member, ownerCount } = await lockMember(tx, ctx, data.staffUserId);
    checkOwnerRule(ctx, [member.role, data.role]);
    if (member.role === data.role) return { id: member.id, role: member.role };
    if (member.role === "owner" && ownerCount <= 1) throw conflict("The last owner cannot be given another role", "last_owner");
    await tx.update(staffUsers).set({ role: data.role }).where(eq(staffUsers.id, member.id));
    await recordAudit(tx, ctx, { action: "staff.role_changed", targetType: "staff_user", targetId: member.id, data: { name: member.name, from: member.role, to: data.role }, at: ctx.clock.now() });
    return { id: member.id, role: data.role };
  });
}

export const removeStaffInput = z.object({ staffUserId: z.string().min(1) });

/**
 * Removes a member's login: their session stops working at the next request (the console reads the member again each
 * time). What they made stays (saved searches, bulk jobs, invitations they sent, the audit log); the audit row of the removal keeps their
 * name and email. The last owner cannot be removed.
 */
export async function removeStaff(ctx: ServiceContext, input: z.input<typeof removeStaffInput>) {
  const data = parseInput(removeStaffInput, input);
  authorize(ctx.actor, "team.manage");
  return ctx.db.transaction(async (tx) => {
    const { member, ownerCount } = await lockMember(tx, ctx, data.staffUserId);
    checkOwnerRule(ctx, [member.role]);
    if (member.role === "owner" && ownerCount <= 1) throw conflict("The last owner cannot be removed", "last_owner");
    await tx.update(savedSearches).set({ createdBy: null }).where(eq(savedSearches.createdBy, member.id));
    await tx.update(bulkJobs).set({ createdBy: null }).where(eq(bulkJobs.createdBy, member.id));
    await tx.update(staffInvitations).set({ invitedBy: null }).where(eq(staffInvitations.invitedBy, member.id));
    await tx.delete(staffUsers).where(eq(staffUsers.id, member.id));
    await recordAudit(tx, ctx, { action: "staff.removed", targetType: "staff_user", targetId: member.id, data: { name: member.name, email: member.email, role: member.role }, at: ctx.clock.now() });
    return { id: member.id };
  });
}
