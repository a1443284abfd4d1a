import { createTranslator } from "next-intl";
import { describe, expect, it } from "vitest";
import { MESSAGES } from "@/messages";
import { describeTimelineEvent, japaneseTimelineWording } from "./timeline";

const ja = japaneseTimelineWording("Asia/Tokyo");
const en = { t: createTranslator({ locale: "en", messages: MESSAGES.en }), dateTime: (at: Date) => at.toISOString() };
const at = new Date("2027-02-26T01:00:00Z");

describe("describeTimelineEvent", () => {
  it("words actions, payments and verbs in Japanese, times in the merchant's zone", () => {
    expect(describeTimelineEvent({ type: "action", action: "retry", state: "pending", retryNumber: 2, manual: false, template: null, outcome: null }, ja)).toBe("再決済（2回目）");
    expect(describeTimelineEvent({ type: "action", action: "dunning_notice", state: "done", retryNumber: null, manual: false, template: "final_notice", outcome: "mail_queued" }, ja)).toBe(
      "督促メール：最終のお知らせ：メール送信",
    );
    expect(describeTimelineEvent({ type: "payment", charge: "renewal", amount: 3000, currency: "jpy", result: "failed", failureCode: "insufficient_funds" }, ja)).toBe(
      "継続課金 ¥3,000：失敗（insufficient_funds）",
    );
    expect(describeTimelineEvent({ type: "verb", verb: "retry_scheduled", at }, ja)).toBe("手動再決済を予約（2027/02/26 10:00）");
    expect(describeTimelineEvent({ type: "verb", verb: "canceled", atPeriodEnd: true, reason: "引っ越し" }, ja)).toBe("期間終了時の解約を受付（理由：引っ越し）");
  });

  it("words the same events in English", () => {
    expect(describeTimelineEvent({ type: "action", action: "renewal", state: "canceled", retryNumber: null, manual: false, template: null, outcome: "paused" }, en)).toBe("Renewal (called off: paused)");
    expect(describeTimelineEvent({ type: "payment", charge: "first", amount: 8000, currency: "jpy", result: "succeeded", failureCode: null }, en)).toBe("First charge ¥8,000: succeeded");
    expect(describeTimelineEvent({ type: "verb", verb: "payment_method_updated", brand: "visa", last4: "4242" }, en)).toBe("Payment card changed (visa ****4242)");
  });

  it("an outcome or verb it has no words for is shown by its code", () => {
    expect(describeTimelineEvent({ type: "action", action: "renewal", state: "skipped", retryNumber: null, manual: false, template: null, outcome: "something_new" }, ja)).toBe("継続課金（実行せず：something_new）");
    expect(describeTimelineEvent({ type: "verb", verb: "other", action: "subscription.something_new" }, en)).toBe("subscription.something_new");
  });
});
