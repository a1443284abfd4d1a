"use client";

import { useRouter } from "next/navigation";
import { useFormatter, useTranslations } from "next-intl";
import { type FormEvent, type ReactNode, useId, useMemo, useState, useTransition } from "react";
import { toast } from "sonner";
import { ImeSafeForm } from "@/components/console/ime-safe-form";
import { Button } from "@/components/ui/button";
import { FieldError, Input, Label, NativeSelect } from "@/components/ui/input";
import type { BillingSettings } from "@/lib/billing/billing-settings";
import type { PlanFacts } from "@/lib/billing/contract";
import { formatMoney } from "@/lib/billing/money";
import { BILLING_INTERVALS, type BillingInterval, type FirstPeriodRule, isWeekInterval, type TaxBehavior } from "@/lib/billing/plan";
import { quoteSignUp } from "@/lib/billing/sign-up-quote";
import { createPlanAction } from "../actions";
import { quoteWords } from "./quote-sentence";

type Values = {
  name: string;
  amount: string;
  interval: BillingInterval;
  dayMode: "signup" | "fixed";
  dayOfMonth: string;
  weekday: string;
  firstPeriod: FirstPeriodRule;
  trialMode: "none" | "days" | "until";
  trialDays: string;
  trialUntil: string;
  trialReminderDays: string;
  joiningFee: string;
  taxBehavior: TaxBehavior;
  taxRate: "10" | "8";
  retryMode: "default" | "custom";
  retryDays: string;
  /** Metered prices billed in arrears at each period's end. */
  usageRates: { metric: string; unitAmount: string }[];
};

const INITIAL: Values = {
  name: "",
  amount: "",
  interval: "month",
  dayMode: "signup",
  dayOfMonth: "1",
  weekday: "1",
  firstPeriod: "prorate",
  trialMode: "none",
  trialDays: "14",
  trialUntil: "",
  trialReminderDays: "",
  joiningFee: "",
  taxBehavior: "inclusive",
  taxRate: "10",
  retryMode: "default",
  retryDays: "",
  usageRates: [],
};

const MAX_USAGE_RATES = 20;

type Field = "amount" | "dayOfMonth" | "trialDays" | "trialUntil" | "trialReminderDays" | "joiningFee" | "retryDays" | "usageRates";
type Problems = Partial<Record<Field | "form", string>>;

const int = (s: string, min: number, max: number): number | null => {
  const t = s.trim();
  if (!/^\d+$/.test(t)) return null;
  const n = Number(t);
  return n >= min && n <= max ? n : null;
};
const optionalInt = (s: string, min: number, max: number): number | null | undefined => (s.trim() === "" ? undefined : int(s, min, max));

function parseRetryDays(s: string): number[] | null {
  const parts = s.split(/[,、，\s]+/).filter(Boolean);
  if (parts.length === 0 || parts.length > 10) return null;
  const days = parts.map((p) => int(p, 1, 365));
  if (days.some((d) => d === null)) return null;
  return days.every((d, i) => i === 0 || d! > days[i - 1]!) ? (days as number[]) : null;
}

