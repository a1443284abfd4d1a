import { asc, eq } from "drizzle-orm";
import { staffUsers } from "@/db/schema";
import type { StaffRole } from "@/lib/auth/roles";
import type { ServiceContext } from "../context";

type ReadContext = Pick<ServiceContext, "db" | "merchantId">;

export type StaffRow = { id: string; name: string; email: string; role: StaffRole; createdAt: Date };

/** The merchant's staff logins, oldest first (the founding owner on top). Never the password hash. */
export async function listStaff(ctx: ReadContext): Promise<StaffRow[]> {
  return ctx.db
    .select({ id: staffUsers.id, name: staffUsers.name, email: staffUsers.email, role: staffUsers.role, createdAt: staffUsers.createdAt })
    .from(staffUsers)
    .where(eq(staffUsers.merchantId, ctx.merchantId))
    .orderBy(asc(staffUsers.createdAt), asc(staffUsers.id));
}
