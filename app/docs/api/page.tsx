import type { Metadata } from "next";
import Link from "next/link";
import { Endpoint } from "@/components/api-docs/endpoint";
import { FieldTable } from "@/components/api-docs/field-table";
import { Intro } from "@/components/api-docs/intro";
import { errorStatuses, groupOperations, OBJECT_LABELS, type OpenApiDocument } from "@/components/api-docs/model";
import { type Components, fieldRows, objectAnchor } from "@/components/api-docs/schema";
import { TableOfContents } from "@/components/api-docs/toc";
import { API_PREFIX, MAX_BODY_BYTES } from "@/lib/api/handle-request";
import { openApiDocument } from "@/lib/api/openapi";
import { API_ROUTES } from "@/lib/api/routes";

export const metadata: Metadata = {
  title: "API リファレンス",
  description: "Keizoku REST API v1 のリファレンス：認証、冪等性キー、エラー、ページネーションと全エンドポイント",
};

/** The OpenAPI document the API serves, or why it could not be made (shown instead of a broken page). */
function loadDocument(): { document: OpenApiDocument; error?: undefined } | { document?: undefined; error: string } {
  try {
    return { document: openApiDocument(API_ROUTES) as OpenApiDocument };
  } catch (error) {
    console.error("docs/api: the OpenAPI document could not be generated", error);
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

export default function ApiReferencePage() {
  const loaded = loadDocument();
  const components: Components = loaded.document?.components?.schemas ?? {};
  const groups = loaded.document ? groupOperations(loaded.document) : [];
  const objects = Object.keys(components);
  const operationCount = groups.reduce((n, g) => n + g.operations.length, 0);

  return (
    <>
      <a href="#content" className="sr-only z-10 rounded bg-white px-3 py-2 text-sm font-semibold text-sky-800 shadow focus:not-sr-only focus:fixed focus:left-4 focus:top-4">
        本文へスキップ
      </a>
      <div className="mx-auto grid max-w-7xl gap-10 px-4 py-10 sm:px-6 lg:grid-cols-[17rem_minmax(0,1fr)] lg:px-8">
        <aside className="hidden lg:block">
          <nav aria-label="目次" className="sticky top-6 max-h-[calc(100vh-3rem)] overflow-y-auto pb-8 pr-2">
            <TableOfContents groups={groups} objects={objects} />
          </nav>
        </aside>

        <main id="content" className="flex min-w-0 flex-col gap-12">
          <header className="flex flex-col gap-3 border-b border-slate-200 pb-8">
            <p className="text-sm">
              <Link href="/" className="text-sky-700 underline-offset-2 hover:underline">
                Keizoku 継続課金
              </Link>
              <span className="text-slate-400"> / ドキュメント</span>
            </p>
            <h1 className="text-3xl font-bold tracking-tight text-slate-900">API リファレンス</h1>
            <p className="text-slate-600">
              Keizoku REST API {loaded.document?.info.version ?? "v1"} — ベース URL <code className="rounded bg-slate-100 px-1 py-px font-mono text-sm">{API_PREFIX}</code>
              {loaded.document && `・エンドポイント ${operationCount} 件`}
            </p>
            <details className="rounded-md border border-slate-200 bg-white lg:hidden">
              <summary className="cursor-pointer px-4 py-2 text-sm font-semibold text-slate-800 focus-visible:outline-2 focus-visible:outline-sky-600">目次を開く</summary>
              <nav aria-label="目次（モバイル）" className="px-2 pb-3">
                <TableOfContents groups={groups} objects={objects} />
              </nav>
            </details>
          </header>

          {loaded.error !== undefined ? (
            <div role="alert" className="rounded-lg border border-rose-200 bg-rose-50 p-6 text-rose-900">
              <h2 className="text-lg font-semibold">API リファレンスを生成できませんでした</h2>
              <p className="mt-2 text-sm">
                OpenAPI ドキュメントの生成中にエラーが発生しました（{loaded.error}）。サーバーのログを確認してください。API 自体はこの問題と関係なく動作している場合があります。
              </p>
            </div>
          ) : (
            <>
              <Intro apiPrefix={API_PREFIX} maxBodyBytes={MAX_BODY_BYTES} components={components} errors={loaded.document ? errorStatuses(loaded.document) : []} />

              {groups.length === 0 ? (
                <section className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-slate-600">
                  <h2 className="text-lg font-semibold text-slate-800">エンドポイントはまだありません</h2>
                  <p className="mt-2 text-sm">公開されているエンドポイントがありません。lib/api/routes にルートを追加すると、ここに表示されます。</p>
                </section>
              ) : (
                groups.map((group) => (
                  <section key={group.tag} id={group.anchor} aria-labelledby={`${group.anchor}-title`} className="scroll-mt-6 flex flex-col gap-5">
                    <h2 id={`${group.anchor}-title`} className="border-b border-slate-200 pb-2 text-2xl font-bold text-slate-900">
                      <a href={`#${group.anchor}`} className="hover:underline">
                        {group.label}
                      </a>{" "}
                      <span className="text-lg font-normal text-slate-500">{group.tag}</span>
                    </h2>
                    {group.operations.map((operation) => (
                      <Endpoint key={operation.anchor} operation={operation} components={components} />
                    ))}
                  </section>
                ))
              )}

              {objects.length > 0 && (
                <section id="objects" aria-labelledby="objects-title" className="scroll-mt-6 flex flex-col gap-5">
                  <h2 id="objects-title" className="border-b border-slate-200 pb-2 text-2xl font-bold text-slate-900">
                    オブジェクト <span className="text-lg font-normal text-slate-500">Objects</span>
                  </h2>
                  {objects.map((name) => (
                    <section key={name} id={objectAnchor(name)} aria-labelledby={`${objectAnchor(name)}-title`} className="scroll-mt-6 flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-5 shadow-sm sm:p-6">
                      <h3 id={`${objectAnchor(name)}-title`} className="text-lg font-semibold text-slate-900">
                        <a href={`#${objectAnchor(name)}`} className="hover:underline">
                          {OBJECT_LABELS[name] ?? name}
                        </a>{" "}
                        <span className="font-mono text-base font-normal text-slate-500">{name}</span>
                      </h3>
                      <FieldTable rows={fieldRows(components[name], components)} mode="response" caption={`${name} のフィールド`} />
                    </section>
                  ))}
                </section>
              )}
            </>
          )}
        </main>
      </div>
    </>
  );
}
