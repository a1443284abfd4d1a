import { eq } from "drizzle-orm";
import { isPgError } from "@/db/pg-error";
import { z } from "zod";
import { apiKeys, merchants, staffUsers } from "@/db/schema";
import { DEFAULT_BILLING_SETTINGS } from "@/lib/billing/billing-settings";
import { DEFAULT_TIME_ZONE, isValidTimeZone } from "@/lib/billing/calendar";
import { generateSecretKey } from "@/lib/auth/api-key";
import { hashPassword } from "@/lib/auth/password";
import { newId } from "@/lib/ids";
import { recordAudit } from "./internal/audit";
import type { ServiceContext } from "./context";
import { conflict, parseInput } from "./errors";

export const createMerchantInput = z.object({
  name: z.string().trim().min(1, "name is required").max(200),
  email: z.string().trim().toLowerCase().pipe(z.email("not a valid email address")),
  password: z.string().min(8, "password must be at least 8 characters").max(1024),
  /** Display name of the owner's staff login; the merchant's name when absent. */
  ownerName: z.string().trim().min(1).max(200).optional(),
  timeZone: z.string().trim().refine(isValidTimeZone, "not a known IANA time zone").default(DEFAULT_TIME_ZONE),
  currency: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.string().regex(/^[a-z]{3}$/, "currency must be a 3-letter ISO 4217 code"))
    .default("jpy"),
});

export type CreateMerchantInput = z.input<typeof createMerchantInput>;

export type CreateMerchantResult = {
  merchantId: string;
  staffUserId: string;
  apiKeyId: string;
  /** Shown once; only its sha256 is stored. */
  secretKey: string;
};

const duplicateEmail = (email: string) => conflict(`A staff login with email '${email}' already exists`, "email_taken");

/**
 * Signs up a merchant: the merchant with the default billing settings, its owner's staff login and one
 * API secret key, in one transaction. Not merchant-scoped (it creates the scope), so it takes no merchantId.
 */
export async function createMerchant(
  ctx: Pick<ServiceContext, "db" | "actor" | "clock">,
  input: CreateMerchantInput,
): Promise<CreateMerchantResult> {
  const data = parseInput(createMerchantInput, input);
  // Hashing is deliberately slow: do it before the transaction so that no locks are held meanwhile.
  const passwordHash = await hashPassword(data.password);
  const key = generateSecretKey();
  const now = ctx.clock.now();
  const merchantId = newId("mer");
  const staffUserId = newId("usr");
  const apiKeyId = newId("key");

  try {
    await ctx.db.transaction(async (tx) => {
      const taken = await tx.select({ id: staffUsers.id }).from(staffUsers).where(eq(staffUsers.email, data.email)).limit(1);
      if (taken.length > 0) throw duplicateEmail(data.email);

      await tx.insert(merchants).values({
        id: merchantId,
        name: data.name,
        email: data.email,
        timeZone: data.timeZone,
        currency: data.currency,
        billingSettings: DEFAULT_BILLING_SETTINGS,
        createdAt: now,
      });
      await tx.insert(staffUsers).values({
        id: staffUserId,
        merchantId,
        email: data.email,
        name: data.ownerName ?? data.name,
        passwordHash,
        role: "owner",
        createdAt: now,
      });
      await tx.insert(apiKeys).values({
        id: apiKeyId,
        merchantId,
        displayPrefix: key.displayPrefix,
        keyHash: key.keyHash,
        name: "Default secret key",
        createdAt: now,
      });
      await recordAudit(tx, { actor: ctx.actor, merchantId }, {
        action: "merchant.created",
        targetType: "merchant",
        targetId: merchantId,
        data: { name: data.name, email: data.email, timeZone: data.timeZone, currency: data.currency, staffUserId, apiKeyId },
        at: now,
      });
    });
  } catch (error) {
    // Two sign-ups with one email at the same moment: the unique index decides, the loser gets a conflict.
    if (isPgError(error, "23505", "staff_users_email_key")) throw duplicateEmail(data.email);
    throw error;
  }

  return { merchantId, staffUserId, apiKeyId, secretKey: key.secretKey };
}
