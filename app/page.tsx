import { count } from "drizzle-orm";
import Link from "next/link";
import { merchants, subscriptions } from "@/db/schema";
import { databaseKindLabel, getDatabase } from "@/lib/runtime";

// Live figures from the database on every request; never prerendered at build time.
export const dynamic = "force-dynamic";

async function readStatus() {
  const database = await getDatabase();
  const [[merchantCount], [subscriptionCount]] = await Promise.all([
    database.db.select({ n: count() }).from(merchants),
    database.db.select({ n: count() }).from(subscriptions),
  ]);
  return {
    databaseLabel: databaseKindLabel(database.kind),
    merchants: merchantCount?.n ?? 0,
    subscriptions: subscriptionCount?.n ?? 0,
  };
}

const numberFormat = new Intl.NumberFormat("ja-JP");

export default async function HomePage() {
  const status = await readStatus();
  const rows = [
    { label: "データベース", value: status.databaseLabel, testId: "status-database" },
    { label: "加盟店数", value: `${numberFormat.format(status.merchants)} 件`, testId: "status-merchants" },
    { label: "契約数", value: `${numberFormat.format(status.subscriptions)} 件`, testId: "status-subscriptions" },
  ];

  return (
    <main className="mx-auto flex max-w-2xl flex-col gap-8 px-6 py-16">
      <header className="flex flex-col gap-3">
        <h1 className="text-3xl font-bold tracking-tight">Keizoku 継続課金</h1>
        <p className="leading-relaxed text-slate-700">
          {"Keizoku は日本の事業者のための継続課金プラットフォームです。"}
          {"月額・年額などの定期契約を、無料期間や入会金、日割り、決済失敗時の再決済と督促まで含めて自動で請求します。"}
        </p>
        <p>
          <Link href="/docs/api" className="font-medium text-sky-700 underline underline-offset-2 hover:text-sky-900">
            API リファレンス（REST API v1）
          </Link>
        </p>
      </header>

      <section aria-labelledby="status-heading" className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        <h2 id="status-heading" className="mb-4 text-lg font-semibold">
          稼働状況
        </h2>
        <dl className="grid grid-cols-[max-content_1fr] gap-x-8 gap-y-3">
          {rows.map((row) => (
            <div key={row.testId} className="contents">
              <dt className="text-slate-500">{row.label}</dt>
              <dd className="font-medium" data-testid={row.testId}>
                {row.value}
              </dd>
            </div>
          ))}
        </dl>
      </section>
    </main>
  );
}
