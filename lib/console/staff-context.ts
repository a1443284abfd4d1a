import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import { cache } from "react";
import { configuredPlatform } from "@/lib/platform";
import { getDatabase } from "@/lib/runtime";
import type { ServiceContext } from "@/lib/services/context";
import { staffContext } from "@/lib/services/contexts";
import { currentStaff, type StaffMember } from "@/lib/services/sign-in-staff";
import { authOptions } from "./auth-options";

export type StaffSession = { staff: StaffMember; ctx: ServiceContext };

/**
 * The staff realm's one way from a request to a service context: the session cookie names a staff member, who is read
 * again (a removed login or a changed role counts at once), and the context carries their role for the services to
 * check. Cached per request, so a page, its layout and the i18n config read it once.
 */
export const staffSession = cache(async (): Promise<StaffSession | null> => {
  const session = await getServerSession(authOptions());
  if (!session?.staffUserId) return null;
  const database = await getDatabase();
  const platform = configuredPlatform(database);
  const staff = await currentStaff(platform, session.staffUserId);
  if (!staff) return null;
  return { staff, ctx: staffContext(platform, { merchantId: staff.merchantId, staffUserId: staff.staffUserId, role: staff.role }) };
});

/** For console pages: the session, or the sign-in page (the proxy sends most visitors there first). */
export async function requireStaff(): Promise<StaffSession> {
  const session = await staffSession();
  if (!session) redirect("/console/sign-in");
  return session;
}
