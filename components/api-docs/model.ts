import { type Components, type JsonSchema, operationAnchor, tagAnchor } from "./schema";

/** The parts of an OpenAPI 3.1 document the reference page reads. */
export type OpenApiDocument = {
  openapi: string;
  info: { title: string; version: string; description?: string };
  servers?: { url: string }[];
  components?: { schemas?: Components };
  paths: Record<string, Record<string, unknown>>;
};

type RawOperation = {
  summary?: string;
  description?: string;
  tags?: string[];
  operationId?: string;
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: JsonSchema }> }>;
};

export type Parameter = { name: string; in: "path" | "query"; required: boolean; description?: string; schema: JsonSchema };

export type Operation = {
  anchor: string;
  method: string;
  path: string;
  summary: string;
  title: string;
  tag: string;
  parameters: Parameter[];
  idempotent: boolean;
  requestBody?: JsonSchema;
  success: { status: string; schema?: JsonSchema };
};

export type TagGroup = { tag: string; label: string; anchor: string; operations: Operation[] };

export type ErrorStatus = { status: string; description: string };

/** Japanese names of the tags; a tag not listed here shows its English name. */
export const TAG_LABELS: Record<string, string> = {
  Products: "商品",
  Plans: "料金プラン",
  Customers: "顧客",
  "Payment methods": "支払い方法",
  Sandbox: "サンドボックス",
  "Test clocks": "テストクロック",
  Settings: "請求設定",
  Subscriptions: "契約",
  Invoices: "請求書",
  Mails: "メール",
  "Checkout links": "チェックアウトリンク",
  Webhooks: "Webhook",
  "後払い orders": "後払い 注文",
};

/** Japanese names of the objects (component schemas). */
export const OBJECT_LABELS: Record<string, string> = {
  Product: "商品",
  Plan: "料金プラン",
  Customer: "顧客",
  Token: "カードトークン",
  PaymentMethod: "支払い方法",
  TestClock: "テストクロック",
  BillingSettings: "請求設定",
  BillingSettingsPreview: "請求設定変更のプレビュー",
  PlanChangePreview: "プラン変更のプレビュー",
  Refund: "返金",
  Subscription: "契約",
  TimelineEntry: "タイムライン項目",
  Invoice: "請求書",
  UsageRecord: "従量利用記録",
  Mail: "メール",
  CheckoutLink: "チェックアウトリンク",
  AtobaraiOrder: "後払い 注文",
  AtobaraiPayment: "後払い 入金の記録",
  AtobaraiPaymentRecord: "後払い 入金",
  AtobaraiRefund: "後払い 返金",
  AtobaraiRefundResult: "後払い 返金の記録",
  WebhookEndpoint: "Webhook エンドポイント",
  Event: "イベント",
  Error: "エラー",
};

/** Japanese titles of the endpoints; a new endpoint without one shows its (English) summary. */
const OPERATION_TITLES: Record<string, string> = {
  "POST /atobarai/orders": "後払い注文を登録",
  "GET /atobarai/orders": "後払い注文の一覧",
  "GET /atobarai/orders/{id}": "後払い注文を取得",
  "POST /atobarai/orders/{id}/shipment": "送り状番号を登録（請求書を発行）",
  "POST /atobarai/orders/{id}/cancel": "後払い注文を取り消す",
  "POST /atobarai/orders/{id}/return": "返品を記録",
  "POST /atobarai/orders/{id}/payments": "後払い注文の入金を記録",
  "GET /atobarai/orders/{id}/payments": "後払い注文の入金の一覧",
  "POST /atobarai/orders/{id}/refunds": "後払い注文の返金を記録",
  "GET /atobarai/orders/{id}/refunds": "後払い注文の返金の一覧",
  "POST /products": "商品を作成",
  "GET /products": "商品の一覧",
  "GET /products/{id}": "商品を取得",
  "POST /products/{id}": "商品を更新（名前・説明・アーカイブ）",
  "POST /plans": "料金プランを作成",
  "GET /plans": "料金プランの一覧",
  "GET /plans/{id}": "料金プランを取得",
  "POST /plans/{id}": "料金プランの提供を終了",
  "POST /customers": "顧客を作成",
  "GET /customers": "顧客の一覧",
  "GET /customers/{id}": "顧客を取得",
  "POST /sandbox/tokens": "テストカードをトークン化",
  "POST /customers/{id}/payment_methods": "カードを登録",
  "GET /customers/{id}/payment_methods": "顧客のカードの一覧",
  "POST /test_helpers/payment_methods/{id}/behavior": "テストカードの挙動を設定",
  "POST /test_clocks": "テストクロックを作成",
  "GET /test_clocks": "テストクロックの一覧",
  "GET /test_clocks/{id}": "テストクロックを取得",
  "POST /test_clocks/{id}/advance": "テストクロックを進める",
  "GET /settings/billing": "請求設定を取得",
  "PUT /settings/billing": "請求設定を更新",
  "POST /settings/billing/preview": "請求設定の変更をプレビュー",
  "POST /subscriptions": "契約を作成",
  "GET /subscriptions": "契約の一覧",
  "GET /subscriptions/{id}": "契約を取得",
  "GET /subscriptions/{id}/timeline": "契約のタイムライン",
  "POST /subscriptions/{id}/cancel": "契約を解約",
  "POST /subscriptions/{id}/resume": "契約を再開",
  "POST /subscriptions/{id}/retry": "再決済",
  "POST /subscriptions/{id}/charges": "追加課金",
  "POST /subscriptions/{id}/usage_records": "従量利用を記録",
  "POST /subscriptions/{id}/pause": "契約を一時停止",
  "POST /subscriptions/{id}/change_plan": "プランを変更",
  "POST /subscriptions/{id}/change_plan/preview": "プラン変更をプレビュー",
  "POST /subscriptions/{id}/payment_method": "お支払いカードを変更",
  "GET /invoices": "請求書の一覧",
  "GET /invoices/{id}": "請求書を取得",
  "POST /invoices/{id}/refunds": "返金",
  "GET /mails": "メールの一覧",
  "GET /mails/{id}": "メールを取得",
  "POST /checkout_links": "チェックアウトリンクを作成",
  "GET /checkout_links": "チェックアウトリンクの一覧",
  "GET /checkout_links/{id}": "チェックアウトリンクを取得",
  "POST /checkout_links/{id}": "チェックアウトリンクを有効・無効にする",
  "POST /webhook_endpoints": "Webhook エンドポイントを作成",
  "GET /webhook_endpoints": "Webhook エンドポイントの一覧",
  "GET /webhook_endpoints/{id}": "Webhook エンドポイントを取得",
  "POST /webhook_endpoints/{id}": "Webhook エンドポイントを更新（URL・イベント・停止）",
  "DELETE /webhook_endpoints/{id}": "Webhook エンドポイントを削除",
  "POST /webhook_endpoints/{id}/resend": "イベントを再送",
  "GET /events": "イベントの一覧",
  "GET /events/{id}": "イベントを取得",
};

