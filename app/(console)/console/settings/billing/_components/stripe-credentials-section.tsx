"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { type FormEvent, useId, useState, useTransition } from "react";
import { toast } from "sonner";
import { ConfirmActionDialog } from "@/components/console/confirm-action-dialog";
import { ImeSafeForm } from "@/components/console/ime-safe-form";
import { StripeWebhookUrl } from "@/components/console/stripe-webhook-url";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardTitle } from "@/components/ui/card";
import { Dialog, DialogActions, DialogContent, DialogProblem, DialogTrigger } from "@/components/ui/dialog";
import { FieldError, Input, Label } from "@/components/ui/input";
import { DisabledReason } from "@/components/ui/tooltip";
import type { StripeCredentialName } from "@/lib/gateways/stripe-accounts";
import type { StripeCredentialsView } from "@/lib/services/queries/stripe-credentials";
import { removeStripeCredential, saveStripeCredential } from "../actions";

const NAMES: readonly StripeCredentialName[] = ["secretKey", "publishableKey", "webhookSecret"];

/**
 * The merchant's Stripe keys: whether each is set (by its last 4), with set and remove. The keys themselves never come
 * back. A warning when the merchant charges through Stripe without a publishable key (no card form can take cards). Below them, the webhook URL to register at Stripe and the way to the events received.
 */
export function StripeCredentialsSection({
  view,
  readOnlyReason,
  webhookUrl,
  publishableKeyNeeded,
}: {
  view: StripeCredentialsView;
  readOnlyReason: string | null;
  webhookUrl: string;
  /** The merchant charges through Stripe without a publishable key: its checkout and card pages cannot take cards. */
  publishableKeyNeeded: boolean;
}) {
  const t = useTranslations("billingSettings.stripe");
  const tConnect = useTranslations("gatewayEvents.connect");
  const id = useId();
  return (
    <Card aria-labelledby={`${id}-title`} data-testid="stripe-credentials">
      <CardTitle id={`${id}-title`}>{t("heading")}</CardTitle>
      <p className="mb-3 text-sm text-slate-600">{t("lead")}</p>
      {publishableKeyNeeded ? (
        <p role="note" className="mb-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900" data-testid="stripe-publishable-key-needed">
          {t("publishableKeyNeeded")}
        </p>
      ) : null}
      <ul className="flex flex-col divide-y divide-slate-200">
        {NAMES.map((name) => (
          <CredentialRow key={name} name={name} current={view[name]} readOnlyReason={readOnlyReason} />
        ))}
      </ul>
      <div className="mt-3 flex flex-col gap-3 border-t border-slate-200 pt-3" data-testid="stripe-webhook">
        <p className="text-sm text-slate-600">{tConnect("billingLead")}</p>
        <StripeWebhookUrl url={webhookUrl} />
        <Link href="/console/settings/stripe-events" className="text-sm font-medium text-sky-800 underline underline-offset-2">
          {tConnect("toEvents")}
        </Link>
      </div>
    </Card>
  );
}

function CredentialRow({ name, current, readOnlyReason }: { name: StripeCredentialName; current: { last4: string } | null; readOnlyReason: string | null }) {
  const t = useTranslations("billingSettings.stripe");
  const label = t(`names.${name}`);
  return (
    <li className="flex flex-wrap items-center justify-between gap-3 py-3" data-testid={`stripe-${name}`}>
      <div className="flex flex-col gap-1">
        <span className="text-sm font-medium">{label}</span>
        {current ? (
          <Badge tone="success" className="w-fit font-mono">
            {t("isSet", { last4: current.last4 })}
          </Badge>
        ) : (
          <Badge tone="muted" className="w-fit">
            {t("notSet")}
          </Badge>
        )}
      </div>
      <div className="flex gap-2">
        <SetCredentialDialog name={name} label={label} isSet={current !== null} readOnlyReason={readOnlyReason} />
        {current ? <ClearCredentialButton name={name} label={label} readOnlyReason={readOnlyReason} /> : null}
      </div>
    </li>
  );
}

function ClearCredentialButton({ name, label, readOnlyReason }: { name: StripeCredentialName; label: string; readOnlyReason: string | null }) {
  const t = useTranslations("billingSettings.stripe");
  const router = useRouter();
  const button = (
    <Button variant="secondary" disabled={readOnlyReason !== null}>
      {t("clear")}
    </Button>
  );
  if (readOnlyReason) return <DisabledReason reason={readOnlyReason}>{button}</DisabledReason>;
  return (
    <ConfirmActionDialog
      trigger={button}
      title={t("clearTitle", { name: label })}
      description={name === "secretKey" ? t("clearSecretKeyDescription") : t("clearDescription")}
      confirmLabel={t("clear")}
      pendingLabel={t("clearing")}
      variant="danger"
      run={() => removeStripeCredential({ name })}
      onDone={() => {
        toast.success(t("cleared", { name: label }));
        router.refresh();
      }}
    />
  );
}

function SetCredentialDialog({ name, label, isSet, readOnlyReason }: { name: StripeCredentialName; label: string; isSet: boolean; readOnlyReason: string | null }) {
  const t = useTranslations("billingSettings.stripe");
  const tCommon = useTranslations("common");
  const tErrors = useTranslations("errors");
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [value, setValue] = useState("");
  const [problem, setProblem] = useState<{ field: boolean; message: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const id = useId();

  function onOpenChange(next: boolean) {
    if (pending) return;
    setOpen(next);
    // The key is not kept in the page once the dialog closes.
    if (!next) {
      setValue("");
      setProblem(null);
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!value.trim()) return setProblem({ field: true, message: t("required") });
    startTransition(async () => {
      const result = await saveStripeCredential({ name, value }).catch(() => null);
      if (!result) return setProblem({ field: false, message: tErrors("generic") });
      if (!result.ok) return setProblem(result.field === "value" ? { field: true, message: t(`invalid.${name}`) } : { field: false, message: result.message });
      setOpen(false);
      setValue("");
      setProblem(null);
      toast.success(t("saved", { name: label }));
      router.refresh();
    });
  }

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DisabledReason reason={readOnlyReason}>
        <DialogTrigger asChild>
          <Button variant={isSet ? "secondary" : "primary"} disabled={readOnlyReason !== null}>
            {isSet ? t("change") : t("set")}
          </Button>
        </DialogTrigger>
      </DisabledReason>
      <DialogContent title={t("setTitle", { name: label })} description={t("setDescription")} closeLabel={tCommon("close")}>
        <ImeSafeForm onSubmit={onSubmit} className="flex flex-col gap-4" aria-busy={pending}>
          <div className="flex flex-col gap-1">
            <Label htmlFor={`${id}-value`}>{t("value")}</Label>
            <Input
              id={`${id}-value`}
              type="password"
              autoComplete="off"
              spellCheck={false}
              className="font-mono"
              maxLength={500}
              value={value}
              onChange={(e) => {
                setValue(e.target.value);
                setProblem(null);
              }}
              aria-invalid={problem?.field || undefined}
              aria-describedby={[`${id}-hint`, problem?.field ? `${id}-error` : null].filter(Boolean).join(" ")}
            />
            <p id={`${id}-hint`} className="text-xs text-slate-600">
              {t(`hints.${name}`)}
            </p>
            <FieldError id={`${id}-error`}>{problem?.field ? problem.message : null}</FieldError>
          </div>
          <DialogProblem>{problem && !problem.field ? problem.message : null}</DialogProblem>
          <DialogActions cancelLabel={tCommon("cancel")} label={pending ? t("saving") : t("save")} pending={pending} />
        </ImeSafeForm>
      </DialogContent>
    </Dialog>
  );
}
