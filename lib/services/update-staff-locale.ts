import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { staffUsers } from "@/db/schema";
import type { ServiceContext } from "./context";
import { forbidden, parseInput } from "./errors";

export const updateStaffLocaleInput = z.object({ locale: z.enum(["ja", "en"]) });

/** A staff member's own console language; every role may choose its own. */
export async function updateStaffLocale(ctx: ServiceContext, input: z.input<typeof updateStaffLocaleInput>): Promise<void> {
  const data = parseInput(updateStaffLocaleInput, input);
  if (ctx.actor.type !== "staff") throw forbidden("Only a staff member has a console language", "realm");
  await ctx.db.update(staffUsers).set({ locale: data.locale }).where(and(eq(staffUsers.id, ctx.actor.id), eq(staffUsers.merchantId, ctx.merchantId)));
}
