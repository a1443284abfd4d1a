import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { mailEvents, mails, mailSuppressions } from "@/db/schema";
import type { MailTemplate } from "@/lib/billing/mail-template";
import { newId } from "@/lib/ids";
import type { MailLinkSubjects } from "@/lib/mail/links";
import type { MailStatus } from "@/lib/mail/mail-settings";
import { systemContext } from "@/lib/services/contexts";
import { createMerchant } from "@/lib/services/create-merchant";
import type { Page } from "@playwright/test";
import { type ServerData, expect, expectAccessible, test } from "./support/fixtures";
import { inbox } from "./support/inbox";

/**
 * 送信履歴 (/console/mails): the outbox searched and filtered, one mail as it was sent with its delivery events,
 * resend, and the suppression list, per role. Rows are written as the engine and the delivery worker leave them,
 * each test with recipients of its own.
 */

type MailSeed = {
  to: string;
  merchantId?: string;
  template?: MailTemplate;
  status?: MailStatus;
  statusReason?: string;
  testClockId?: string;
  subject?: string;
  links?: MailLinkSubjects;
  /** A queued mail not due yet (the server's delivery worker leaves it until then). */
  nextAttemptAt?: Date;
};

async function seedMail(server: ServerData, seed: MailSeed): Promise<string> {
  const id = newId("mail");
  const status = seed.status ?? "sent";
  const rendered = status !== "skipped" && status !== "queued";
  const now = new Date();
  await server.database.db.insert(mails).values({
    id,
    merchantId: seed.merchantId ?? server.merchantId,
    template: seed.template ?? "welcome",
    toAddress: seed.to,
    variables: { name: "送信 花子" },
    links: seed.links ?? {},
    nextAttemptAt: seed.nextAttemptAt ?? null,
    idempotencyKey: `e2e:${id}`,
    status,
    statusReason: seed.statusReason ?? null,
    testClockId: seed.testClockId ?? null,
    queuedAt: now,
    subject: rendered ? (seed.subject ?? `【デモ商店】お申し込みありがとうございます ${id}`) : null,
    html: rendered ? `<!doctype html><html lang="ja"><head><title>mail</title></head><body><h1>ようこそ</h1><p>送信 花子 様</p></body></html>` : null,
    textBody: rendered ? "送信 花子 様\nようこそ" : null,
    fromHeader: rendered ? "デモ商店 <no-reply@keizoku.test>" : null,
    replyTo: rendered ? "shop@example.jp" : null,
    renderedAt: rendered ? now : null,
    sentAt: status === "sent" ? now : null,
    deliveryStatus: status === "sent" ? "delivered" : null,
  });
  return id;
}

/**
 * axe on the console's own markup. The mail's HTML is in a frame sandboxed without scripts, where axe cannot run
 * (it waits on the frame until the test times out); that HTML is the mail templates' to make accessible.
 */
const accessible = (page: Page) => expectAccessible(page, { exclude: ["iframe[sandbox]"] });

const rows = (page: Page) => page.getByTestId("outbox-row");

