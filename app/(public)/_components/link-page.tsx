import { CheckCircle2 } from "lucide-react";
import type { ReactNode } from "react";

/** The top of a signed-link page: whose page it is (the merchant), its title, and a line saying why the customer is here. */
export function LinkPageHeader({ merchant, title, lead }: { merchant: string; title: string; lead?: string | null }) {
  return (
    <header className="flex flex-col gap-1">
      <p className="text-sm font-medium text-slate-600">{merchant}</p>
      <h1 className="text-2xl font-bold">{title}</h1>
      {lead ? <p className="text-sm text-slate-700">{lead}</p> : null}
    </header>
  );
}

/** One line of a DetailsCard; a row with no value (null) is left out. */
export type DetailRow = { label: string; value: ReactNode; testId?: string; strong?: boolean };

/** A card of what the customer is looking at (the contract, the invoice): a heading and label/value rows. */
export function DetailsCard({ id, heading, rows }: { id: string; heading: string; rows: readonly (DetailRow | null)[] }) {
  return (
    <section aria-labelledby={id} className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
      <h2 id={id} className="mb-3 text-base font-semibold">
        {heading}
      </h2>
      <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-2 text-sm">
        {rows.map((row) =>
          row ? (
            <div key={row.label} className="contents">
              <dt className="text-slate-600">{row.label}</dt>
              <dd className={row.strong ? "font-semibold" : undefined} data-testid={row.testId}>
                {row.value}
              </dd>
            </div>
          ) : null,
        )}
      </dl>
    </section>
  );
}

/** What a signed-link page's form ends with when it worked: a title and what happened, announced to screen readers. */
export function DoneNotice({ title, lines, testId }: { title: string; lines: readonly string[]; testId: string }) {
  return (
    <div role="status" className="flex flex-col gap-2 rounded-md border border-emerald-300 bg-emerald-50 p-4" data-testid={testId}>
      <p className="flex items-center gap-2 font-semibold text-emerald-900">
        <CheckCircle2 aria-hidden className="size-5" />
        {title}
      </p>
      {lines.map((line) => (
        <p key={line} className="text-sm text-emerald-900">
          {line}
        </p>
      ))}
    </div>
  );
}
