import type { ReactNode } from "react";
import { Code, CodeBlock, RichText } from "./code-block";
import { FieldTable } from "./field-table";
import { type ErrorStatus, STATUS_LABELS } from "./model";
import { type Components, fieldRows } from "./schema";

/** The conventions every endpoint shares, in the order a developer meets them. */
export const INTRO_SECTIONS = [
  { id: "overview", title: "概要", english: "Overview" },
  { id: "authentication", title: "認証", english: "Authentication" },
  { id: "idempotency", title: "冪等性キー", english: "Idempotency keys" },
  { id: "errors", title: "エラー", english: "Errors" },
  { id: "pagination", title: "ページネーション", english: "Pagination" },
  { id: "amounts-and-times", title: "金額と日時", english: "Amounts & times" },
] as const;

type SectionId = (typeof INTRO_SECTIONS)[number]["id"];

function Section({ id, children }: { id: SectionId; children: ReactNode }) {
  const section = INTRO_SECTIONS.find((s) => s.id === id)!;
  return (
    <section id={id} aria-labelledby={`${id}-title`} className="scroll-mt-6 flex flex-col gap-3">
      <h2 id={`${id}-title`} className="text-xl font-bold text-slate-900">
        <a href={`#${id}`} className="hover:underline">
          {section.title}
        </a>{" "}
        <span className="text-base font-normal text-slate-500">{section.english}</span>
      </h2>
      <div className="flex flex-col gap-3 leading-relaxed text-slate-700">{children}</div>
    </section>
  );
}

