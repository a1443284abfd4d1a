import type { ReactNode } from "react";
import { RichText } from "./code-block";
import { FieldTable } from "./field-table";
import { MethodBadge } from "./method-badge";
import { type Operation, OBJECT_LABELS, type Parameter } from "./model";
import { type Components, type FieldRow, describeType, fieldRows, objectAnchor, responseShape } from "./schema";

function parameterRows(parameters: Parameter[]): FieldRow[] {
  return parameters.map((p) => {
    const described = describeType(p.schema);
    return {
      name: p.name,
      depth: 0,
      ...described,
      required: p.required,
      defaultValue: p.schema.default === undefined ? undefined : JSON.stringify(p.schema.default),
      description: p.description ?? (p.in === "path" && p.name === "id" ? "対象オブジェクトの ID" : undefined),
    };
  });
}

function Block({ title, english, children }: { title: string; english: string; children: ReactNode }) {
  return (
    <section className="flex flex-col gap-2">
      <h4 className="text-sm font-semibold text-slate-800">
        {title} <span className="font-normal text-slate-500">{english}</span>
      </h4>
      {children}
    </section>
  );
}

/** One endpoint: method and path, what it does, its parameters, request body fields and the object it returns. */
export function Endpoint({ operation, components }: { operation: Operation; components: Components }) {
  const pathParams = operation.parameters.filter((p) => p.in === "path");
  const queryParams = operation.parameters.filter((p) => p.in === "query");
  const takesBody = operation.method === "POST" || operation.method === "PUT" || operation.method === "PATCH";
  const shape = responseShape(operation.success.schema);
  const responseName = shape.kind === "other" ? undefined : shape.name;
  const responseFields = shape.kind === "other" ? fieldRows(shape.schema, components) : fieldRows(components[shape.name], components);

  return (
    <article id={operation.anchor} aria-labelledby={`${operation.anchor}-title`} className="scroll-mt-6 rounded-lg border border-slate-200 bg-white p-5 shadow-sm sm:p-6">
      <h3 id={`${operation.anchor}-title`} className="flex flex-col gap-2">
        <a href={`#${operation.anchor}`} className="w-fit text-lg font-semibold text-slate-900 hover:underline">
          {operation.title}
        </a>{" "}
        <span className="flex flex-wrap items-center gap-2 font-mono text-sm font-medium text-slate-800">
          <MethodBadge method={operation.method} /> <span className="break-all">{operation.path}</span>
        </span>
      </h3>

      <div className="mt-3 flex flex-col gap-5">
        <p className="leading-relaxed text-slate-700">
          <RichText text={operation.summary} />
        </p>
        {operation.idempotent && (
          <p className="text-xs text-slate-500">
            <a href="#idempotency" className="underline underline-offset-2 hover:text-slate-800">
              Idempotency-Key
            </a>{" "}
            ヘッダーで安全に再試行できます。
          </p>
        )}

        {pathParams.length > 0 && (
          <Block title="パスパラメータ" english="Path parameters">
            <FieldTable rows={parameterRows(pathParams)} mode="request" caption={`${operation.method} ${operation.path} のパスパラメータ`} />
          </Block>
        )}
        {queryParams.length > 0 && (
          <Block title="クエリパラメータ" english="Query parameters">
            <FieldTable rows={parameterRows(queryParams)} mode="request" caption={`${operation.method} ${operation.path} のクエリパラメータ`} />
          </Block>
        )}
        {takesBody && (
          <Block title="リクエストボディ" english="Request body (JSON)">
            {operation.requestBody ? (
              <FieldTable rows={fieldRows(operation.requestBody, components)} mode="request" caption={`${operation.method} ${operation.path} のリクエストボディ`} />
            ) : (
              <p className="text-sm text-slate-500">リクエストボディはありません。</p>
            )}
          </Block>
        )}

        <Block title="レスポンス" english="Response">
          <p className="text-sm text-slate-700">
            <code className="rounded bg-emerald-50 px-1.5 py-0.5 font-mono text-emerald-800">{operation.success.status}</code>{" "}
            {responseName ? (
              <>
                <a href={`#${objectAnchor(responseName)}`} className="font-mono text-sky-700 underline decoration-sky-300 underline-offset-2 hover:text-sky-900">
                  {responseName}
                </a>{" "}
                {shape.kind === "list" ? (
                  <>
                    のリスト <span className="text-slate-500">（{"{"} object: &quot;list&quot;, data: {responseName}[], has_more {"}"}）</span>
                  </>
                ) : (
                  <>オブジェクト{OBJECT_LABELS[responseName] ? `（${OBJECT_LABELS[responseName]}）` : ""}</>
                )}
              </>
            ) : (
              "JSON"
            )}
          </p>
          {responseFields.length > 0 && (
            <details className="group rounded-md border border-slate-200 open:pb-2">
              <summary className="cursor-pointer select-none rounded-md px-3 py-2 text-sm text-slate-700 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-sky-600">
                {shape.kind === "list" ? `data[] の各要素（${responseName}）のフィールド` : "レスポンスのフィールド"}
                <span className="text-slate-500">（{responseFields.length} 項目）</span>
              </summary>
              <div className="px-2 pt-1">
                <FieldTable rows={responseFields} mode="response" caption={`${operation.method} ${operation.path} のレスポンスのフィールド`} />
              </div>
            </details>
          )}
        </Block>
      </div>
    </article>
  );
}
