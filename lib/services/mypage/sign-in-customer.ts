import { z } from "zod";
import { verifyPassword } from "@/lib/auth/password";
import { ADDRESS_RULE, EMAIL_RULE } from "@/lib/auth/sign-in-throttle";
import type { Platform } from "../context";
import { recordAudit } from "../internal/audit";
import { clearThrottle, recordThrottleFailure, throttleAllows, type ThrottleKeys } from "../internal/throttle-store";
import { startCustomerSession } from "./customer-sessions";
import { customerByEmail } from "./find-customer";

export const signInCustomerInput = z.object({
  merchantId: z.string().min(1).max(100),
  email: z.string().trim().toLowerCase().max(320),
  password: z.string().max(1024),
  address: z.string().max(100).nullable(),
});

// A wrong email is checked against this, so that it takes as long as a wrong password (argon2id of a random string).
const DUMMY_HASH = "$argon2id$v=19$m=19456,t=2,p=1$43okM2YSyT3nUchJOvHePQ$NJl/lFjSBWhIj19YSNFDXKT/w6r9NldtEWbf9ERAx/g";

/** The throttle's keys of a customer sign-in: the email within its merchant, and the client's address. */
export function customerThrottleKeys(merchantId: string, email: string, address: string | null): ThrottleKeys {
  const keys: ThrottleKeys = [[`customer:${merchantId}:${email}`, EMAIL_RULE]];
  if (address) keys.push([`ip:${address}`, ADDRESS_RULE]);
  return keys;
}

/**
 * A customer's email and password on their merchant's mypage, under the staff sign-in's throttle rules
 * (lib/auth/sign-in-throttle.ts). One answer for every refusal, so that none tells an attacker more.
 */
export async function signInCustomer(platform: Pick<Platform, "db" | "clock">, input: z.input<typeof signInCustomerInput>): Promise<{ ok: true; token: string; expiresAt: Date } | { ok: false }> {
  const parsed = signInCustomerInput.safeParse(input);
  if (!parsed.success || parsed.data.email === "" || parsed.data.password === "") return { ok: false };
  const { merchantId, email, password, address } = parsed.data;
  const now = platform.clock.now();
  const keys = customerThrottleKeys(merchantId, email, address);
  if (!(await throttleAllows(platform.db, keys, now))) return { ok: false };

  const customer = await customerByEmail(platform.db, merchantId, email);
  const valid = await verifyPassword(customer?.passwordHash ?? DUMMY_HASH, password);
  if (!customer || !customer.passwordHash || !valid) {
    await recordThrottleFailure(platform.db, keys, now);
    return { ok: false };
  }
  await clearThrottle(platform.db, keys[0]![0]);
  await recordAudit(platform.db, { merchantId, actor: { type: "customer", id: customer.id } }, { action: "customer.signed_in", targetType: "customer", targetId: customer.id, data: { method: "password" }, at: now });
  return { ok: true, ...(await startCustomerSession(platform, { merchantId, customerId: customer.id })) };
}