test.describe("an owner in the outbox", () => {
  test("searches by recipient and filters by status, opens a mail as sent with its events, and resends it", async ({ page, server }) => {
    const tag = randomUUID().slice(0, 8);
    const sent = await seedMail(server, { to: `outbox-${tag}@example.jp`, template: "charge_succeeded", subject: `領収のお知らせ ${tag}` });
    await server.database.db.insert(mailEvents).values({ id: newId("mev"), merchantId: server.merchantId, mailId: sent, kind: "delivered", detail: {}, at: new Date() });
    await seedMail(server, { to: `outbox-${tag}@example.jp`, status: "skipped", statusReason: "disabled_for_product", template: "welcome" });
    await seedMail(server, { to: `outbox-clock-${tag}@example.jp`, testClockId: "clock_e2e", subject: `時計のメール ${tag}` });

    await page.goto("/console/mails");
    await expect(page.getByRole("heading", { name: "送信履歴", level: 1 })).toBeVisible();
    await accessible(page);
    await page.getByLabel("宛先で検索").fill(tag);
    await page.getByLabel("宛先で検索").press("Enter");
    await expect(page).toHaveURL(new RegExp(`[?&]q=${tag}`));
    await expect(rows(page)).toHaveCount(3);
    await expect(page.getByTestId("outbox-summary")).toHaveText("3 件中 1〜3 件");
    // A test clock's mail is marked as test data.
    await expect(rows(page).filter({ hasText: `時計のメール ${tag}` })).toContainText("テストデータ");

    await page.getByLabel("状態").selectOption("skipped");
    await expect(page).toHaveURL(/[?&]status=skipped/);
    await expect(rows(page)).toHaveCount(1);
    await expect(rows(page).first()).toContainText("送信しない設定");
    await page.getByLabel("状態").selectOption("");
    await page.getByLabel("種類").selectOption("charge_succeeded");
    await expect(rows(page)).toHaveCount(1);
    await accessible(page);

    await rows(page).first().getByRole("link", { name: `領収のお知らせ ${tag}` }).click();
    await expect(page).toHaveURL(`/console/mails/${sent}`);
    await expect(page.getByRole("heading", { level: 1, name: `領収のお知らせ ${tag}` })).toBeVisible();
    const facts = page.getByTestId("mail-facts");
    await expect(facts).toContainText("デモ商店 <no-reply@keizoku.test>");
    await expect(facts).toContainText("shop@example.jp");
    await expect(facts).toContainText(`outbox-${tag}@example.jp`);
    await expect(page.getByTestId("mail-html")).toHaveAttribute("sandbox", "");
    await expect(page.frameLocator("[data-testid=mail-html]").getByRole("heading", { name: "ようこそ" })).toBeVisible();
    await expect(page.getByTestId("mail-text")).toContainText("送信 花子 様");
    await expect(page.getByTestId("mail-events")).toContainText("配信済み");
    await accessible(page);

    await page.getByTestId("resend").click();
    const dialog = page.getByRole("dialog", { name: "このメールを再送信しますか？" });
    await expect(dialog).toContainText(`outbox-${tag}@example.jp`);
    await accessible(page);
    await dialog.getByRole("button", { name: "再送信する" }).click();
    await expect(page.getByText("再送信を送信待ちにしました。")).toBeVisible();
    await expect(page.getByTestId("resends")).toBeVisible();
    const [copy] = await server.database.db.select().from(mails).where(eq(mails.resendOf, sent));
    expect(copy).toMatchObject({ idempotencyKey: `resend:${sent}:1`, subject: `領収のお知らせ ${tag}`, toAddress: `outbox-${tag}@example.jp` });
    // The server's delivery worker sends the copy as stored (the original was seeded, never delivered).
    await expect.poll(async () => (await inbox(`outbox-${tag}@example.jp`)).map((m) => m.subject), { timeout: 15_000 }).toEqual([`領収のお知らせ ${tag}`]);
    await expect(page.getByTestId("mail-events")).toContainText("再送信");
  });

  test("refuses to resend a skipped mail or to a suppressed address, and takes an address off the suppression list", async ({ page, server }) => {
    const tag = randomUUID().slice(0, 8);
    const skipped = await seedMail(server, { to: `skip-${tag}@example.jp`, status: "skipped", statusReason: "disabled_for_product" });
    await page.goto(`/console/mails/${skipped}`);
    await expect(page.getByTestId("status-reason")).toHaveText("この商品では送信しない設定です。");
    await expect(page.getByTestId("resend")).toBeDisabled();
    await expect(page.getByLabel("送信しない設定のメールは再送信できません。")).toBeVisible();

    const address = `bounce-${tag}@example.jp`;
    const bounced = await seedMail(server, { to: address });
    const suppressionId = newId("msup");
    await server.database.db.insert(mailSuppressions).values({ id: suppressionId, merchantId: server.merchantId, address, reason: "bounced", sourceMailId: bounced });
    await page.goto(`/console/mails/${bounced}`);
    await expect(page.getByTestId("suppressed-note")).toContainText("不達（バウンス）");
    await expect(page.getByTestId("resend")).toBeDisabled();

    await page.getByRole("link", { name: "配信停止リストを見る" }).click();
    await expect(page).toHaveURL(/\/console\/mails\/suppressions\?q=/);
    const row = page.getByTestId("suppression-row");
    await expect(row).toHaveCount(1);
    await expect(row).toContainText(address);
    await accessible(page);
    await row.getByRole("button", { name: `${address} をリストから外す` }).click();
    const dialog = page.getByRole("dialog", { name: "配信停止リストから外しますか？" });
    await expect(dialog).toContainText(address);
    await dialog.getByRole("button", { name: "外す" }).click();
    await expect(page.getByText(`${address} を配信停止リストから外しました。`)).toBeVisible();
    await expect(page.getByTestId("suppressions-empty")).toBeVisible();
    expect(await server.database.db.select().from(mailSuppressions).where(eq(mailSuppressions.id, suppressionId))).toEqual([]);

    // Off the list, the mail can be sent again.
    await page.goto(`/console/mails/${bounced}`);
    await expect(page.getByTestId("resend")).toBeEnabled();
  });

  test("a mail waiting to be sent has no content yet, and its links are made when it is sent", async ({ page, server }) => {
    const tag = randomUUID().slice(0, 8);
    const waiting = await seedMail(server, {
      to: `waiting-${tag}@example.jp`,
      template: "charge_failed",
      status: "queued",
      links: { card_update: `sub_${tag}` },
      nextAttemptAt: new Date(Date.now() + 86_400_000),
    });
    await page.goto(`/console/mails/${waiting}`);
    await expect(page.getByText("このメールはまだ作成されていません。")).toBeVisible();
    await expect(page.getByTestId("links-at-send")).toHaveText("カード情報の更新・領収書のリンクは送信するときに発行され、送信から7日間有効です。");
    await expect(page.getByTestId("resend")).toBeDisabled();
    await accessible(page);
    // A sent mail's links are in what it was sent with: no such note.
    const sent = await seedMail(server, { to: `sent-${tag}@example.jp`, links: { card_update: `sub_${tag}` } });
    await page.goto(`/console/mails/${sent}`);
    await expect(page.getByTestId("mail-text")).toBeVisible();
    await expect(page.getByTestId("links-at-send")).toHaveCount(0);
  });

  test("another merchant's mail, like an unknown id, is a 404", async ({ page, server }) => {
    const tag = randomUUID().slice(0, 8);
    const other = await createMerchant(systemContext(server.platform, server.merchantId), { name: `別の商店 ${tag}`, email: `other-${tag}@merchant.test`, password: "other-merchant-password" });
    const theirs = await seedMail(server, { to: `theirs-${tag}@example.jp`, merchantId: other.merchantId, subject: `他店のメール ${tag}` });
    const response = await page.goto(`/console/mails/${theirs}`);
    expect(response?.status()).toBe(404);
    await expect(page.getByText(`他店のメール ${tag}`)).toHaveCount(0);
    expect((await page.goto("/console/mails/mail_does_not_exist"))?.status()).toBe(404);
    // Nor does a search find it.
    await page.goto(`/console/mails?q=theirs-${tag}`);
    await expect(page.getByTestId("outbox-empty")).toContainText("条件に一致するメールはありません。");
  });
});

