import { MethodBadge } from "./method-badge";
import { INTRO_SECTIONS } from "./intro";
import { OBJECT_LABELS, type TagGroup } from "./model";
import { objectAnchor } from "./schema";

const link = "block rounded px-2 py-1 text-slate-700 hover:bg-slate-100 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-sky-600";

/** The table of contents: conventions, endpoints by tag, objects. Plain links, so Tab and Enter are all it takes. */
export function TableOfContents({ groups, objects }: { groups: TagGroup[]; objects: string[] }) {
  return (
    <div className="flex flex-col gap-5 text-sm">
      <div>
        <p className="px-2 pb-1 text-xs font-semibold uppercase tracking-wider text-slate-500">はじめに</p>
        <ul>
          {INTRO_SECTIONS.map((s) => (
            <li key={s.id}>
              <a href={`#${s.id}`} className={link}>
                {s.title} <span className="text-xs text-slate-400">{s.english}</span>
              </a>
            </li>
          ))}
        </ul>
      </div>
      {groups.length > 0 && (
        <div>
          <p className="px-2 pb-1 text-xs font-semibold uppercase tracking-wider text-slate-500">エンドポイント</p>
          <ul className="flex flex-col gap-2">
            {groups.map((g) => (
              <li key={g.tag}>
                <a href={`#${g.anchor}`} className={`${link} font-semibold`}>
                  {g.label} <span className="text-xs font-normal text-slate-400">{g.tag}</span>
                </a>
                <ul className="ml-2 border-l border-slate-200 pl-1">
                  {g.operations.map((op) => (
                    <li key={op.anchor}>
                      <a href={`#${op.anchor}`} className={`${link} flex items-center gap-2`}>
                        <MethodBadge method={op.method} size="sm" />
                        <span className="truncate">{op.title}</span>
                      </a>
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </div>
      )}
      {objects.length > 0 && (
        <div>
          <p className="px-2 pb-1 text-xs font-semibold uppercase tracking-wider text-slate-500">オブジェクト</p>
          <ul>
            {objects.map((name) => (
              <li key={name}>
                <a href={`#${objectAnchor(name)}`} className={link}>
                  {OBJECT_LABELS[name] ?? name} <span className="font-mono text-xs text-slate-400">{name}</span>
                </a>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
