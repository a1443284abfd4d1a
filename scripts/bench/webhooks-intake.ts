import { randomBytes } from "node:crypto";
import Stripe from "stripe";
import { gatewayEvents, merchants, stripeCredentials } from "@/db/schema";
import { DEFAULT_BILLING_SETTINGS } from "@/lib/billing/billing-settings";
import { createSecretBox } from "@/lib/crypto/secret-box";
import { configuredGateways } from "@/lib/gateways/configured-gateway";
import { credentialContext } from "@/lib/gateways/stripe-accounts";
import { newId } from "@/lib/ids";
import { systemClock } from "@/lib/services/context";
import { receiveGatewayWebhook } from "@/lib/services/receive-gateway-webhook";
import { inPool } from "@/lib/services/deliver-mails";
import type { BenchDatabase } from "./database";

/** What the issue asks of intake: events per second, and its share of a bare insert of the same rows. */
export const INTAKE_TARGET = { perSecond: 1_000, shareOfBareInsert: 0.5 } as const;

export type IntakeSummary = {
  deliveries: number;
  distinct_events: number;
  concurrency: number;
  intake_per_second: number;
  bare_insert_per_second: number;
  share_of_bare_insert: number;
  stored: number;
  duplicates_answered: number;
  targets_met: boolean;
};

/**
 * Incoming half of `npm run bench -- webhooks`: N Stripe events, signed as Stripe signs them (the SDK's
 * generateTestHeaderString) with a merchant's sealed signing secret, and every tenth delivered twice (Stripe's
 * retries), go through receiveGatewayWebhook as the route calls it — the merchant's account opened, the signature
 * verified, the event stored once by its id — `concurrency` at a time. The yardstick, in the same run on the same
 * pool: a bare `INSERT … ON CONFLICT DO NOTHING` of the same rows, one statement per delivery, for another merchant.
 * Signing happens before the clock starts; both passes run twice, alternating, and the better of each counts.
 */
export async function runIntakeBench(bench: BenchDatabase, settings: { count: number; concurrency: number }): Promise<IntakeSummary> {
  const { database } = bench;
  const secrets = createSecretBox(randomBytes(32));
  const signingSecret = `whsec_${randomBytes(24).toString("base64url")}`;
  const merchantIds = [newId("mer"), newId("mer"), newId("mer"), newId("mer")];
  for (const id of merchantIds) {
    await database.db.insert(merchants).values({ id, name: "Webhook 受信ベンチ", email: `${id}@bench.test`, billingSettings: DEFAULT_BILLING_SETTINGS });
    await database.db.insert(stripeCredentials).values({
      merchantId: id,
      secretKey: secrets.seal("sk_test_bench0000000000000000", credentialContext(id, "secretKey")),
      secretKeyLast4: "0000",
      webhookSecret: secrets.seal(signingSecret, credentialContext(id, "webhookSecret")),
      webhookSecretLast4: signingSecret.slice(-4),
    });
  }
  const platform = { db: database.db, clock: systemClock, gateways: configuredGateways(database.db, { secrets, stripeEnvironment: {} }) };

  const created = Math.floor(Date.now() / 1000);
  const events = Array.from({ length: settings.count }, (_, i) => {
    const body = JSON.stringify({
      id: `evt_bench_${i}`,
      object: "event",
      api_version: "2025-01-27.acacia",
      created,
      livemode: false,
      type: "payment_intent.succeeded",
      data: { object: { id: `pi_bench_${i}`, object: "payment_intent", amount: 3000, currency: "jpy", status: "succeeded", metadata: { keizoku_idempotency_key: `in_bench_${i}:1` } } },
    });
    return { body, signature: Stripe.webhooks.generateTestHeaderString({ payload: body, secret: signingSecret }) };
  });
  // Every tenth event is delivered a second time, later in the run.
  const deliveries = [...events, ...events.filter((_, i) => i % 10 === 0)];

  const intake = async (merchantId: string) => {
    let stored = 0;
    let duplicates = 0;
    const started = performance.now();
    await inPool(deliveries, settings.concurrency, async (d) => {
      const received = await receiveGatewayWebhook(platform, { gateway: "stripe", merchantId, body: d.body, signature: d.signature });
      if (received.status === "stored") stored++;
      else duplicates++;
    });
    return { seconds: (performance.now() - started) / 1000, stored, duplicates };
  };
  // The same rows intake stores (parsed from the same bodies), written by a bare statement each.
  const bare = async (merchantId: string) => {
    const rows = deliveries.map((d) => {
      const event = JSON.parse(d.body) as { id: string; type: string; created: number; data: { object: { id: string } } };
      return { merchantId, gateway: "stripe", eventId: event.id, type: event.type, objectId: event.data.object.id, livemode: "test" as const, payload: event, occurredAt: new Date(event.created * 1000) };
    });
    const started = performance.now();
    await inPool(rows, settings.concurrency, async (row) => {
      await database.db
        .insert(gatewayEvents)
        .values({ id: newId("gev"), ...row, receivedAt: new Date() })
        .onConflictDoNothing();
    });
    return { seconds: (performance.now() - started) / 1000 };
  };

  console.error(`bench: intake of ${settings.count} Stripe events (${deliveries.length} deliveries), ${settings.concurrency} at a time`);
  const firstIntake = await intake(merchantIds[0]!);
  const firstBare = await bare(merchantIds[1]!);
  const secondIntake = await intake(merchantIds[2]!);
  const secondBare = await bare(merchantIds[3]!);
  const intakeSeconds = Math.min(firstIntake.seconds, secondIntake.seconds);
  const bareSeconds = Math.min(firstBare.seconds, secondBare.seconds);
  const intakePerSecond = Math.round(deliveries.length / intakeSeconds);
  const barePerSecond = Math.round(deliveries.length / bareSeconds);
  const share = Math.round((intakePerSecond / barePerSecond) * 100) / 100;
  return {
    deliveries: deliveries.length,
    distinct_events: settings.count,
    concurrency: settings.concurrency,
    intake_per_second: intakePerSecond,
    bare_insert_per_second: barePerSecond,
    share_of_bare_insert: share,
    stored: firstIntake.stored,
    duplicates_answered: firstIntake.duplicates,
    targets_met: intakePerSecond >= INTAKE_TARGET.perSecond && share >= INTAKE_TARGET.shareOfBareInsert,
  };
}