export function Intro({ apiPrefix, maxBodyBytes, components, errors }: { apiPrefix: string; maxBodyBytes: number; components: Components; errors: ErrorStatus[] }) {
  const errorFields = fieldRows(components.Error, components);
  const megabytes = Math.round(maxBodyBytes / (1024 * 1024));
  return (
    <div className="flex flex-col gap-12">
      <Section id="overview">
        <p>
          加盟店のシステムから契約・請求・テストクロックなど Keizoku のすべての操作を行う REST API です。ベース URL はこのサーバーの <Code>{apiPrefix}</Code>
          、リクエストとレスポンスは JSON（<Code>Content-Type: application/json</Code>）です。
        </p>
        <p>
          オブジェクトは接頭辞つきの <Code>id</Code>（<Code>prod_</Code> <Code>plan_</Code> <Code>cus_</Code> <Code>pm_</Code> <Code>sub_</Code> <Code>in_</Code>{" "}
          <Code>clock_</Code> <Code>mail_</Code> など）と種類を表す <Code>object</Code> を持ちます。この内容は{" "}
          <a href={`${apiPrefix}/openapi.json`} className="text-sky-700 underline underline-offset-2 hover:text-sky-900">
            OpenAPI 3.1 ドキュメント（{apiPrefix}/openapi.json）
          </a>{" "}
          から生成しています。リクエストを検証するのと同じスキーマから作られるため、記載と実際の挙動は一致します。
        </p>
      </Section>

      <Section id="authentication">
        <p>
          すべてのリクエストに、加盟店のシークレットキー（<Code>sk_</Code> で始まる）を <Code>Authorization: Bearer</Code> ヘッダーで付けます。キーは加盟店ごとに複数発行・失効でき、サーバーにはハッシュだけが保存されます。
        </p>
        <CodeBlock label="認証つきリクエストの例">{`curl ${apiPrefix}/subscriptions \\\n  -H "Authorization: Bearer sk_..."`}</CodeBlock>
        <p>
          キーがない・無効・失効済みのときは <Code>401</Code>（<Code>authentication_error</Code>）です。他の加盟店のオブジェクトは存在しないものとして <Code>404</Code> を返します。
        </p>
      </Section>

      <Section id="idempotency">
        <p>
          どの <Code>POST</Code> にも <Code>Idempotency-Key</Code> ヘッダー（1–255 文字）を付けられます。通信が途切れても、同じキーで再送すれば課金や作成が二重になりません。
        </p>
        <ul className="list-disc space-y-1 pl-6">
          <li>同じキー・同じボディで 24 時間以内に再送すると、最初のレスポンスがそのまま返ります（ヘッダー <Code>Idempotent-Replayed: true</Code>）。</li>
          <li>
            同じキーを別のボディで使うと <Code>409</Code> <Code>idempotency_error</Code>（<Code>idempotency_key_reused</Code>）です。
          </li>
          <li>同じキーの同時リクエストは一つだけが実行され、もう一方はその結果を受け取ります。</li>
          <li>
            5xx（<Code>503</Code> など）は保存されないので、同じキーで再試行できます。処理中だった決済は再実行されず、その結果が返ります。
          </li>
        </ul>
        <CodeBlock label="Idempotency-Key の例">{`curl -X POST ${apiPrefix}/subscriptions \\\n  -H "Authorization: Bearer sk_..." \\\n  -H "Idempotency-Key: 2f1c9a7e-signup-1234" \\\n  -H "Content-Type: application/json" \\\n  -d '{"customer": "cus_...", "plan": "plan_..."}'`}</CodeBlock>
      </Section>

      <Section id="errors">
        <p>
          エラーは HTTP ステータスと次の形の JSON で返ります。拒否されたリクエストは何も変更しません。呼び出し側の誤りに 5xx を返すことはありません。
        </p>
        <CodeBlock label="エラーレスポンスの例（402）">{`{
  "error": {
    "type": "card_error",
    "code": "card_declined",
    "message": "The first payment was declined (card_declined); ...",
    "param": null,
    "decline_code": "card_declined",
    "subscription": "sub_...",
    "invoice": "in_..."
  }
}`}</CodeBlock>
        <FieldTable rows={errorFields} mode="response" caption="エラーオブジェクトのフィールド" />
        <div className="overflow-x-auto rounded-md border border-slate-200">
          <table className="w-full border-collapse text-left text-sm">
            <caption className="sr-only">エラーの HTTP ステータス</caption>
            <thead className="bg-slate-50 text-xs text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2 font-semibold">
                  ステータス <span className="font-normal text-slate-400">Status</span>
                </th>
                <th scope="col" className="px-3 py-2 font-semibold">
                  意味 <span className="font-normal text-slate-400">Meaning</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {errors.map((e) => (
                <tr key={e.status} className="align-top">
                  <th scope="row" className="px-3 py-2 font-mono font-semibold text-slate-900">
                    {e.status}
                  </th>
                  <td className="px-3 py-2 text-slate-700">
                    {STATUS_LABELS[e.status] && <p>{STATUS_LABELS[e.status]}</p>}
                    <p className="text-xs text-slate-500">
                      <RichText text={e.description} />
                    </p>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p>
          <Code>429</Code> はキーごとのレート制限です。<Code>Retry-After</Code> ヘッダーの秒数だけ待ってから再試行してください。ボディの上限は {megabytes} MB です。
        </p>
      </Section>

      <Section id="pagination">
        <p>
          一覧は新しい順に <Code>{`{"object": "list", "data": [...], "has_more": true}`}</Code> の形で返ります。<Code>limit</Code>（1–100、既定 10）で件数を、
          <Code>starting_after</Code> に前のページの最後の <Code>id</Code> を渡して次のページを取得します。<Code>has_more</Code> が <Code>false</Code> なら最後のページです。絞り込みはクエリパラメータで指定します。
        </p>
        <CodeBlock label="ページネーションの例">{`GET ${apiPrefix}/invoices?subscription=sub_...&limit=20
GET ${apiPrefix}/invoices?subscription=sub_...&limit=20&starting_after=in_...`}</CodeBlock>
      </Section>

      <Section id="amounts-and-times">
        <p>
          金額は通貨の最小単位の整数（minor units）です。日本円では 1 が 1 円で、<Code>3000</Code> は ¥3,000 です。通貨は小文字の ISO 4217 コード（<Code>currency</Code>、既定は <Code>jpy</Code>）です。
        </p>
        <p>
          日時は ISO 8601 の UTC 文字列（例 <Code>2027-01-10T03:00:00.000Z</Code>）で返ります。リクエストではオフセットつき（例 <Code>2027-01-10T12:00:00+09:00</Code>）も受け付けます。課金日の計算は加盟店のタイムゾーン（既定 Asia/Tokyo）の 0 時を基準にします。
        </p>
      </Section>
    </div>
  );
}
