"use client";

import { Copy, Plus } from "lucide-react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { type FormEvent, useId, useState, useTransition } from "react";
import { toast } from "sonner";
import { ImeSafeForm } from "@/components/console/ime-safe-form";
import { Button } from "@/components/ui/button";
import { Dialog, DialogActions, DialogClose, DialogContent, DialogFooter, DialogProblem, DialogTrigger } from "@/components/ui/dialog";
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

  async function copy() {
    if (!secret) return;
    try {
      await navigator.clipboard.writeText(secret);
      toast.success(t("copied"));
    } catch {
      toast.error(t("copyFailed"));
    }
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
          <div className="flex flex-col gap-4">
            <div className="flex flex-col gap-1">
              <Label htmlFor={`${id}-secret`}>{t("secret")}</Label>
              <Input id={`${id}-secret`} readOnly value={secret} className="font-mono text-xs" onFocus={(e) => e.currentTarget.select()} />
            </div>
            <p className="rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900">{t("onceWarning")}</p>
            <DialogFooter>
              <Button variant="secondary" onClick={copy}>
                <Copy className="h-4 w-4" aria-hidden />
                {t("copy")}
              </Button>
              <DialogClose asChild>
                <Button>{t("done")}</Button>
              </DialogClose>
            </DialogFooter>
          </div>
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
