import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq } from "drizzle-orm";
import { webhookEndpoints } from "@/db/schema";
import { createCustomer } from "@/lib/services/create-customer";
import { createWebhookEndpoint } from "@/lib/services/webhook-endpoints";
import { readmeVerifier } from "@/test/support/readme-webhook-verify";
import { expect, expectAccessible, test } from "./support/fixtures";

/**
 * Webhook (/console/settings/webhooks): an owner adds an endpoint pointing at a local receiver (its secret shown
 * once), a customer is created, the server's runner delivers the event (the receiver checks the signature with the
 * README's snippet), the delivery log shows the request and answer, and "resend" sends the same event id again.
 */

type Received = { body: string; signature: string };

let receiver: Server;
let receiverUrl: string;
const received: Received[] = [];

test.beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      received.push({ body, signature: String(req.headers["keizoku-signature"] ?? "") });
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("受信しました");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/keizoku`;
});
test.afterAll(() => receiver.close());

test("an owner adds an endpoint (secret shown once), sees a delivery in the log, and resends it", async ({ page, server }) => {
  test.setTimeout(120_000);
  const verify = await readmeVerifier();
  await page.goto("/console/settings/webhooks");
  await expect(page.getByRole("link", { name: "Webhook" })).toHaveAttribute("aria-current", "page");
  await page.getByRole("button", { name: "エンドポイントを追加" }).click();
  const dialog = page.getByRole("dialog", { name: "エンドポイントを追加" });
  await dialog.getByRole("button", { name: "追加する" }).click();
  await expect(dialog.getByText("URL を入力してください。")).toBeVisible();
  await dialog.getByLabel("URL").fill("https://10.0.0.1/hooks");
  await dialog.getByRole("button", { name: "追加する" }).click();
  await expect(dialog.getByText(/この URL には送信できません/)).toBeVisible();

  await dialog.getByLabel("URL").fill(receiverUrl);
  await dialog.getByLabel("説明（任意）").fill("会計連携テスト");
  await dialog.getByRole("checkbox", { name: "すべてのイベント" }).click();
  await dialog.getByRole("checkbox", { name: /顧客の作成/ }).click();
  await expectAccessible(page);
  await dialog.getByRole("button", { name: "追加する" }).click();

  const shown = page.getByRole("dialog", { name: "エンドポイントを追加しました" });
  await expect(shown).toContainText("このシークレットが表示されるのは今回だけです");
  const secret = await shown.getByLabel("署名シークレット").inputValue();
  expect(secret).toMatch(/^whsec_/);
  await expectAccessible(page);
  await shown.getByRole("button", { name: "閉じる" }).first().click();
  await expect(shown).toBeHidden();
  await expect(page.locator("body")).not.toContainText(secret);

  const [endpoint] = await server.database.db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.merchantId, server.merchantId), eq(webhookEndpoints.url, receiverUrl)));
  expect(endpoint!.enabledEvents).toEqual(["customer.created"]);
  const card = page.getByTestId(`endpoint-${endpoint!.id}`);
  await expect(card).toContainText("会計連携テスト");
  await expect(card).toContainText("customer.created");

  const customer = await createCustomer(await server.as("owner"), { email: `hook-${Date.now()}@example.jp`, name: "フック 花子" });
  await expect.poll(() => received.length, { timeout: 30_000 }).toBe(1);
  const first = JSON.parse(received[0]!.body) as { id: string; type: string; data: { object: { id: string } } };
  expect(first).toMatchObject({ type: "customer.created", data: { object: { id: customer.id } } });
  expect(verify(received[0]!.body, received[0]!.signature, secret)).toBe(true);

  await page.goto(`/console/settings/webhooks?endpoint=${endpoint!.id}`);
  const log = page.getByRole("region", { name: /送信履歴/ });
  await expect(log.getByText("成功 200")).toHaveCount(1);
  await expect(log).toContainText(first.id);
  await log.getByText("リクエストとレスポンス").click();
  await expect(log).toContainText("Keizoku-Signature: t=");
  await expect(log).toContainText("受信しました");
  await expectAccessible(page);

  await log.getByRole("button", { name: `${first.id} を再送` }).click();
  const confirm = page.getByRole("dialog", { name: "このイベントを再送しますか？" });
  await confirm.getByRole("button", { name: "再送する" }).click();
  await expect(page.getByText("再送を予約しました")).toBeVisible();
  await expect.poll(() => received.length, { timeout: 30_000 }).toBe(2);
  expect(JSON.parse(received[1]!.body).id).toBe(first.id);
  expect(verify(received[1]!.body, received[1]!.signature, secret)).toBe(true);
  await expect(log.getByText("成功 200")).toHaveCount(2, { timeout: 15_000 });
  await expect(log.getByText("1 回目 · 再送")).toBeVisible();
  await expectAccessible(page);
});

test.describe("a viewer", () => {
  test.use({ signedInAs: "viewer" });

  test("reads the endpoints and their log, with every action disabled and the reason given", async ({ page, server }) => {
    const endpoint = await createWebhookEndpoint(await server.as("owner"), { url: `http://localhost:9/viewer-${Date.now()}`, enabledEvents: ["*"], description: "閲覧テスト" });
    await page.goto(`/console/settings/webhooks?endpoint=${endpoint.id}`);
    const card = page.getByTestId(`endpoint-${endpoint.id}`);
    await expect(card).toContainText("閲覧テスト");
    await expect(card).toContainText("すべてのイベント");
    await expect(page.getByRole("button", { name: "エンドポイントを追加" })).toBeDisabled();
    for (const name of ["編集", "停止", "削除"]) await expect(card.getByRole("button", { name, exact: true })).toBeDisabled();
    await expect(page.getByLabel("Webhook の設定と再送は、オーナーと管理者のみ行えます。").first()).toBeVisible();
    await expect(page.getByRole("region", { name: /送信履歴/ })).toContainText("まだ送信していません");
    await expectAccessible(page);
  });
});
