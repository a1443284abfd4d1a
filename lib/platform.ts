import type { Database } from "@/db/client";
import { baseUrl, env } from "@/lib/env";
import { configuredGateways } from "@/lib/gateways/configured-gateway";
import type { MailLinks } from "@/lib/mail/links";
import { outboxMailer } from "@/lib/mail/mailer";
import { type Platform, systemClock } from "@/lib/services/context";

/** Signs mails' links when AUTH_SECRET is unset (laptops, the demo); production must set its own (README). */
const DEVELOPMENT_SECRET = "keizoku-development-secret-do-not-use-in-production";

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
  return { baseUrl: baseUrl(), secret: env().AUTH_SECRET ?? DEVELOPMENT_SECRET };
}
