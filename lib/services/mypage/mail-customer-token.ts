import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { type CustomerTokenPurpose, customers, customerTokens, merchants } from "@/db/schema";
import { ADDRESS_RULE, EMAIL_RULE } from "@/lib/auth/sign-in-throttle";
import { mailKeys } from "@/lib/billing/mail-template";
import { newId } from "@/lib/ids";
import { enqueueMail } from "@/lib/mail/enqueue-mail";
import { hashToken, newSecretToken } from "@/lib/mypage/secret-token";
import { tokenPagePath } from "@/lib/mypage/urls";
import type { Platform } from "../context";
import { recordThrottleFailure, throttleAllows, type ThrottleKeys } from "../internal/throttle-store";
import { customerByEmail } from "./find-customer";

/** How long a mailed token is good for. */
export const TOKEN_MINUTES: Record<CustomerTokenPurpose, number> = { sign_in: 15, password_reset: 15, email_change: 24 * 60 };

const TEMPLATE = { sign_in: "sign_in_link", password_reset: "password_reset", email_change: "email_change" } as const;
const URL_VARIABLE = { sign_in: "sign_in_url", password_reset: "reset_url", email_change: "email_confirm_url" } as const;

/** Writes a single-use token and queues its mail (to `to`: the customer's address, or the new one for an email change). */
export async function issueCustomerToken(
  db: Db,
  platform: Pick<Platform, "links">,
  customer: typeof customers.$inferSelect,
  purpose: CustomerTokenPurpose,
  now: Date,
  options: { to?: string; newEmail?: string } = {},
): Promise<void> {
  const [merchant] = await db.select().from(merchants).where(eq(merchants.id, customer.merchantId));
  const token = newSecretToken();
  const id = newId("tok");
  await db.transaction(async (tx) => {
    await tx.insert(customerTokens).values({
      id,
      tokenHash: hashToken(token),
      merchantId: customer.merchantId,
      customerId: customer.id,
      purpose,
      newEmail: options.newEmail ?? null,
      expiresAt: new Date(now.getTime() + TOKEN_MINUTES[purpose] * 60_000),
      createdAt: now,
    });
    await enqueueMail(tx, {
      merchantId: customer.merchantId,
      template: TEMPLATE[purpose],
      to: options.to ?? customer.email,
      locale: customer.locale,
      variables: {
        name: customer.name,
        merchant: merchant!.senderName ?? merchant!.name,
        footer: merchant!.mailFooter ?? merchant!.name,
        [URL_VARIABLE[purpose]]: `${platform.links.baseUrl}${tokenPagePath(customer.merchantId, purpose, token)}`,
      },
      idempotencyKey: mailKeys.customerToken(id),
      at: now,
      customerId: customer.id,
    });
  });
}

export const requestCustomerMailInput = z.object({
  merchantId: z.string().min(1).max(100),
  email: z.string().trim().toLowerCase().email().max(320),
  purpose: z.enum(["sign_in", "password_reset"]),
  address: z.string().max(100).nullable(),
});

/** Mail requests count against their own keys: asking for links over and over slows down like failed sign-ins do. */
const mailKeysOf = (merchantId: string, email: string, address: string | null): ThrottleKeys => {
  const keys: ThrottleKeys = [[`customer-mail:${merchantId}:${email}`, EMAIL_RULE]];
  if (address) keys.push([`ip-mail:${address}`, ADDRESS_RULE]);
  return keys;
};

/**
 * "Mail me a sign-in link" / "I forgot my password": the same answer whether or not the address is a customer's,
 * so that the form does not tell who is one. Each request counts on the throttle, which stops mail floods.
 */
export async function requestCustomerMail(platform: Pick<Platform, "db" | "clock" | "links">, input: z.input<typeof requestCustomerMailInput>): Promise<{ ok: boolean }> {
  const parsed = requestCustomerMailInput.safeParse(input);
  if (!parsed.success) return { ok: false };
  const { merchantId, email, purpose, address } = parsed.data;
  const now = platform.clock.now();
  const keys = mailKeysOf(merchantId, email, address);
  if (!(await throttleAllows(platform.db, keys, now))) return { ok: true };
  await recordThrottleFailure(platform.db, keys, now);
  const customer = await customerByEmail(platform.db, merchantId, email);
  if (customer) await issueCustomerToken(platform.db, platform, customer, purpose, now);
  return { ok: true };
}
