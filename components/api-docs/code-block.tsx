/** A copyable example; focusable so that a keyboard can scroll a long line. */
export function CodeBlock({ label, children }: { label: string; children: string }) {
  return (
    <pre tabIndex={0} aria-label={label} className="overflow-x-auto rounded-md bg-slate-900 p-4 font-mono text-[0.8rem] leading-relaxed text-slate-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600">
      <code>{children}</code>
    </pre>
  );
}

export function Code({ children }: { children: string }) {
  return <code className="rounded bg-slate-100 px-1 py-px font-mono text-[0.85em] text-slate-800">{children}</code>;
}

/** Text whose `backticked` parts are code, as the schemas' descriptions and summaries write them. */
export function RichText({ text }: { text: string }) {
  const parts = text.split(/`([^`]+)`/g);
  return <>{parts.map((part, i) => (i % 2 === 1 ? <Code key={i}>{part}</Code> : part))}</>;
}
