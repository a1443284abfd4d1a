import type { ReactNode } from "react";
import { AtobaraiTabs } from "./atobarai-tabs";

/** A 後払い page: its heading and lead, the tabs between the 後払い pages, then the page's own content. */
export function AtobaraiPage({ title, aside, lead, tab, children }: { title: ReactNode; aside?: ReactNode; lead?: ReactNode; tab: Parameters<typeof AtobaraiTabs>[0]["current"]; children: ReactNode }) {
  return (
    <div className="flex max-w-6xl flex-col gap-6">
      <header className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-bold">{title}</h1>
        {aside}
        {lead ? <div className="basis-full text-sm text-slate-600">{lead}</div> : null}
      </header>
      <AtobaraiTabs current={tab} />
      {children}
    </div>
  );
}
