import type { Database } from "@/db/client";
import { authSecret } from "@/lib/auth/auth-secret";
import { baseUrl, env } from "@/lib/env";
import { configuredGateways } from "@/lib/gateways/configured-gateway";
import type { MailLinks } from "@/lib/mail/links";
import { outboxMailer } from "@/lib/mail/mailer";
import { type Platform, systemClock } from "@/lib/services/context";

/**
 * The composition root: the platform every service context of this process is built on, from the configuration
 * (lib/env.ts) and the process's database. Services never read configuration themselves.
 */
export function configuredPlatform(database: Database): Platform {
  return {
    db: database.db,
    clock: systemClock,
    gateways: configuredGateways(database.db),
    mailer: outboxMailer,
    links: configuredMailLinks(),
  };
}

export function configuredMailLinks(): MailLinks {
  return { baseUrl: baseUrl(), secret: authSecret(), ttlDays: env().KEIZOKU_LINK_TTL_DAYS };
}
