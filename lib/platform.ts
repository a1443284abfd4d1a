import type { Database } from "@/db/client";
import { authSecret } from "@/lib/auth/auth-secret";
import { baseUrl, env, type Env } from "@/lib/env";
import { secretBox } from "@/lib/crypto/encryption-key";
import { configuredGateways } from "@/lib/gateways/configured-gateway";
import type { MailLinks } from "@/lib/mail/links";
import { type Mailer, outboxMailer } from "@/lib/mail/mailer";
import { loadReceiptData } from "@/lib/mail/receipt-data";
import { createResendMailer } from "@/lib/mail/resend-mailer";
import type { ReceiptSource } from "@/lib/services/internal/mail-compose";
import { type Platform, systemClock } from "@/lib/services/context";

/**
 * The composition root: the platform every service context of this process is built on, from the configuration
 * (lib/env.ts) and the process's database. Services never read configuration themselves.
 */
export function configuredPlatform(database: Database): Platform {
  return {
    db: database.db,
    clock: systemClock,
    gateways: configuredGateways(database.db, { secrets: secretBox() }),
    mailer: configuredMailer(),
    links: configuredMailLinks(),
    secrets: secretBox(),
  };
}

export function configuredMailLinks(): MailLinks {
  return { baseUrl: baseUrl(), secret: authSecret(), ttlDays: env().KEIZOKU_LINK_TTL_DAYS };
}

/** Resend when RESEND_API_KEY is set (RESEND_BASE_URL, read by the SDK, may point it elsewhere); otherwise the outbox keeps every mail. */
export function configuredMailer(e: Env = env()): Mailer {
  return e.RESEND_API_KEY ? createResendMailer({ apiKey: e.RESEND_API_KEY, baseUrl: e.RESEND_BASE_URL }) : outboxMailer;
}

/** Where the delivery worker gets a receipt mail's lines and taxes, in the mail's language. */
export const mailReceipts: ReceiptSource = loadReceiptData;