/** The form as the service's input, or the fields that are not yet right. */
function toInput(v: Values, productId: string) {
  const problems: Field[] = [];
  const amount = int(v.amount, 0, 99_999_999_999);
  if (amount === null) problems.push("amount");
  const week = isWeekInterval(v.interval);
  let billingDay: number | "signup" = "signup";
  if (v.dayMode === "fixed") {
    const day = week ? int(v.weekday, 0, 6) : int(v.dayOfMonth, 1, 31);
    if (day === null) problems.push("dayOfMonth");
    else billingDay = day;
  }
  const trialDays = v.trialMode === "days" ? int(v.trialDays, 1, 730) : null;
  if (v.trialMode === "days" && trialDays === null) problems.push("trialDays");
  const trialUntil = v.trialMode === "until" ? v.trialUntil : null;
  if (v.trialMode === "until" && !/^\d{4}-\d{2}-\d{2}$/.test(v.trialUntil)) problems.push("trialUntil");
  const trialReminderDays = v.trialMode === "none" ? undefined : optionalInt(v.trialReminderDays, 1, 60);
  if (trialReminderDays === null) problems.push("trialReminderDays");
  const joiningFee = optionalInt(v.joiningFee, 0, 99_999_999_999);
  if (joiningFee === null) problems.push("joiningFee");
  const retryScheduleDays = v.retryMode === "custom" ? parseRetryDays(v.retryDays) : null;
  if (v.retryMode === "custom" && !retryScheduleDays) problems.push("retryDays");
  const usageRates = v.usageRates.map((r) => ({ metric: r.metric.trim(), unitAmount: int(r.unitAmount, 0, 99_999_999_999) }));
  const metrics = usageRates.map((r) => r.metric);
  if (usageRates.some((r) => r.metric === "" || r.metric.length > 100 || r.unitAmount === null) || new Set(metrics).size !== metrics.length) problems.push("usageRates");
  if (problems.length > 0) return { problems };
  return {
    input: {
      productId,
      name: v.name.trim() || null,
      amount: amount!,
      interval: v.interval,
      billingDay,
      firstPeriod: v.firstPeriod,
      trialDays,
      trialUntil,
      trialReminderDays: trialReminderDays ?? null,
      joiningFee: joiningFee ?? 0,
      taxBehavior: v.taxBehavior,
      taxRate: v.taxRate === "8" ? (8 as const) : (10 as const),
      retryScheduleDays,
      usageRates: usageRates.map((r) => ({ metric: r.metric, unitAmount: r.unitAmount! })),
    },
  };
}

const FIELD_OF_PARAM: Record<string, Field> = {
  amount: "amount",
  billing_day: "dayOfMonth",
  billingDay: "dayOfMonth",
  trialDays: "trialDays",
  trial_until: "trialUntil",
  trialUntil: "trialUntil",
  trialReminderDays: "trialReminderDays",
  joiningFee: "joiningFee",
  retryScheduleDays: "retryDays",
  usageRates: "usageRates",
};

/**
 * プランを追加: every option of the engine, with the quote of signing up today beside it. The quote is computed here,
 * in the browser, by the checkout page's own pure function (lib/billing has no server dependency): it follows every
 * keystroke without a round trip or a server action per change, and what it shows is what the checkout page and the
 * engine will charge (scenario-plan-quote.test.ts holds the engine to it).
 */
