import { eq } from "drizzle-orm";
import { z } from "zod";
import { staffUsers } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import { STAFF_ROLES } from "@/lib/auth/roles";
import { newId } from "@/lib/ids";
import { authorize } from "./authorize";
import type { ServiceContext } from "./context";
import { conflict, forbidden, parseInput } from "./errors";
import { recordAudit } from "./internal/audit";

export const createStaffUserInput = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email("not a valid email address")),
  name: z.string().trim().min(1, "name is required").max(200),
  password: z.string().min(8, "password must be at least 8 characters").max(1024),
  role: z.enum(STAFF_ROLES),
  locale: z.enum(["ja", "en"]).default("ja"),
});

/** Adds a staff login to the merchant. Owners and admins add staff; only an owner adds another owner. */
export async function createStaffUser(ctx: ServiceContext, input: z.input<typeof createStaffUserInput>): Promise<{ staffUserId: string }> {
  const data = parseInput(createStaffUserInput, input);
  authorize(ctx.actor, "settings.manage");
  if (data.role === "owner" && ctx.actor.type === "staff" && ctx.actor.role !== "owner") throw forbidden("Only an owner can add another owner", "role");
  const passwordHash = await hashPassword(data.password);
  const staffUserId = newId("usr");
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const [taken] = await tx.select({ id: staffUsers.id }).from(staffUsers).where(eq(staffUsers.email, data.email)).limit(1);
    if (taken) throw conflict(`A staff login with email '${data.email}' already exists`, "email_taken");
    await tx.insert(staffUsers).values({ id: staffUserId, merchantId: ctx.merchantId, email: data.email, name: data.name, passwordHash, role: data.role, locale: data.locale, createdAt: now });
    await recordAudit(tx, ctx, { action: "staff.created", targetType: "staff_user", targetId: staffUserId, data: { role: data.role }, at: now });
  });
  return { staffUserId };
}
