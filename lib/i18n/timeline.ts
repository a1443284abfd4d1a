import { createTranslator, type MessageKeys, type NestedKeyOf, type TranslationValues } from "next-intl";
import { formatMoney } from "@/lib/billing/money";
import type { TimelineEvent } from "@/lib/services/queries/subscriptions";
import { type Messages, MESSAGES } from "@/messages";
import { DATE_TIME_FORMAT } from "./formats";

type MessageKey = MessageKeys<Messages, NestedKeyOf<Messages>>;

/** A next-intl translator over all namespaces: `getTranslations()` on a page, `createTranslator` elsewhere. */
export type Translate = { (key: MessageKey, values?: TranslationValues): string; has(key: MessageKey): boolean };

export type TimelineWording = { t: Translate; dateTime(at: Date): string };

/** A code the messages may not know (an outcome or template written by a newer version): its words, else the code. */
function wordOr(t: Translate, key: string, code: string): string {
  return t.has(key as MessageKey) ? t(key as MessageKey) : code;
}

function actionLabel(event: Extract<TimelineEvent, { type: "action" }>, t: Translate): string {
  if (event.action === "retry") {
    if (event.manual) return t("timeline.manualRetry");
    if (event.retryNumber) return t("timeline.retryNumbered", { number: event.retryNumber });
  }
  if (event.action === "dunning_notice") return t("timeline.dunning", { template: event.template ? wordOr(t, `billing.mailTemplate.${event.template}`, event.template) : "" });
  return t(`common.actionKind.${event.action}`);
}

/** One line of the timeline in the translator's language, e.g.「継続課金 ¥3,000：失敗（card_declined）」. */
export function describeTimelineEvent(event: TimelineEvent, { t, dateTime }: TimelineWording): string {
  switch (event.type) {
    case "action": {
      const label = actionLabel(event, t);
      const outcome = event.outcome ? wordOr(t, `billing.outcome.${event.outcome}`, event.outcome) : null;
      switch (event.state) {
        case "pending":
          return label;
        case "done":
          return outcome ? t("timeline.actionDone", { label, outcome }) : label;
        case "canceled":
          return outcome ? t("timeline.actionCanceledBecause", { label, outcome }) : t("timeline.actionCanceled", { label });
        case "skipped":
          return outcome ? t("timeline.actionSkippedBecause", { label, outcome }) : t("timeline.actionSkipped", { label });
        case "failed":
          return outcome ? t("timeline.actionFailedBecause", { label, outcome }) : t("timeline.actionFailed", { label });
      }
      break;
    }
    case "payment": {
      const result = event.result === "failed" ? t("billing.paymentResult.failed", { code: event.failureCode ?? "unknown" }) : t(`billing.paymentResult.${event.result}`);
      return t("timeline.payment", { charge: t(`billing.charge.${event.charge}`), amount: formatMoney({ amount: event.amount, currency: event.currency }), result });
    }
    case "verb":
      switch (event.verb) {
        case "canceled": {
          const text = event.atPeriodEnd ? t("timeline.verb.canceledAtPeriodEnd") : t("timeline.verb.canceledNow");
          return event.reason ? t("timeline.withReason", { text, reason: event.reason }) : text;
        }
        case "resumed":
          return event.undoCancel ? t("timeline.verb.resumedUndoCancel") : t("timeline.verb.resumed");
        case "retry_scheduled":
          return event.at ? t("timeline.verb.retryScheduledAt", { at: dateTime(event.at) }) : t("timeline.verb.retry_scheduled");
        case "paused":
          return event.resumeAt ? t("timeline.verb.pausedUntil", { at: dateTime(event.resumeAt) }) : t("timeline.verb.paused");
        case "plan_changed":
          return event.atPeriodEnd ? t("timeline.verb.planChangedAtPeriodEnd") : t("timeline.verb.plan_changed");
        case "payment_method_updated":
          return t("timeline.verb.payment_method_updated", { brand: event.brand, last4: event.last4 });
        case "other":
          return event.action;
        default:
          return t(`timeline.verb.${event.verb}`);
      }
  }
}

/** The API's wording: Japanese, times in the merchant's time zone (「手動再決済を予約（2027/02/26 10:00）」). */
export function japaneseTimelineWording(timeZone: string): TimelineWording {
  const format = new Intl.DateTimeFormat("ja-JP", { ...DATE_TIME_FORMAT, timeZone });
  return { t: createTranslator({ locale: "ja", messages: MESSAGES.ja }), dateTime: (at) => format.format(at) };
}