export function PlanForm({
  productId,
  productName,
  currency,
  timeZone,
  settings,
  nowIso,
}: {
  productId: string;
  productName: string;
  currency: string;
  timeZone: string;
  settings: BillingSettings;
  nowIso: string;
}) {
  const t = useTranslations("catalogue.form");
  const tPreview = useTranslations("catalogue.preview");
  const tBilling = useTranslations("billing");
  const tCheckout = useTranslations("checkout");
  const tErrors = useTranslations("errors");
  const format = useFormatter();
  const router = useRouter();
  const id = useId();
  const [values, setValues] = useState(INITIAL);
  const [problems, setProblems] = useState<Problems>({});
  const [pending, startTransition] = useTransition();
  // "Today" is the page's moment on the platform clock, passed down so that the server's render and the client's agree.
  const now = useMemo(() => new Date(nowIso), [nowIso]);

  const set = <K extends keyof Values>(key: K, value: Values[K]) => setValues((v) => ({ ...v, [key]: value }));
  const week = isWeekInterval(values.interval);
  const money = (amount: number) => formatMoney({ amount, currency });
  const date = (local: string) => format.dateTime(new Date(`${local}T00:00:00Z`), { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" });

  const parsed = useMemo(() => toInput(values, productId), [values, productId]);
  const words = useMemo(() => {
    if (!parsed.input) return null;
    const i = parsed.input;
    const plan: PlanFacts = {
      id: "preview",
      name: i.name ?? productName,
      amount: i.amount,
      currency,
      interval: i.interval,
      billingDay: i.billingDay === "signup" ? null : i.billingDay,
      firstPeriod: i.firstPeriod,
      trialDays: i.trialDays,
      trialUntil: i.trialUntil,
      trialReminderDays: i.trialReminderDays,
      joiningFee: i.joiningFee,
      taxBehavior: i.taxBehavior,
      taxRate: i.taxRate,
      usageRates: i.usageRates,
      retryScheduleDays: i.retryScheduleDays,
    };
    try {
      const quote = quoteSignUp({ plan, settings, timeZone, now });
      return quoteWords(quote, {
        t: (key, v) => tPreview(key as Parameters<typeof tPreview>[0], v),
        interval: (interval) => tBilling(`interval.${interval}`),
        weekday: (day) => tCheckout(`weekdays.${String(day) as "0"}`),
        money,
        date,
        monthDay: (local) => format.dateTime(new Date(`${local}T00:00:00Z`), { month: "long", day: "numeric", timeZone: "UTC" }),
      });
    } catch {
      return null;
    }
    // money and date only format; they change with nothing the quote depends on.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [now, parsed, productName, currency, settings, timeZone]);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!parsed.input) {
      const messages: Record<Field, string> = {
        amount: t("amountInvalid"),
        dayOfMonth: t("dayInvalid"),
        trialDays: t("trialDaysInvalid"),
        trialUntil: t("trialUntilInvalid"),
        trialReminderDays: t("trialDaysInvalid"),
        joiningFee: t("amountInvalid"),
        retryDays: t("retryInvalid"),
        usageRates: t("usageRatesInvalid"),
      };
      return setProblems(Object.fromEntries(parsed.problems.map((f) => [f, messages[f]])));
    }
    const input = parsed.input;
    setProblems({});
    startTransition(async () => {
      const result = await createPlanAction(input).catch(() => null);
      if (!result) return setProblems({ form: tErrors("generic") });
      if (!result.ok) {
        const field = result.field ? FIELD_OF_PARAM[result.field] : undefined;
        return setProblems(field ? { [field]: result.message } : { form: result.message });
      }
      toast.success(t("created"));
      router.push("/console/catalogue");
    });
  }

  const fieldProps = (field: Field, hint?: boolean) => ({
    id: `${id}-${field}`,
    "aria-invalid": problems[field] ? true : undefined,
    "aria-describedby": [hint ? `${id}-${field}-hint` : null, problems[field] ? `${id}-${field}-error` : null].filter(Boolean).join(" ") || undefined,
  });
  const error = (field: Field) => <FieldError id={`${id}-${field}-error`}>{problems[field] ?? null}</FieldError>;
  const radios = <V extends string>(name: keyof Values, legend: string, options: [V, string][], hint?: string): ReactNode => (
    <fieldset className="flex flex-col gap-1">
      <legend className="mb-1 text-sm font-medium text-slate-800">{legend}</legend>
      {hint ? <p className="text-xs text-slate-600">{hint}</p> : null}
      <div className="flex flex-wrap gap-x-4 gap-y-1">
        {options.map(([value, label]) => (
          <label key={value} className="flex items-center gap-2 text-sm">
            <input type="radio" name={`${id}-${name}`} value={value} checked={values[name] === value} onChange={() => set(name, value as never)} className="h-4 w-4 accent-sky-700" />
            {label}
          </label>
        ))}
      </div>
    </fieldset>
  );

  return (
    <div className="grid grid-cols-1 gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
      <ImeSafeForm onSubmit={onSubmit} className="flex flex-col gap-5 rounded-lg border border-slate-200 bg-white p-5" aria-busy={pending} noValidate>
        <div className="flex flex-col gap-1">
          <Label htmlFor={`${id}-name`}>{t("name")}</Label>
          <Input id={`${id}-name`} value={values.name} maxLength={200} onChange={(e) => set("name", e.target.value)} aria-describedby={`${id}-name-hint`} />
          <p id={`${id}-name-hint`} className="text-xs text-slate-600">
            {t("nameHint")}
          </p>
        </div>
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
          <div className="flex flex-col gap-1">
            <Label htmlFor={`${id}-amount`}>{t("amount")}</Label>
            <Input {...fieldProps("amount")} inputMode="numeric" value={values.amount} onChange={(e) => set("amount", e.target.value)} />
            {error("amount")}
          </div>
          <div className="flex flex-col gap-1">
            <Label htmlFor={`${id}-interval`}>{t("interval")}</Label>
            <NativeSelect id={`${id}-interval`} value={values.interval} onChange={(e) => set("interval", e.target.value as BillingInterval)}>
              {BILLING_INTERVALS.map((interval) => (
                <option key={interval} value={interval}>
                  {tBilling(`interval.${interval}`)}
                </option>
              ))}
            </NativeSelect>
          </div>
        </div>
        {radios("dayMode", t("billingDay"), [
          ["signup", t("billingDaySignup")],
          ["fixed", week ? t("billingDayWeekday") : t("billingDayFixed")],
        ])}
        {values.dayMode === "fixed" ? (
          week ? (
            <div className="flex flex-col gap-1">
              <Label htmlFor={`${id}-weekday`}>{t("weekday")}</Label>
              <NativeSelect id={`${id}-weekday`} value={values.weekday} onChange={(e) => set("weekday", e.target.value)}>
                {[1, 2, 3, 4, 5, 6, 0].map((d) => (
                  <option key={d} value={String(d)}>
                    {tCheckout(`weekdays.${String(d) as "0"}`)}
                  </option>
                ))}
              </NativeSelect>
            </div>
          ) : (
            <div className="flex flex-col gap-1">
              <Label htmlFor={`${id}-dayOfMonth`}>{t("dayOfMonth")}</Label>
              <Input {...fieldProps("dayOfMonth", true)} inputMode="numeric" className="max-w-32" value={values.dayOfMonth} onChange={(e) => set("dayOfMonth", e.target.value)} />
              <p id={`${id}-dayOfMonth-hint`} className="text-xs text-slate-600">
                {t("dayOfMonthHint")}
              </p>
              {error("dayOfMonth")}
            </div>
          )
        ) : null}
        {values.dayMode === "fixed"
          ? radios(
              "firstPeriod",
              t("firstPeriod"),
              [
                ["prorate", t("firstPeriodProrate")],
                ["full", t("firstPeriodFull")],
                ["free", t("firstPeriodFree")],
              ],
              t("firstPeriodHint"),
            )
          : null}
        {radios("trialMode", t("trial"), [
          ["none", t("trialNone")],
          ["days", t("trialDays")],
          ["until", t("trialUntil")],
        ])}
        {values.trialMode !== "none" ? (
          <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
            {values.trialMode === "days" ? (
              <div className="flex flex-col gap-1">
                <Label htmlFor={`${id}-trialDays`}>{t("trialDaysLabel")}</Label>
                <Input {...fieldProps("trialDays")} inputMode="numeric" value={values.trialDays} onChange={(e) => set("trialDays", e.target.value)} />
                {error("trialDays")}
              </div>
            ) : (
              <div className="flex flex-col gap-1">
                <Label htmlFor={`${id}-trialUntil`}>{t("trialUntilLabel")}</Label>
                <Input {...fieldProps("trialUntil")} type="date" value={values.trialUntil} onChange={(e) => set("trialUntil", e.target.value)} />
                {error("trialUntil")}
              </div>
            )}
            <div className="flex flex-col gap-1">
              <Label htmlFor={`${id}-trialReminderDays`}>{t("trialReminderDays")}</Label>
              <Input {...fieldProps("trialReminderDays")} inputMode="numeric" value={values.trialReminderDays} onChange={(e) => set("trialReminderDays", e.target.value)} />
              {error("trialReminderDays")}
            </div>
          </div>
        ) : null}
        <div className="flex flex-col gap-1">
          <Label htmlFor={`${id}-joiningFee`}>{t("joiningFee")}</Label>
          <Input {...fieldProps("joiningFee")} inputMode="numeric" className="max-w-48" value={values.joiningFee} onChange={(e) => set("joiningFee", e.target.value)} />
          {error("joiningFee")}
        </div>
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
          {radios("taxBehavior", t("taxBehavior"), [
            ["inclusive", t("taxInclusive")],
            ["exclusive", t("taxExclusive")],
          ])}
          {radios("taxRate", t("taxRate"), [
            ["10", t("taxRate10")],
            ["8", t("taxRate8")],
          ])}
        </div>
        {radios("retryMode", t("retry"), [
          ["default", t("retryDefault", { days: settings.retryScheduleDays.map((d) => t("retryDaysList", { days: d })).join("・") })],
          ["custom", t("retryCustom")],
        ])}
        {values.retryMode === "custom" ? (
          <div className="flex flex-col gap-1">
            <Label htmlFor={`${id}-retryDays`}>{t("retryDays")}</Label>
            <Input {...fieldProps("retryDays", true)} value={values.retryDays} onChange={(e) => set("retryDays", e.target.value)} />
            <p id={`${id}-retryDays-hint`} className="text-xs text-slate-600">
              {t("retryDaysHint")}
            </p>
            {error("retryDays")}
          </div>
        ) : null}
        <fieldset className="flex flex-col gap-2" aria-describedby={`${id}-usageRates-hint${problems.usageRates ? ` ${id}-usageRates-error` : ""}`}>
          <legend className="mb-1 text-sm font-medium text-slate-800">{t("usageRates")}</legend>
          <p id={`${id}-usageRates-hint`} className="text-xs text-slate-600">
            {t("usageRatesHint")}
          </p>
          {values.usageRates.map((rate, i) => (
            <div key={i} className="flex flex-wrap items-end gap-2" data-testid="usage-rate">
              <div className="flex flex-col gap-1">
                <Label htmlFor={`${id}-usage-${i}-metric`}>{t("usageMetric", { n: i + 1 })}</Label>
                <Input
                  id={`${id}-usage-${i}-metric`}
                  value={rate.metric}
                  aria-invalid={problems.usageRates ? true : undefined}
                  onChange={(e) => set("usageRates", values.usageRates.map((r, k) => (k === i ? { ...r, metric: e.target.value } : r)))}
                />
              </div>
              <div className="flex flex-col gap-1">
                <Label htmlFor={`${id}-usage-${i}-amount`}>{t("usageUnitAmount", { n: i + 1 })}</Label>
                <Input
                  id={`${id}-usage-${i}-amount`}
                  inputMode="numeric"
                  className="max-w-40"
                  value={rate.unitAmount}
                  aria-invalid={problems.usageRates ? true : undefined}
                  onChange={(e) => set("usageRates", values.usageRates.map((r, k) => (k === i ? { ...r, unitAmount: e.target.value } : r)))}
                />
              </div>
              <Button type="button" variant="secondary" onClick={() => set("usageRates", values.usageRates.filter((_, k) => k !== i))}>
                {t("usageRemove", { n: i + 1 })}
              </Button>
            </div>
          ))}
          <div className="flex flex-wrap items-center gap-2">
            <Button
              type="button"
              variant="secondary"
              disabled={values.usageRates.length >= MAX_USAGE_RATES}
              aria-describedby={values.usageRates.length >= MAX_USAGE_RATES ? `${id}-usageRates-max` : undefined}
              onClick={() => set("usageRates", [...values.usageRates, { metric: "", unitAmount: "" }])}
            >
              {t("usageAdd")}
            </Button>
            {values.usageRates.length >= MAX_USAGE_RATES ? (
              <span id={`${id}-usageRates-max`} className="text-xs text-slate-600">
                {t("usageMax", { max: MAX_USAGE_RATES })}
              </span>
            ) : null}
          </div>
          {error("usageRates")}
        </fieldset>
        {problems.form ? (
          <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
            {problems.form}
          </p>
        ) : null}
        <div className="flex justify-end">
          <Button type="submit" disabled={pending}>
            {pending ? t("pending") : t("submit")}
          </Button>
        </div>
      </ImeSafeForm>
      <aside aria-labelledby={`${id}-preview`} className="flex flex-col gap-2 self-start rounded-lg border border-sky-200 bg-sky-50 p-4 lg:sticky lg:top-4">
        <h2 id={`${id}-preview`} className="text-base font-semibold">
          {tPreview("heading")}
        </h2>
        <p className="text-xs text-slate-700">{tPreview("lead")}</p>
        <div aria-live="polite" className="flex flex-col gap-2">
          {words ? (
            <>
              <p data-testid="plan-explanation" className="text-sm font-medium text-slate-900">
                {words.sentence}
              </p>
              <p className="text-xs text-slate-700">{words.nextDates}</p>
              <div>
                <p className="text-xs font-medium text-slate-700">{tPreview("lines")}</p>
                <ul className="text-xs text-slate-700">
                  {words.firstLines.map((line, i) => (
                    <li key={i}>
                      {line.description}: {line.amount}
                    </li>
                  ))}
                </ul>
              </div>
              <p className="text-xs text-slate-700">{words.taxNote}</p>
              {parsed.input && parsed.input.usageRates.length > 0 ? (
                <ul className="text-xs text-slate-700" data-testid="plan-usage-rates">
                  {parsed.input.usageRates.map((r) => (
                    <li key={r.metric}>{tPreview("usageRate", { metric: r.metric, amount: money(r.unitAmount) })}</li>
                  ))}
                </ul>
              ) : null}
            </>
          ) : (
            <p className="text-sm text-slate-700">{tPreview("incomplete")}</p>
          )}
        </div>
      </aside>
    </div>
  );
}
