"use client";

import { ChevronDown, ChevronUp, SlidersHorizontal } from "lucide-react";
import { useTranslations } from "next-intl";
import { type FormEvent, type ReactNode, useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { FieldError, Input, Label, NativeSelect } from "@/components/ui/input";
import { formatMoney } from "@/lib/billing/money";
import { ACTION_KINDS, type ActionKind } from "@/lib/billing/scheduled-action";
import { SUBSCRIPTION_STATUSES, type SubscriptionStatus } from "@/lib/billing/subscription-state";
import type { SubscriptionSearchOptions } from "@/lib/services/queries/subscription-search";
import { subscriptionFilters } from "@/lib/services/queries/subscription-search-schema";
import { fromSearch, type SearchState, toFiltersInput } from "../search-params";
import type { SetSearchState } from "./use-search-state";

type Draft = {
  status: SubscriptionStatus[];
  product: string;
  plan: string;
  paidFrom: string;
  paidTo: string;
  unpaidDays: string;
  next: string;
  nextFrom: string;
  nextTo: string;
  card: string;
  createdFrom: string;
  createdTo: string;
  amountMin: string;
  amountMax: string;
  clock: string;
};

const draftOf = (s: SearchState): Draft => ({
  status: s.status,
  product: s.product ?? "",
  plan: s.plan ?? "",
  paidFrom: s.paidFrom ?? "",
  paidTo: s.paidTo ?? "",
  unpaidDays: s.unpaidDays?.toString() ?? "",
  next: s.next ?? "",
  nextFrom: s.nextFrom ?? "",
  nextTo: s.nextTo ?? "",
  card: s.card ?? "",
  createdFrom: s.createdFrom ?? "",
  createdTo: s.createdTo ?? "",
  amountMin: s.amountMin?.toString() ?? "",
  amountMax: s.amountMax?.toString() ?? "",
  clock: s.clock ?? "",
});

const int = (text: string) => (text.trim() === "" ? null : Number(text));
const text = (value: string) => (value === "" ? null : value);

/** The draft as URL keys (the search box's text and the sort stay as they are). */
function toState(d: Draft): Partial<SearchState> {
  return {
    status: d.status,
    product: text(d.product),
    plan: text(d.plan),
    paidFrom: text(d.paidFrom),
    paidTo: text(d.paidTo),
    unpaidDays: int(d.unpaidDays),
    next: text(d.next) as ActionKind | null,
    nextFrom: text(d.nextFrom),
    nextTo: text(d.nextTo),
    card: text(d.card) as SearchState["card"],
    createdFrom: text(d.createdFrom),
    createdTo: text(d.createdTo),
    amountMin: int(d.amountMin),
    amountMax: int(d.amountMax),
    clock: text(d.clock),
    page: 1,
  };
}

/** How many filters the URL applies (the status tabs and the search box apart). */
function countActive(s: SearchState): number {
  const f = toFiltersInput(s);
  return Object.entries(f).filter(([key, value]) => key !== "q" && key !== "status" && value !== null && value !== undefined).length + (s.status.length > 1 ? 1 : 0);
}

/**
 * Every filter of the search, as one form: nothing is searched until it is applied (Enter or the button), so that
 * typing a date or an amount does not search at every keystroke. The form starts from the URL each time the URL's
 * filters change (the parent keys it by them).
 */
export function FiltersPanel({ state, setState, options }: { state: SearchState; setState: SetSearchState; options: SubscriptionSearchOptions }) {
  const t = useTranslations("subscriptions.filters");
  const status = useTranslations("common.status");
  const actionKind = useTranslations("common.actionKind");
  const active = countActive(state);
  const [open, setOpen] = useState(active > 0);
  const [draft, setDraft] = useState<Draft>(() => draftOf(state));
  const [invalid, setInvalid] = useState<string[]>([]);
  const id = useId();
  const set = <K extends keyof Draft>(key: K) => (value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  function apply(event: FormEvent) {
    event.preventDefault();
    const next = toState(draft);
    const checked = subscriptionFilters.safeParse(toFiltersInput({ ...state, ...next } as SearchState));
    if (!checked.success) {
      setInvalid([...new Set(checked.error.issues.map((issue) => String(issue.path[0])))]);
      return;
    }
    setInvalid([]);
    void setState(next);
  }

  const plans = options.plans.filter((p) => !draft.product || p.productId === draft.product);
  const field = (name: string, label: string, control: (controlId: string) => ReactNode) => (
    <div className="flex flex-col gap-1">
      <Label htmlFor={`${id}-${name}`}>{label}</Label>
      {control(`${id}-${name}`)}
    </div>
  );
  const range = (name: string, label: string, from: keyof Draft, to: keyof Draft, type: "date" | "number") => (
    <fieldset className="flex flex-col gap-1">
      <legend className="text-sm font-medium text-slate-800">{label}</legend>
      <div className="flex items-center gap-2">
        <Input type={type} aria-label={`${label} ${type === "date" ? t("from") : t("amountMin")}`} id={`${id}-${name}-from`} value={draft[from] as string} min={type === "number" ? 0 : undefined} onChange={(e) => set(from)(e.target.value as never)} />
        <span aria-hidden>〜</span>
        <Input type={type} aria-label={`${label} ${type === "date" ? t("to") : t("amountMax")}`} id={`${id}-${name}-to`} value={draft[to] as string} min={type === "number" ? 0 : undefined} onChange={(e) => set(to)(e.target.value as never)} />
      </div>
    </fieldset>
  );

  return (
    <section aria-labelledby={`${id}-title`} className="rounded-lg border border-slate-200 bg-white">
      <h2 id={`${id}-title`} className="sr-only">
        {t("title")}
      </h2>
      <button
        type="button"
        aria-expanded={open}
        aria-controls={`${id}-form`}
        onClick={() => setOpen((o) => !o)}
        className="flex w-full items-center gap-2 px-4 py-2 text-left text-sm font-medium focus-visible:outline-2 focus-visible:outline-sky-600"
      >
        <SlidersHorizontal className="h-4 w-4" aria-hidden />
        {open ? t("hide") : t("show")}
        {active > 0 ? <span className="rounded-full bg-sky-100 px-2 text-xs text-sky-900">{t("active", { count: active })}</span> : null}
        {open ? <ChevronUp className="ml-auto h-4 w-4" aria-hidden /> : <ChevronDown className="ml-auto h-4 w-4" aria-hidden />}
      </button>
      <form id={`${id}-form`} hidden={!open} onSubmit={apply} className="border-t border-slate-200 p-4">
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          <fieldset className="flex flex-col gap-1 sm:col-span-2 lg:col-span-3">
            <legend className="text-sm font-medium text-slate-800">{t("status")}</legend>
            <div className="flex flex-wrap gap-x-4 gap-y-2">
              {SUBSCRIPTION_STATUSES.map((s) => (
                <label key={s} className="flex items-center gap-2 text-sm">
                  <Checkbox
                    checked={draft.status.includes(s)}
                    onCheckedChange={(checked) => set("status")(SUBSCRIPTION_STATUSES.filter((x) => (x === s ? checked === true : draft.status.includes(x))))}
                  />
                  {status(s)}
                </label>
              ))}
            </div>
          </fieldset>
          {field("product", t("product"), (cid) => (
            <NativeSelect id={cid} value={draft.product} onChange={(e) => setDraft((d) => ({ ...d, product: e.target.value, plan: "" }))}>
              <option value="">{t("any")}</option>
              {options.products.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </NativeSelect>
          ))}
          {field("plan", t("plan"), (cid) => (
            <NativeSelect id={cid} value={draft.plan} onChange={(e) => set("plan")(e.target.value)}>
              <option value="">{t("any")}</option>
              {plans.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name ?? p.id}（{formatMoney({ amount: p.amount, currency: p.currency })}）
                </option>
              ))}
            </NativeSelect>
          ))}
          {range("amount", t("amount"), "amountMin", "amountMax", "number")}
          {range("paid", t("paidThrough"), "paidFrom", "paidTo", "date")}
          {field("unpaid", t("daysUnpaid"), (cid) => (
            <div className="flex items-center gap-2">
              <Input id={cid} type="number" min={0} className="w-28" value={draft.unpaidDays} onChange={(e) => set("unpaidDays")(e.target.value)} />
              <span className="text-sm">{t("daysUnpaidSuffix")}</span>
            </div>
          ))}
          {field("card", t("card"), (cid) => (
            <NativeSelect id={cid} value={draft.card} onChange={(e) => set("card")(e.target.value)}>
              <option value="">{t("any")}</option>
              <option value="expiring">{t("cardExpiring")}</option>
              <option value="expired">{t("cardExpired")}</option>
            </NativeSelect>
          ))}
          {field("next", t("nextAction"), (cid) => (
            <NativeSelect id={cid} value={draft.next} onChange={(e) => set("next")(e.target.value)}>
              <option value="">{t("any")}</option>
              {ACTION_KINDS.filter((k) => k !== "card_expiry_notice").map((k) => (
                <option key={k} value={k}>
                  {actionKind(k)}
                </option>
              ))}
            </NativeSelect>
          ))}
          {range("next", t("nextActionDate"), "nextFrom", "nextTo", "date")}
          {range("created", t("created"), "createdFrom", "createdTo", "date")}
          {field("clock", t("testClock"), (cid) => (
            <NativeSelect id={cid} value={draft.clock} onChange={(e) => set("clock")(e.target.value)}>
              <option value="">{t("any")}</option>
              <option value="live">{t("live")}</option>
              <option value="test">{t("test")}</option>
              {options.testClocks.map((c) => (
                <option key={c.id} value={c.id}>
                  {t("clockName", { name: c.name ?? c.id })}
                </option>
              ))}
            </NativeSelect>
          ))}
        </div>
        <FieldError id={`${id}-invalid`}>{invalid.length > 0 ? t("invalid", { fields: invalid.map((f) => fieldLabel(t, f)).join("、") }) : null}</FieldError>
        <div className="mt-4 flex flex-wrap gap-2">
          <Button type="submit">{t("apply")}</Button>
          <Button variant="secondary" onClick={() => void setState({ ...fromSearch({ sort: state.sort, desc: state.order === "desc", perPage: state.perPage }), cols: state.cols })}>
            {t("reset")}
          </Button>
        </div>
      </form>
    </section>
  );
}

const LABELS: Record<string, string> = {
  paidThroughFrom: "paidThrough",
  paidThroughTo: "paidThrough",
  daysUnpaidMin: "daysUnpaid",
  nextActionFrom: "nextActionDate",
  nextActionTo: "nextActionDate",
  createdFrom: "created",
  createdTo: "created",
  amountMin: "amount",
  amountMax: "amount",
};

function fieldLabel(t: ReturnType<typeof useTranslations<"subscriptions.filters">>, field: string): string {
  const key = LABELS[field];
  return key ? t(key as "amount") : field;
}
