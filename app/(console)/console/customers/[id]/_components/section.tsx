import type { ReactNode } from "react";
import { Card, CardTitle } from "@/components/ui/card";

/** A titled card of the customer's page; the table inside is labelled by the title. */
export function Section({ id, title, note, children }: { id: string; title: string; note?: string | null; children: ReactNode }) {
  return (
    <Card aria-labelledby={`${id}-title`} data-testid={`section-${id}`}>
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <CardTitle id={`${id}-title`}>{title}</CardTitle>
        {note ? <p className="text-xs text-slate-600">{note}</p> : null}
      </div>
      {children}
    </Card>
  );
}

export function EmptyNote({ children }: { children: ReactNode }) {
  return <p className="text-sm text-slate-600">{children}</p>;
}

export const linkClass = "font-medium text-sky-800 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-sky-600";
