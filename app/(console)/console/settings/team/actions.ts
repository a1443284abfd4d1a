"use server";

import type { StaffRole } from "@/lib/auth/roles";
import { type ActionResult, staffAction } from "@/lib/console/action";
import { inviteStaff, resendStaffInvitation, revokeStaffInvitation } from "@/lib/services/staff-invitations";
import { changeStaffRole, removeStaff } from "@/lib/services/team";

/* The メンバー page's server actions: each goes through staffAction to one service, which checks the role itself. */

const PAGE = "/console/settings/team";

export async function changeStaffRoleAction(input: { staffUserId: string; role: StaffRole }): Promise<ActionResult> {
  return staffAction(
    async (ctx) => {
      await changeStaffRole(ctx, input);
      return null;
    },
    { revalidate: [PAGE] },
  );
}

export async function removeStaffAction(input: { staffUserId: string }): Promise<ActionResult> {
  return staffAction(
    async (ctx) => {
      await removeStaff(ctx, input);
      return null;
    },
    { revalidate: [PAGE] },
  );
}

export async function inviteStaffAction(input: { email: string; role: StaffRole }): Promise<ActionResult> {
  return staffAction(
    async (ctx) => {
      await inviteStaff(ctx, input);
      return null;
    },
    { revalidate: [PAGE] },
  );
}

export async function resendInvitationAction(input: { invitationId: string }): Promise<ActionResult> {
  return staffAction(
    async (ctx) => {
      await resendStaffInvitation(ctx, input);
      return null;
    },
    { revalidate: [PAGE] },
  );
}

export async function revokeInvitationAction(input: { invitationId: string }): Promise<ActionResult> {
  return staffAction(
    async (ctx) => {
      await revokeStaffInvitation(ctx, input);
      return null;
    },
    { revalidate: [PAGE] },
  );
}
