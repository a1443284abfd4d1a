import type { Db } from "@/db/client";
import { createSecretBox } from "@/lib/crypto/secret-box";
import { gatewayRegistry } from "@/lib/gateways/gateways";
import type { PaymentGateway } from "@/lib/gateways/payment-gateway";
import { createSandboxGateway } from "@/lib/gateways/sandbox";
import type { MailLinks } from "@/lib/mail/links";
import { outboxMailer } from "@/lib/mail/mailer";
import { type Clock, type Platform, systemClock } from "@/lib/services/context";

/** The key tests seal secrets with (a production server's comes from KEIZOKU_ENCRYPTION_KEY). */
export const TEST_SECRETS = createSecretBox(Buffer.alloc(32, 7));

export const TEST_LINKS: MailLinks = { baseUrl: "http://localhost:3000", secret: "test-link-secret", ttlDays: 7 };

/** The platform of a test: its database, the sandbox gateway (or the one given), the outbox mailer, a clock. */
export function testPlatform(db: Db, options: { clock?: Clock; gateway?: PaymentGateway } = {}): Platform {
  return {
    db,
    clock: options.clock ?? systemClock,
    gateways: gatewayRegistry(options.gateway ?? createSandboxGateway(db)),
    mailer: outboxMailer,
    links: TEST_LINKS,
    secrets: TEST_SECRETS,
  };
}

/** The same context charging through another gateway (a slow, failing or otherwise scripted one). */
export function withGateway<C extends Platform>(ctx: C, gateway: PaymentGateway): C {
  return { ...ctx, gateways: gatewayRegistry(gateway) };
}
