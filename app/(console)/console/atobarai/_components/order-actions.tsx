"use client";

import { useTranslations } from "next-intl";
import { type FormEvent, useId, useState, useTransition } from "react";
import { toast } from "sonner";
import { ImeSafeForm } from "@/components/console/ime-safe-form";
import { Button } from "@/components/ui/button";
import { Input, Label, NativeSelect, Textarea } from "@/components/ui/input";
import type { ActionResult } from "@/lib/console/action";
import { cancelOrderAction, decideReviewAction, returnOrderAction, shipOrderAction } from "../actions";

function useSubmit(done: string) {
  const tErrors = useTranslations("errors");
  const [problem, setProblem] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const submit = (run: () => Promise<ActionResult>) =>
    startTransition(async () => {
      const result = await run().catch(() => null);
      if (!result) return setProblem(tErrors("generic"));
      if (!result.ok) return setProblem(result.message);
      setProblem(null);
      toast.success(done);
    });
  return { problem, pending, submit };
}

const Problem = ({ text }: { text: string | null }) =>
  text ? (
    <p role="alert" className="text-sm text-red-700">
      {text}
    </p>
  ) : null;

/** 保留の判断: approve or reject an order on hold, with a note for the timeline. */
export function DecideForm({ orderId, orderRef }: { orderId: string; orderRef: string }) {
  const t = useTranslations("atobarai.decide");
  const id = useId();
  const [note, setNote] = useState("");
  const { problem, pending, submit } = useSubmit(t("done"));
  const decide = (decision: "approve" | "reject") => submit(() => decideReviewAction({ orderId, decision, note }));
  return (
    <ImeSafeForm onSubmit={(e: FormEvent) => e.preventDefault()} className="flex flex-col gap-2" aria-label={t("label", { ref: orderRef })}>
      <Label htmlFor={`${id}-note`}>{t("note")}</Label>
      <Textarea id={`${id}-note`} value={note} onChange={(e) => setNote(e.target.value)} maxLength={1000} rows={2} required />
      <Problem text={problem} />
      <div className="flex gap-2">
        <Button type="button" disabled={pending || !note.trim()} onClick={() => decide("approve")}>
          {t("approve")}
        </Button>
        <Button type="button" variant="danger" disabled={pending || !note.trim()} onClick={() => decide("reject")}>
          {t("reject")}
        </Button>
      </div>
    </ImeSafeForm>
  );
}

/** 送り状番号の登録: the tracking number issues the invoice (mailed today, or enclosed). */
export function ShipForm({ orderId, defaultDelivery }: { orderId: string; defaultDelivery: "mail" | "enclosed" }) {
  const t = useTranslations("atobarai.ship");
  const id = useId();
  const [values, setValues] = useState({ trackingNumber: "", carrier: "", invoiceDelivery: defaultDelivery });
  const { problem, pending, submit } = useSubmit(t("done"));
  return (
    <ImeSafeForm
      onSubmit={(e: FormEvent<HTMLFormElement>) => {
        e.preventDefault();
        submit(() => shipOrderAction({ orderId, ...values }));
      }}
      className="grid gap-3 sm:grid-cols-3"
    >
      <div className="flex flex-col gap-1">
        <Label htmlFor={`${id}-tracking`}>{t("trackingNumber")}</Label>
        <Input id={`${id}-tracking`} value={values.trackingNumber} onChange={(e) => setValues({ ...values, trackingNumber: e.target.value })} required maxLength={40} autoComplete="off" />
      </div>
      <div className="flex flex-col gap-1">
        <Label htmlFor={`${id}-carrier`}>{t("carrier")}</Label>
        <Input id={`${id}-carrier`} value={values.carrier} onChange={(e) => setValues({ ...values, carrier: e.target.value })} maxLength={40} />
      </div>
      <div className="flex flex-col gap-1">
        <Label htmlFor={`${id}-delivery`}>{t("invoiceDelivery")}</Label>
        <NativeSelect id={`${id}-delivery`} value={values.invoiceDelivery} onChange={(e) => setValues({ ...values, invoiceDelivery: e.target.value as "mail" | "enclosed" })}>
          <option value="mail">{t("mail")}</option>
          <option value="enclosed">{t("enclosed")}</option>
        </NativeSelect>
      </div>
      <div className="sm:col-span-3">
        <Problem text={problem} />
        <p className="mb-2 text-xs text-slate-600">{t("hint")}</p>
        <Button type="submit" disabled={pending}>
          {t("submit")}
        </Button>
      </div>
    </ImeSafeForm>
  );
}

/** 取消 (before the invoice) or 返品 (after it), with a reason for the timeline. */
export function EndForm({ orderId, kind }: { orderId: string; kind: "cancel" | "return" }) {
  const t = useTranslations(`atobarai.${kind}`);
  const id = useId();
  const [reason, setReason] = useState("");
  const { problem, pending, submit } = useSubmit(t("done"));
  return (
    <ImeSafeForm
      onSubmit={(e: FormEvent<HTMLFormElement>) => {
        e.preventDefault();
        submit(() => (kind === "cancel" ? cancelOrderAction : returnOrderAction)({ orderId, reason }));
      }}
      className="flex flex-col gap-2"
    >
      <Label htmlFor={`${id}-reason`}>{t("reason")}</Label>
      <Input id={`${id}-reason`} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={1000} />
      <Problem text={problem} />
      <div>
        <Button type="submit" variant="danger" disabled={pending}>
          {t("submit")}
        </Button>
      </div>
    </ImeSafeForm>
  );
}