/** What each error status means for the caller, in Japanese (the document's own text is shown beside it). */
export const STATUS_LABELS: Record<string, string> = {
  "400": "リクエストの誤り。param が問題のフィールドを示します",
  "401": "API キーがない、または無効・失効済み",
  "402": "カードが拒否された（card_error）",
  "404": "オブジェクトが存在しない。他の加盟店のオブジェクトも同じ扱い",
  "409": "状態として許されない操作、または Idempotency-Key の衝突",
  "413": "リクエストボディが 1 MB を超えている",
  "429": "レート制限。Retry-After 秒待ってから再試行",
  "503": "決済ゲートウェイが応答しない。同じ Idempotency-Key で再試行",
};

const HTTP_METHODS = ["get", "post", "put", "patch", "delete"];

/** The document's operations grouped by tag, in the order the document lists them. */
export function groupOperations(document: OpenApiDocument): TagGroup[] {
  const groups = new Map<string, TagGroup>();
  for (const [path, item] of Object.entries(document.paths)) {
    // The document's own order: the routes as lib/api/routes lists them (create before list before retrieve).
    const methods = Object.keys(item).filter((m) => HTTP_METHODS.includes(m));
    for (const method of methods) {
      const raw = item[method] as RawOperation;
      const tag = raw.tags?.[0] ?? "Other";
      const key = `${method.toUpperCase()} ${path}`;
      const [successStatus, success] = Object.entries(raw.responses ?? {}).find(([status]) => status.startsWith("2")) ?? ["200", undefined];
      const operation: Operation = {
        anchor: operationAnchor(method, path),
        method: method.toUpperCase(),
        path,
        summary: raw.summary ?? raw.description ?? "",
        title: OPERATION_TITLES[key] ?? raw.summary ?? key,
        tag,
        parameters: (raw.parameters ?? [])
          .filter((p): p is Parameter & { in: "path" | "query" } => p.in === "path" || p.in === "query")
          .map((p) => ({ name: p.name, in: p.in, required: Boolean(p.required), description: p.description ?? p.schema?.description, schema: p.schema ?? {} })),
        idempotent: (raw.parameters ?? []).some((p) => p.in === "header" && p.name.toLowerCase() === "idempotency-key"),
        requestBody: raw.requestBody?.content?.["application/json"]?.schema,
        success: { status: successStatus, schema: success?.content?.["application/json"]?.schema },
      };
      let group = groups.get(tag);
      if (!group) {
        group = { tag, label: TAG_LABELS[tag] ?? tag, anchor: tagAnchor(tag), operations: [] };
        groups.set(tag, group);
      }
      group.operations.push(operation);
    }
  }
  return [...groups.values()];
}

/** Every error status the document answers with, and its description (the first one found). */
export function errorStatuses(document: OpenApiDocument): ErrorStatus[] {
  const found = new Map<string, string>();
  for (const item of Object.values(document.paths)) {
    for (const op of Object.values(item) as RawOperation[]) {
      for (const [status, response] of Object.entries(op?.responses ?? {})) {
        if (/^[45]/.test(status) && !found.has(status)) found.set(status, response.description ?? "");
      }
    }
  }
  return [...found.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([status, description]) => ({ status, description }));
}
