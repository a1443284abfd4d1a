/**
 * `npm run bench -- mail`: N queued mails (default 10,000) delivered by the embedded runner's delivery worker through
 * the official `resend` SDK to a local stand-in of Resend's API (test/support/resend-stand-in.ts) that enforces a rate
 * limit of R requests per second and answers 429 (retry-after: 1 s) beyond it, and to a share of requests within it
 * "now and then". On a scratch database (DATABASE_URL's server; PGlite in a temporary directory without it).
 *
 * Resend limits requests, not mails; a batch request carries up to --batch mails (100). So the limit in mails per
 * second is R × batch, and the run is measured against it: mails/s = N / the time from the worker's start until the
 * last mail's outcome is recorded. Then checks: every mail sent once (zero duplicates at the stand-in, every
 * recipient exactly once), none lost (every row sent, its provider id a message the stand-in holds). Exits 1 if not.
 *
 *   npm run bench -- mail                          10,000 mails, 5 requests/s, batches of 100, 2 % spurious 429s
 *   npm run bench -- mail --count 2000 --rate 2 --batch 50 --spurious 0
 *
 * The last line of stdout is the summary as JSON.
 */
import { parseArgs } from "node:util";
import { merchants } from "@/db/schema";
import { DEFAULT_BILLING_SETTINGS } from "@/lib/billing/billing-settings";
import { newId } from "@/lib/ids";
import { enqueueMails } from "@/lib/mail/enqueue-mail";
import { createResendMailer } from "@/lib/mail/resend-mailer";
import { configuredMailLinks } from "@/lib/platform";
import { MAIL_CONCURRENCY, startMailDeliveryRunner } from "@/lib/runner/mail-delivery-runner";
import { systemClock } from "@/lib/services/context";
import { startResendStandIn } from "@/test/support/resend-stand-in";
import { startCpuMeter } from "./cpu";
import { openBenchDatabase } from "./database";

const USAGE = `Usage: npm run bench -- mail [--count N] [--rate R] [--batch N] [--spurious P] [--lanes N] [--concurrency N]
  --count N        queued mails (default 10000)
  --rate R         the stand-in's requests per second (default 5; a burst of R)
  --batch N        mails per request (default 100, Resend's most)
  --spurious P     share of requests within the limit answered 429 anyway (default 0.02)
  --lanes N        delivery passes side by side (default 2, the runner's)
  --concurrency N  requests in flight per pass (default ${MAIL_CONCURRENCY})`;

type Settings = { count: number; rate: number; batch: number; spurious: number; lanes: number | null; concurrency: number };

function readSettings(argv: string[]): Settings {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      count: { type: "string" },
      rate: { type: "string" },
      batch: { type: "string" },
      spurious: { type: "string" },
      lanes: { type: "string" },
      concurrency: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const num = (name: string, text: string | undefined, fallback: number, ok: (n: number) => boolean) => {
    const n = text === undefined ? fallback : Number(text);
    if (!ok(n)) throw new Error(`--${name}: bad value ${text}\n\n${USAGE}`);
    return n;
  };
  const positiveInt = (n: number) => Number.isInteger(n) && n >= 1;
  return {
    count: num("count", values.count, 10_000, positiveInt),
    rate: num("rate", values.rate, 5, (n) => n > 0),
    batch: num("batch", values.batch, 100, (n) => positiveInt(n) && n <= 100),
    spurious: num("spurious", values.spurious, 0.02, (n) => n >= 0 && n < 1),
    lanes: values.lanes === undefined ? null : num("lanes", values.lanes, 2, positiveInt),
    concurrency: num("concurrency", values.concurrency, MAIL_CONCURRENCY, positiveInt),
  };
}

