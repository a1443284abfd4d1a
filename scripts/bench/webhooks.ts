/**
 * `npm run bench -- webhooks`: first the intake of incoming Stripe webhooks (scripts/bench/webhooks-intake.ts:
 * verify + store + dedupe per second, against a bare INSERT … ON CONFLICT DO NOTHING of the same rows; the issue's
 * targets are ≥ 1,000/s and ≥ 50 %), then outgoing webhook deliveries per second. N events (default 5,000) of one merchant are
 * queued to one endpoint, a local HTTP receiver (node:http on 127.0.0.1, answering 200 at once), and the embedded
 * runner's webhook worker delivers them: signed, one request each, every attempt logged. deliveries/s = N / the time
 * from the worker's start until the last delivery is recorded. Then checks: every event received exactly once, every
 * signature valid (checked with the README's snippet), every delivery `delivered` with one attempt row. Exits 1 if a
 * check fails or intake misses its targets.
 * On a scratch database (DATABASE_URL's server; PGlite in a temporary directory without it).
 *
 *   npm run bench -- webhooks                       5,000 events in, 5,000 deliveries out
 *   npm run bench -- webhooks --count 2000 --concurrency 16 --in-concurrency 8
 *
 * The last line of stdout is the summary as JSON.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { bulkInsert } from "@/db/bulk-write";
import { merchants, webhookDeliveries, webhookEndpoints, webhookEvents } from "@/db/schema";
import { DEFAULT_BILLING_SETTINGS } from "@/lib/billing/billing-settings";
import { newId } from "@/lib/ids";
import { configuredMailLinks } from "@/lib/platform";
import { startWebhookDeliveryRunner, WEBHOOK_CONCURRENCY } from "@/lib/runner/webhook-delivery-runner";
import { systemClock } from "@/lib/services/context";
import { newEndpointSecret } from "@/lib/webhooks/signature";
import { readmeVerifier } from "@/test/support/readme-webhook-verify";
import { startCpuMeter } from "./cpu";
import { openBenchDatabase } from "./database";
import { INTAKE_TARGET, runIntakeBench } from "./webhooks-intake";

const USAGE = `Usage: npm run bench -- webhooks [--count N] [--concurrency N] [--in-concurrency N]
  --count N           events received, and events delivered (default 5000)
  --concurrency N     requests in flight per delivery pass (default ${WEBHOOK_CONCURRENCY}, the worker's)
  --in-concurrency N  incoming requests handled at once (default 8)`;

function readSettings(argv: string[]): { count: number; concurrency: number; inConcurrency: number } {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: { count: { type: "string" }, concurrency: { type: "string" }, "in-concurrency": { type: "string" }, help: { type: "boolean", short: "h", default: false } },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const int = (name: string, text: string | undefined, fallback: number) => {
    const n = text === undefined ? fallback : Number(text);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name}: bad value ${text}\n\n${USAGE}`);
    return n;
  };
  return { count: int("count", values.count, 5_000), concurrency: int("concurrency", values.concurrency, WEBHOOK_CONCURRENCY), inConcurrency: int("in-concurrency", values["in-concurrency"], 8) };
}

export async function runWebhooksBench(argv: string[]): Promise<number> {
  const s = readSettings(argv);
  const verify = await readmeVerifier();
  const bench = await openBenchDatabase({ url: process.env.DATABASE_URL || undefined, pool: 8, prepare: true });
  const received: { body: string; signature: string }[] = [];
  const receiver = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      received.push({ body, signature: String(req.headers["keizoku-signature"] ?? "") });
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const close = () => Promise.all([bench.dispose(), new Promise((resolve) => receiver.close(resolve))]);
  try {
    const { database } = bench;
    const incoming = await runIntakeBench(bench, { count: s.count, concurrency: s.inConcurrency });
    console.error(`bench: ${s.count} webhook deliveries to a local receiver, ${s.concurrency} in flight, on ${bench.label}`);
    const merchantId = newId("mer");
    await database.db.insert(merchants).values({ id: merchantId, name: "Webhook ベンチ", email: `${merchantId}@bench.test`, billingSettings: DEFAULT_BILLING_SETTINGS });
    const secret = newEndpointSecret();
    const endpointId = newId("we");
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    await database.db.insert(webhookEndpoints).values({ id: endpointId, merchantId, url, enabledEvents: ["*"], secret });
    const now = new Date();
    for (let from = 0; from < s.count; from += 1000) {
      const events = Array.from({ length: Math.min(1000, s.count - from) }, (_, k) => {
        const customerId = `cus_bench_${from + k}`;
        return { id: newId("evt"), merchantId, type: "customer.created", objectType: "customer", objectId: customerId, object: { id: customerId, object: "customer", name: `会員 ${from + k}` }, createdAt: now };
      });
      await bulkInsert(database.db, webhookEvents, events);
      await bulkInsert(database.db, webhookDeliveries, events.map((e) => ({ id: newId("whd"), merchantId, endpointId, eventId: e.id, nextAttemptAt: null })));
    }
    await database.query("analyze webhook_deliveries");

    const platform = { db: database.db, clock: systemClock, links: configuredMailLinks() };
    const check = { policy: { allowLoopback: true }, lookup: async () => [{ address: "127.0.0.1", family: 4 }] };
    const cpu = await startCpuMeter(database);
    const started = performance.now();
    let recorded = 0;
    let lastAt = started;
    let errors = 0;
    const runner = startWebhookDeliveryRunner({
      platform,
      concurrency: s.concurrency,
      leaseSeconds: 120,
      intervalMs: 50,
      check,
      onError: (message) => {
        if (errors++ < 5) console.error(message);
      },
      onPass: (pass) => {
        recorded += pass.delivered + pass.failed + pass.retried + pass.disabled;
        if (pass.claimed > 0) lastAt = performance.now();
      },
    });
    const ticker = setInterval(() => console.error(`bench: ${recorded} deliveries in ${((performance.now() - started) / 1000).toFixed(0)} s`), 5_000);
    const deadline = started + Math.max(120_000, s.count * 50);
    while (recorded < s.count && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    clearInterval(ticker);
    await runner.stop();
    const seconds = (lastAt - started) / 1000;
    const used = await cpu();

    const [row] = await database.query<Record<string, string>>(
      `select count(*) filter (where status = 'delivered') as delivered,
              count(*) filter (where status <> 'delivered') as not_delivered,
              (select count(*) from webhook_attempts a where a.endpoint_id = $1) as attempt_rows
       from webhook_deliveries where endpoint_id = $1`,
      [endpointId],
    );
    const figures = Object.fromEntries(Object.entries(row!).map(([k, v]) => [k, Number(v)]));
    const ids = new Map<string, number>();
    let badSignatures = 0;
    for (const r of received) {
      ids.set((JSON.parse(r.body) as { id: string }).id, (ids.get((JSON.parse(r.body) as { id: string }).id) ?? 0) + 1);
      if (!verify(r.body, r.signature, secret)) badSignatures++;
    }
    const checks = { ...figures, received: received.length, distinct_events: ids.size, duplicates: [...ids.values()].filter((n) => n > 1).length, bad_signatures: badSignatures };
    const expected: Record<string, number> = { delivered: s.count, not_delivered: 0, attempt_rows: s.count, received: s.count, distinct_events: s.count, duplicates: 0, bad_signatures: 0 };
    const failures = Object.entries(expected).flatMap(([k, v]) => (checks[k as keyof typeof checks] === v ? [] : [`${k}: expected ${v}, got ${checks[k as keyof typeof checks]}`]));
    if (!incoming.targets_met) failures.push(`intake: ${incoming.intake_per_second}/s, ${incoming.share_of_bare_insert} of a bare insert (targets ${INTAKE_TARGET.perSecond}/s, ${INTAKE_TARGET.shareOfBareInsert})`);
    const summary = {
      mode: "webhooks",
      database: bench.label,
      incoming,
      count: s.count,
      deliveries_per_second: Math.round(s.count / seconds),
      run_seconds: Math.round(seconds * 100) / 100,
      concurrency: s.concurrency,
      node_cpu_ms_per_delivery: Math.round((used.nodeMs / s.count) * 1000) / 1000,
      correct: failures.length === 0,
      checks,
      failures,
    };
    for (const [k, v] of Object.entries(summary)) console.log(`${k.padEnd(26)} ${typeof v === "object" ? JSON.stringify(v) : v}`);
    console.log(JSON.stringify(summary));
    return failures.length === 0 ? 0 : 1;
  } finally {
    await close();
  }
}
