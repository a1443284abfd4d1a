"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { type FormEvent, useId, useState, useTransition } from "react";
import { toast } from "sonner";
import { ImeSafeForm } from "@/components/console/ime-safe-form";
import { Button } from "@/components/ui/button";
import { Dialog, DialogActions, DialogContent, DialogProblem, DialogTrigger } from "@/components/ui/dialog";
import { Input, Label } from "@/components/ui/input";
import { DisabledReason } from "@/components/ui/tooltip";
import { updateWebhookEndpointAction } from "../actions";
import { EventTypesField } from "./event-types-field";

/** 「編集」: the events an endpoint receives and its description. */
export function EditEndpointDialog({ endpoint, disabledReason }: { endpoint: { id: string; url: string; description: string; enabledEvents: string[] }; disabledReason: string | null }) {
  const t = useTranslations("webhooks");
  const tCommon = useTranslations("common");
  const tErrors = useTranslations("errors");
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [description, setDescription] = useState(endpoint.description);
  const [events, setEvents] = useState(endpoint.enabledEvents);
  const [problem, setProblem] = useState<{ field: "events" | null; message: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const id = useId();

  function onOpenChange(next: boolean) {
    if (pending) return;
    setOpen(next);
    setDescription(endpoint.description);
    setEvents(endpoint.enabledEvents);
    setProblem(null);
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (events.length === 0) return setProblem({ field: "events", message: t("create.eventsRequired") });
    startTransition(async () => {
      const result = await updateWebhookEndpointAction({ endpointId: endpoint.id, description, enabledEvents: events }).catch(() => null);
      if (!result) return setProblem({ field: null, message: tErrors("generic") });
      if (!result.ok) return setProblem({ field: result.field === "enabledEvents" ? "events" : null, message: result.message });
      setOpen(false);
      toast.success(t("edit.done"));
      router.refresh();
    });
  }

  if (disabledReason) {
    return (
      <DisabledReason reason={disabledReason}>
        <Button variant="secondary" size="sm" disabled>
          {t("edit.button")}
        </Button>
      </DisabledReason>
    );
  }
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button variant="secondary" size="sm" aria-label={t("edit.label", { url: endpoint.url })}>
          {t("edit.button")}
        </Button>
      </DialogTrigger>
      <DialogContent title={t("edit.title")} description={t("edit.description")} closeLabel={tCommon("close")}>
        <ImeSafeForm onSubmit={onSubmit} className="flex flex-col gap-4" aria-busy={pending}>
          <p className="break-all font-mono text-xs text-slate-700">{endpoint.url}</p>
          <div className="flex flex-col gap-1">
            <Label htmlFor={`${id}-description`}>{t("create.descriptionLabel")}</Label>
            <Input id={`${id}-description`} value={description} maxLength={200} onChange={(e) => setDescription(e.target.value)} />
          </div>
          <EventTypesField value={events} onChange={setEvents} error={problem?.field === "events" ? problem.message : null} />
          <DialogProblem>{problem?.field === null ? problem.message : null}</DialogProblem>
          <DialogActions cancelLabel={tCommon("cancel")} label={pending ? t("edit.pending") : t("edit.submit")} pending={pending} />
        </ImeSafeForm>
      </DialogContent>
    </Dialog>
  );
}