export async function runMailBench(argv: string[]): Promise<number> {
  const s = readSettings(argv);
  const bench = await openBenchDatabase({ url: process.env.DATABASE_URL || undefined, pool: 8, prepare: true });
  const standIn = await startResendStandIn({ rate: s.rate, burst: Math.max(1, Math.round(s.rate)), spurious429: s.spurious, retryAfterSeconds: 1 });
  const onSignal = () => void Promise.all([bench.dispose(), standIn.close()]).finally(() => process.exit(130));
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    const { database } = bench;
    const lanes = s.lanes ?? 2;
    console.error(`bench: ${s.count} mails to a Resend stand-in at ${s.rate} requests/s, batches of ${s.batch}, on ${bench.label}`);
    const merchantId = newId("mer");
    await database.db.insert(merchants).values({ id: merchantId, name: "メール配信ベンチ", email: `${merchantId}@bench.test`, senderName: "ベンチ商店", billingSettings: DEFAULT_BILLING_SETTINGS });
    const now = new Date();
    for (let from = 0; from < s.count; from += 1000) {
      await enqueueMails(
        database.db,
        Array.from({ length: Math.min(1000, s.count - from) }, (_, k) => {
          const i = from + k;
          return {
            merchantId,
            template: "charge_succeeded" as const,
            to: `member${i}@bench.example`,
            locale: i % 5 === 0 ? ("en" as const) : ("ja" as const),
            variables: { name: `会員 ${i}`, merchant: "ベンチ商店", plan: "月謝プラン", amount: "¥3,980", footer: "ベンチ商店 お客様窓口" },
            // Signed by the worker as it sends, as a bill run's receipts are.
            links: { card_update: `sub_bench_${i}`, receipt: `in_bench_${i}` },
            idempotencyKey: `bench:${i}`,
            at: now,
          };
        }),
      );
    }
    await database.query("analyze mails");

    const mailer = createResendMailer({ apiKey: "re_bench", baseUrl: standIn.url });
    const platform = { db: database.db, clock: systemClock, links: configuredMailLinks(), mailer };
    const cpu = await startCpuMeter(database);
    const started = performance.now();
    let recorded = 0;
    let lastAt = started;
    let errors = 0;
    const runner = startMailDeliveryRunner({
      platform,
      batchSize: s.batch,
      concurrency: s.concurrency,
      lanes,
      leaseSeconds: 120,
      mailFrom: "bench@keizoku.test",
      intervalMs: 50,
      onError: (message) => {
        if (errors++ < 5) console.error(message);
      },
      onPass: (pass) => {
        recorded += pass.sent + pass.failed + pass.notDelivered + pass.suppressed;
        if (pass.claimed > 0) lastAt = performance.now();
      },
    });
    const ticker = setInterval(() => console.error(`bench: ${recorded} mails in ${((performance.now() - started) / 1000).toFixed(0)} s`), 5_000);
    const deadline = started + Math.max(120_000, (s.count / (s.rate * s.batch)) * 5_000);
    while (recorded < s.count && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    clearInterval(ticker);
    await runner.stop();
    const seconds = (lastAt - started) / 1000;
    const used = await cpu();

    const [row] = await database.query<Record<string, string>>(
      `select count(*) filter (where status = 'sent') as sent,
              count(*) filter (where status <> 'sent') as not_sent,
              count(distinct provider_message_id) as distinct_provider_ids,
              count(*) filter (where rendered_at is null) as not_rendered
       from mails where merchant_id = $1`,
      [merchantId],
    );
    const figures = Object.fromEntries(Object.entries(row!).map(([k, v]) => [k, Number(v)]));
    const providerIds = new Set((await database.query<{ id: string }>("select provider_message_id as id from mails where merchant_id = $1", [merchantId])).map((r) => r.id));
    const recipients = new Map<string, number>();
    for (const m of standIn.messages) recipients.set(m.to, (recipients.get(m.to) ?? 0) + 1);
    const checks = {
      ...figures,
      stand_in_messages: standIn.messages.length,
      duplicate_recipients: [...recipients.values()].filter((n) => n > 1).length,
      lost: s.count - standIn.messages.filter((m) => providerIds.has(m.id)).length,
    };
    const expected: Record<string, number> = { sent: s.count, not_sent: 0, distinct_provider_ids: s.count, not_rendered: 0, stand_in_messages: s.count, duplicate_recipients: 0, lost: 0 };
    const failures = Object.entries(expected).flatMap(([k, v]) => (checks[k as keyof typeof checks] === v ? [] : [`${k}: expected ${v}, got ${checks[k as keyof typeof checks]}`]));
    const mailsPerSecond = s.count / seconds;
    const limitMailsPerSecond = s.rate * s.batch;
    const summary = {
      mode: "mail",
      database: bench.label,
      count: s.count,
      mails_per_second: Math.round(mailsPerSecond),
      limit_mails_per_second: limitMailsPerSecond,
      share_of_limit: Math.round((mailsPerSecond / limitMailsPerSecond) * 1000) / 1000,
      requests_per_second: Math.round((standIn.counts.accepted / seconds) * 100) / 100,
      limit_requests_per_second: s.rate,
      run_seconds: Math.round(seconds * 100) / 100,
      requests: standIn.counts,
      lanes,
      concurrency: s.concurrency,
      node_cpu_ms_per_mail: Math.round((used.nodeMs / s.count) * 1000) / 1000,
      correct: failures.length === 0,
      checks,
      failures,
    };
    for (const [k, v] of Object.entries(summary)) console.log(`${k.padEnd(24)} ${typeof v === "object" ? JSON.stringify(v) : v}`);
    console.log(JSON.stringify(summary));
    return failures.length === 0 ? 0 : 1;
  } finally {
    await standIn.close();
    await bench.dispose();
  }
}
