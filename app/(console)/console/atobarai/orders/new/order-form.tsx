"use client";

import { Plus, Trash2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { type FormEvent, useId, useState, useTransition } from "react";
import { toast } from "sonner";
import { ImeSafeForm } from "@/components/console/ime-safe-form";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { FieldError, Input, Label, NativeSelect } from "@/components/ui/input";
import { formatMoney } from "@/lib/billing/money";
import { registerOrderAction } from "../../actions";

type Item = { name: string; quantity: string; unitPrice: string };
const BUYER = ["name", "kana", "email", "phone", "postalCode", "address"] as const;
type BuyerField = (typeof BUYER)[number];
const SHIPPING = ["name", "postalCode", "address"] as const;

/** 新規注文: the buyer, where the goods go when elsewhere, the items and how the invoice reaches the buyer. */
export function OrderForm({ defaultDelivery, testClocks }: { defaultDelivery: "mail" | "enclosed"; testClocks: { id: string; label: string }[] }) {
  const t = useTranslations("atobarai.new");
  const tErrors = useTranslations("errors");
  const router = useRouter();
  const id = useId();
  const [orderRef, setOrderRef] = useState("");
  const [buyer, setBuyer] = useState<Record<BuyerField, string>>({ name: "", kana: "", email: "", phone: "", postalCode: "", address: "" });
  const [shipTo, setShipTo] = useState(false);
  const [shipping, setShipping] = useState<Record<(typeof SHIPPING)[number], string>>({ name: "", postalCode: "", address: "" });
  const [items, setItems] = useState<Item[]>([{ name: "", quantity: "1", unitPrice: "" }]);
  const [delivery, setDelivery] = useState(defaultDelivery);
  const [testClockId, setTestClockId] = useState("");
  const [problem, setProblem] = useState<{ field: string | null; message: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const total = items.reduce((sum, i) => sum + (Number(i.quantity) || 0) * (Number(i.unitPrice) || 0), 0);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    startTransition(async () => {
      const result = await registerOrderAction({
        orderRef,
        buyer,
        shipping: shipTo ? { ...shipping } : null,
        items: items.map((i) => ({ name: i.name, quantity: Number(i.quantity), unitPrice: Number(i.unitPrice) })),
        invoiceDelivery: delivery,
        testClockId: testClockId || null,
      }).catch(() => null);
      if (!result) return setProblem({ field: null, message: tErrors("generic") });
      if (!result.ok) return setProblem({ field: result.field ?? null, message: result.message });
      toast.success(t("registered"));
      router.push(`/console/atobarai/orders/${result.data.id}`);
    });
  }

  const field = (key: string, label: string, value: string, set: (v: string) => void, props: React.ComponentProps<typeof Input> = {}) => (
    <div className="flex flex-col gap-1">
      <Label htmlFor={`${id}-${key}`}>{label}</Label>
      <Input
        id={`${id}-${key}`}
        value={value}
        onChange={(e) => set(e.target.value)}
        aria-invalid={problem?.field === key || undefined}
        aria-describedby={problem?.field === key ? `${id}-${key}-error` : undefined}
        {...props}
      />
      <FieldError id={`${id}-${key}-error`}>{problem?.field === key ? problem.message : null}</FieldError>
    </div>
  );

  return (
    <ImeSafeForm onSubmit={onSubmit} className="flex max-w-3xl flex-col gap-6" aria-busy={pending}>
      <section className="grid gap-4 sm:grid-cols-2" aria-labelledby={`${id}-order`}>
        <h2 id={`${id}-order`} className="text-lg font-semibold sm:col-span-2">
          {t("order")}
        </h2>
        {field("orderRef", t("orderRef"), orderRef, setOrderRef, { required: true, maxLength: 64, autoComplete: "off" })}
      </section>
      <section className="grid gap-4 sm:grid-cols-2" aria-labelledby={`${id}-buyer`}>
        <h2 id={`${id}-buyer`} className="text-lg font-semibold sm:col-span-2">
          {t("buyer")}
        </h2>
        {BUYER.map((key) =>
          field(`buyer.${key}`, t(`fields.${key}`), buyer[key], (v) => setBuyer({ ...buyer, [key]: v }), {
            required: true,
            type: key === "email" ? "email" : key === "phone" ? "tel" : "text",
            inputMode: key === "postalCode" || key === "phone" ? "numeric" : undefined,
            className: key === "address" ? "sm:col-span-2" : undefined,
          }),
        )}
      </section>
      <section className="flex flex-col gap-3" aria-labelledby={`${id}-shipping`}>
        <h2 id={`${id}-shipping`} className="text-lg font-semibold">
          {t("shipping")}
        </h2>
        <div className="flex items-center gap-2">
          <Checkbox id={`${id}-shipTo`} checked={shipTo} onCheckedChange={(v) => setShipTo(v === true)} />
          <Label htmlFor={`${id}-shipTo`} className="font-normal">
            {t("shipElsewhere")}
          </Label>
        </div>
        {shipTo ? (
          <div className="grid gap-4 sm:grid-cols-2">{SHIPPING.map((key) => field(`shipping.${key}`, t(`fields.${key}`), shipping[key], (v) => setShipping({ ...shipping, [key]: v }), { required: true }))}</div>
        ) : null}
      </section>
      <section className="flex flex-col gap-3" aria-labelledby={`${id}-items`}>
        <h2 id={`${id}-items`} className="text-lg font-semibold">
          {t("items")}
        </h2>
        {items.map((item, i) => (
          <fieldset key={i} className="grid grid-cols-[1fr_6rem_8rem_auto] items-end gap-2">
            <legend className="sr-only">{t("itemLegend", { n: i + 1 })}</legend>
            {(["name", "quantity", "unitPrice"] as const).map((key) => (
              <div key={key} className="flex flex-col gap-1">
                <Label htmlFor={`${id}-item-${i}-${key}`}>{t(`itemFields.${key}`)}</Label>
                <Input
                  id={`${id}-item-${i}-${key}`}
                  value={item[key]}
                  required
                  inputMode={key === "name" ? undefined : "numeric"}
                  onChange={(e) => setItems(items.map((x, j) => (j === i ? { ...x, [key]: e.target.value } : x)))}
                />
              </div>
            ))}
            <Button type="button" variant="ghost" aria-label={t("removeItem", { n: i + 1 })} disabled={items.length === 1} onClick={() => setItems(items.filter((_, j) => j !== i))}>
              <Trash2 className="h-4 w-4" aria-hidden />
            </Button>
          </fieldset>
        ))}
        <FieldError id={`${id}-items-error`}>{problem?.field?.startsWith("items") ? problem.message : null}</FieldError>
        <div className="flex items-center justify-between">
          <Button type="button" variant="secondary" onClick={() => setItems([...items, { name: "", quantity: "1", unitPrice: "" }])}>
            <Plus className="h-4 w-4" aria-hidden />
            {t("addItem")}
          </Button>
          <p className="text-sm">
            {t("total")}：<span className="font-semibold tabular-nums">{formatMoney({ amount: total, currency: "JPY" })}</span>
          </p>
        </div>
      </section>
      <div className="flex flex-col gap-1">
        <Label htmlFor={`${id}-delivery`}>{t("invoiceDelivery")}</Label>
        <NativeSelect id={`${id}-delivery`} value={delivery} onChange={(e) => setDelivery(e.target.value as "mail" | "enclosed")} className="w-72">
          <option value="mail">{t("delivery.mail")}</option>
          <option value="enclosed">{t("delivery.enclosed")}</option>
        </NativeSelect>
      </div>
      {testClocks.length > 0 ? (
        <div className="flex flex-col gap-1">
          <Label htmlFor={`${id}-testClock`}>{t("testClock")}</Label>
          <NativeSelect id={`${id}-testClock`} value={testClockId} onChange={(e) => setTestClockId(e.target.value)} className="w-72" aria-describedby={`${id}-testClock-help`}>
            <option value="">{t("noTestClock")}</option>
            {testClocks.map((clock) => (
              <option key={clock.id} value={clock.id}>
                {clock.label}
              </option>
            ))}
          </NativeSelect>
          <p id={`${id}-testClock-help`} className="text-sm text-muted-foreground">
            {t("testClockHelp")}
          </p>
          <FieldError id={`${id}-testClockId-error`}>{problem?.field === "testClockId" ? problem.message : null}</FieldError>
        </div>
      ) : null}
      {problem ? (
        <p role="alert" className="text-sm text-red-700">
          {problem.message}
        </p>
      ) : null}
      <div>
        <Button type="submit" disabled={pending}>
          {pending ? t("pending") : t("submit")}
        </Button>
      </div>
    </ImeSafeForm>
  );
}
