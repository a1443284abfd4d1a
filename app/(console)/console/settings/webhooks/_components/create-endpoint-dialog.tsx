"use client";

import { Plus } from "lucide-react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { type FormEvent, useId, useState, useTransition } from "react";
import { ImeSafeForm } from "@/components/console/ime-safe-form";
import { SecretShownOnce } from "@/components/console/secret-shown-once";
import { Button } from "@/components/ui/button";
import { Dialog, DialogActions, DialogContent, DialogProblem, DialogTrigger } from "@/components/ui/dialog";
import { FieldError, Input, Label } from "@/components/ui/input";
import { DisabledReason } from "@/components/ui/tooltip";
import { createWebhookEndpointAction } from "../actions";
import { EventTypesField } from "./event-types-field";

type Problem = { field: "url" | "events" | null; message: string };

/**
 * 「エンドポイントを追加」: URL, description and events, then the signing secret, shown this once with a copy button.
 * The dialog keeps the secret until it is closed; nothing else ever shows it again.
 */
export function CreateEndpointDialog({ disabledReason }: { disabledReason: string | null }) {
  const t = useTranslations("webhooks.create");
  const tCommon = useTranslations("common");
  const tErrors = useTranslations("errors");
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [url, setUrl] = useState("");
  const [description, setDescription] = useState("");
  const [events, setEvents] = useState<string[]>(["*"]);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const id = useId();

  function onOpenChange(next: boolean) {
    if (pending) return;
    setOpen(next);
    if (!next) {
      setUrl("");
      setDescription("");
      setEvents(["*"]);
      setProblem(null);
      setSecret(null);
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!url.trim()) return setProblem({ field: "url", message: t("urlRequired") });
    if (events.length === 0) return setProblem({ field: "events", message: t("eventsRequired") });
    startTransition(async () => {
      const result = await createWebhookEndpointAction({ url, description, enabledEvents: events }).catch(() => null);
      if (!result) return setProblem({ field: null, message: tErrors("generic") });
      if (!result.ok) return setProblem({ field: result.field === "url" ? "url" : result.field === "enabledEvents" ? "events" : null, message: result.message });
      setProblem(null);
      setSecret(result.data.secret);
      router.refresh();
    });
  }

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DisabledReason reason={disabledReason}>
        <DialogTrigger asChild>
          <Button disabled={disabledReason !== null}>
            <Plus className="h-4 w-4" aria-hidden />
            {t("button")}
          </Button>
        </DialogTrigger>
      </DisabledReason>
      <DialogContent title={secret ? t("createdTitle") : t("title")} description={secret ? t("createdDescription") : t("description")} closeLabel={tCommon("close")}>
        {secret ? (
          <SecretShownOnce
            secret={secret}
            labels={{ secret: t("secret"), onceWarning: t("onceWarning"), copy: t("copy"), copied: t("copied"), copyFailed: t("copyFailed"), done: t("done") }}
          />
        ) : (
          <ImeSafeForm onSubmit={onSubmit} className="flex flex-col gap-4" aria-busy={pending}>
            <div className="flex flex-col gap-1">
              <Label htmlFor={`${id}-url`}>{t("url")}</Label>
              <Input
                id={`${id}-url`}
                type="url"
                inputMode="url"
                value={url}
                maxLength={2048}
                placeholder={t("urlPlaceholder")}
                onChange={(e) => setUrl(e.target.value)}
                aria-invalid={problem?.field === "url" || undefined}
                aria-describedby={problem?.field === "url" ? `${id}-url-error` : undefined}
              />
              <FieldError id={`${id}-url-error`}>{problem?.field === "url" ? problem.message : null}</FieldError>
            </div>
            <div className="flex flex-col gap-1">
              <Label htmlFor={`${id}-description`}>{t("descriptionLabel")}</Label>
              <Input id={`${id}-description`} value={description} maxLength={200} placeholder={t("descriptionPlaceholder")} onChange={(e) => setDescription(e.target.value)} />
            </div>
            <EventTypesField value={events} onChange={setEvents} error={problem?.field === "events" ? problem.message : null} />
            <DialogProblem>{problem?.field === null ? problem.message : null}</DialogProblem>
            <DialogActions cancelLabel={tCommon("cancel")} label={pending ? t("pending") : t("submit")} pending={pending} />
          </ImeSafeForm>
        )}
      </DialogContent>
    </Dialog>
  );
}