test.describe("a viewer in the outbox", () => {
  test.use({ signedInAs: "viewer" });

  test("reads mails and the suppression list; resend and remove are disabled with the reason", async ({ page, server }) => {
    const tag = randomUUID().slice(0, 8);
    const address = `viewer-${tag}@example.jp`;
    const id = await seedMail(server, { to: address, subject: `閲覧のメール ${tag}` });
    await server.database.db.insert(mailSuppressions).values({ id: newId("msup"), merchantId: server.merchantId, address: `complaint-${tag}@example.jp`, reason: "complained" });

    await page.goto(`/console/mails?q=${tag}`);
    await expect(rows(page)).toHaveCount(1);
    await page.getByRole("link", { name: `閲覧のメール ${tag}` }).click();
    await expect(page.getByRole("heading", { level: 1, name: `閲覧のメール ${tag}` })).toBeVisible();
    await expect(page.getByTestId("resend")).toBeDisabled();
    await expect(page.getByLabel("再送信できるのはオーナー、管理者、オペレーターです。")).toBeVisible();
    await accessible(page);

    await page.goto(`/console/mails/suppressions?q=complaint-${tag}`);
    await expect(page.getByTestId("suppression-row")).toContainText("迷惑メール報告");
    await expect(page.getByRole("button", { name: "リストから外す" })).toBeDisabled();
    await expect(page.getByLabel("配信停止リストを変更できるのはオーナー、管理者、オペレーターです。")).toBeVisible();
    await accessible(page);
    expect((await server.database.db.select().from(mails).where(eq(mails.resendOf, id))).length).toBe(0);
  });
});

test.describe("an operator in the outbox", () => {
  test.use({ signedInAs: "operator" });

  test("resends a mail", async ({ page, server }) => {
    const tag = randomUUID().slice(0, 8);
    const id = await seedMail(server, { to: `operator-${tag}@example.jp`, subject: `オペレーターのメール ${tag}` });
    await page.goto(`/console/mails/${id}`);
    await page.getByTestId("resend").click();
    await page.getByRole("dialog", { name: "このメールを再送信しますか？" }).getByRole("button", { name: "再送信する" }).click();
    await expect(page.getByText("再送信を送信待ちにしました。")).toBeVisible();
    expect((await server.database.db.select().from(mails).where(eq(mails.resendOf, id))).map((m) => m.idempotencyKey)).toEqual([`resend:${id}:1`]);
  });
});
