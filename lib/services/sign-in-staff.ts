import { eq } from "drizzle-orm";
import { z } from "zod";
import { merchants, signInThrottles, staffUsers } from "@/db/schema";
import { verifyPassword } from "@/lib/auth/password";
import type { StaffRole } from "@/lib/auth/roles";
import { ADDRESS_RULE, EMAIL_RULE, type ThrottleRule } from "@/lib/auth/sign-in-throttle";
import type { Platform } from "./context";
import { recordAudit } from "./internal/audit";
import { recordThrottleFailure, throttleAllows } from "./internal/throttle-store";

export const signInStaffInput = z.object({
  email: z.string().trim().toLowerCase().max(320),
  password: z.string().max(1024),
  /** The client's address as the server saw it; null when unknown (then only the email is throttled). */
  address: z.string().max(100).nullable(),
});

export type StaffIdentity = { staffUserId: string; merchantId: string; role: StaffRole; name: string; email: string; locale: "ja" | "en" };

/** One answer for every refusal (wrong email, wrong password, throttled), so that none tells an attacker more. */
export type SignInResult = { ok: true; staff: StaffIdentity } | { ok: false };

// A wrong email is checked against this, so that it takes as long as a wrong password (argon2id of a random string).
const DUMMY_HASH = "$argon2id$v=19$m=19456,t=2,p=1$43okM2YSyT3nUchJOvHePQ$NJl/lFjSBWhIj19YSNFDXKT/w6r9NldtEWbf9ERAx/g";

/**
 * A staff member's email and password, checked under the throttle: failures per email and per address slow down and
 * then lock further attempts (lib/auth/sign-in-throttle.ts); a success clears the email's count and is audited.
 */
export async function signInStaff(platform: Pick<Platform, "db" | "clock">, input: z.input<typeof signInStaffInput>): Promise<SignInResult> {
  const parsed = signInStaffInput.safeParse(input);
  if (!parsed.success || parsed.data.email === "" || parsed.data.password === "") return { ok: false };
  const { email, password, address } = parsed.data;
  const now = platform.clock.now();
  const keys: [string, ThrottleRule][] = [[`email:${email}`, EMAIL_RULE]];
  if (address) keys.push([`ip:${address}`, ADDRESS_RULE]);

  if (!(await throttleAllows(platform.db, keys, now))) return { ok: false };

  const [staff] = await platform.db.select().from(staffUsers).where(eq(staffUsers.email, email)).limit(1);
  const valid = await verifyPassword(staff?.passwordHash ?? DUMMY_HASH, password);
  if (!staff || !valid) {
    await recordThrottleFailure(platform.db, keys, now);
    return { ok: false };
  }
  await platform.db.transaction(async (tx) => {
    await tx.delete(signInThrottles).where(eq(signInThrottles.key, `email:${email}`));
    await recordAudit(tx, { merchantId: staff.merchantId, actor: { type: "staff", id: staff.id, role: staff.role } }, {
      action: "staff.signed_in",
      targetType: "staff_user",
      targetId: staff.id,
      data: address ? { address } : {},
      at: now,
    });
  });
  return { ok: true, staff: { staffUserId: staff.id, merchantId: staff.merchantId, role: staff.role, name: staff.name, email: staff.email, locale: staff.locale } };
}

/**
 * The staff member behind a session, as they are now: a removed staff member or a changed role takes effect at the
 * next request, whatever the session cookie says.
 */
export async function currentStaff(platform: Pick<Platform, "db">, staffUserId: string): Promise<StaffMember | null> {
  const [row] = await platform.db
    .select({ staff: staffUsers, merchant: { name: merchants.name, timeZone: merchants.timeZone, currency: merchants.currency } })
    .from(staffUsers)
    .innerJoin(merchants, eq(merchants.id, staffUsers.merchantId))
    .where(eq(staffUsers.id, staffUserId))
    .limit(1);
  if (!row) return null;
  const { staff, merchant } = row;
  return { staffUserId: staff.id, merchantId: staff.merchantId, role: staff.role, name: staff.name, email: staff.email, locale: staff.locale, merchant };
}

/** A signed-in staff member with what the console shows of their merchant. */
export type StaffMember = StaffIdentity & { merchant: { name: string; timeZone: string; currency: string } };
