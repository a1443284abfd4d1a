import { RichText } from "./code-block";
import { type FieldRow, objectAnchor } from "./schema";

type Mode = "request" | "response";

/** One table of fields: name, type, whether required (requests), allowed values, constraints and description. */
export function FieldTable({ rows, mode, caption }: { rows: FieldRow[]; mode: Mode; caption: string }) {
  if (rows.length === 0) {
    return <p className="rounded-md border border-dashed border-slate-300 px-4 py-3 text-sm text-slate-500">フィールドはありません{mode === "request" ? "（空の JSON オブジェクト {} を送ります）" : ""}。</p>;
  }
  return (
    <div className="overflow-x-auto rounded-md border border-slate-200">
      <table className="w-full border-collapse text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50 text-xs text-slate-600">
          <tr>
            <th scope="col" className="whitespace-nowrap px-3 py-2 font-semibold">
              フィールド <span className="font-normal text-slate-400">Field</span>
            </th>
            <th scope="col" className="whitespace-nowrap px-3 py-2 font-semibold">
              型 <span className="font-normal text-slate-400">Type</span>
            </th>
            {mode === "request" && (
              <th scope="col" className="whitespace-nowrap px-3 py-2 font-semibold">
                必須 <span className="font-normal text-slate-400">Required</span>
              </th>
            )}
            <th scope="col" className="whitespace-nowrap px-3 py-2 font-semibold">
              説明・制約 <span className="font-normal text-slate-400">Description</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((row) => (
            <FieldRowView key={row.name} row={row} mode={mode} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function FieldRowView({ row, mode }: { row: FieldRow; mode: Mode }) {
  const cut = row.name.lastIndexOf(".") + 1;
  return (
    <tr className="align-top">
      <th scope="row" className="whitespace-nowrap px-3 py-2 font-normal" style={{ paddingLeft: `${0.75 + row.depth * 1.25}rem` }}>
        <code className="font-mono text-[0.8rem]">
          {cut > 0 && <span className="text-slate-400">{row.name.slice(0, cut)}</span>}
          <span className="font-semibold text-slate-900">{row.name.slice(cut)}</span>
        </code>
      </th>
      <td className="whitespace-nowrap px-3 py-2 font-mono text-[0.8rem] text-slate-700">
        {row.ref ? (
          <a href={`#${objectAnchor(row.ref)}`} className="text-sky-700 underline decoration-sky-300 underline-offset-2 hover:text-sky-900">
            {row.type}
          </a>
        ) : (
          row.type
        )}
        {row.nullable && <span className="ml-1.5 rounded bg-slate-100 px-1 py-px font-sans text-[0.7rem] text-slate-600">null 可</span>}
      </td>
      {mode === "request" && (
        <td className="whitespace-nowrap px-3 py-2">
          {row.required ? <span className="rounded bg-rose-50 px-1.5 py-0.5 text-xs font-semibold text-rose-700 ring-1 ring-inset ring-rose-600/20">必須</span> : <span className="text-xs text-slate-500">任意</span>}
        </td>
      )}
      <td className="min-w-[16rem] px-3 py-2 text-slate-700">
        {row.description && <p className="leading-relaxed">
            <RichText text={row.description} />
          </p>}
        <FieldFacts row={row} />
      </td>
    </tr>
  );
}

function FieldFacts({ row }: { row: FieldRow }) {
  if (row.values.length === 0 && row.constraints.length === 0 && row.defaultValue === undefined) return null;
  return (
    <ul className="mt-1 flex flex-wrap gap-x-3 gap-y-1 text-xs text-slate-600">
      {row.values.length > 0 && (
        <li className="flex flex-wrap items-baseline gap-1">
          <span>{row.values.length === 1 ? "値" : "値のいずれか"}:</span>
          {row.values.map((v) => (
            <code key={v} className="rounded bg-slate-100 px-1 py-px font-mono text-slate-800">
              {v}
            </code>
          ))}
        </li>
      )}
      {row.constraints.map((c) => (
        <li key={c}>{c}</li>
      ))}
      {row.defaultValue !== undefined && (
        <li>
          既定値 <code className="rounded bg-slate-100 px-1 py-px font-mono text-slate-800">{row.defaultValue}</code>
        </li>
      )}
    </ul>
  );
}
