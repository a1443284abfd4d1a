const METHOD_STYLES: Record<string, string> = {
  GET: "bg-emerald-50 text-emerald-800 ring-emerald-600/30",
  POST: "bg-sky-50 text-sky-800 ring-sky-600/30",
  PUT: "bg-amber-50 text-amber-900 ring-amber-600/30",
  PATCH: "bg-amber-50 text-amber-900 ring-amber-600/30",
  DELETE: "bg-rose-50 text-rose-800 ring-rose-600/30",
};

/** An HTTP method as a small coloured label (the colour only repeats what the text says). */
export function MethodBadge({ method, size = "md" }: { method: string; size?: "sm" | "md" }) {
  const style = METHOD_STYLES[method] ?? "bg-slate-100 text-slate-800 ring-slate-500/30";
  const sizing = size === "sm" ? "min-w-[3.25rem] px-1.5 py-px text-[0.65rem]" : "min-w-[3.75rem] px-2 py-0.5 text-xs";
  return <span className={`inline-flex shrink-0 justify-center rounded font-mono font-bold tracking-wide ring-1 ring-inset ${style} ${sizing}`}>{method}</span>;
}
