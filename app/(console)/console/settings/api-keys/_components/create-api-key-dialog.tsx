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
import { createApiKeyAction } from "../actions";

/**
 * 「API キーを作成」: a name, then the new secret, shown this once with a copy button. The dialog keeps the secret until
 * it is closed; nothing else ever shows it again.
 */
export function CreateApiKeyDialog({ disabledReason }: { disabledReason: string | null }) {
  const t = useTranslations("apiKeys.create");
  const tCommon = useTranslations("common");
  const tErrors = useTranslations("errors");
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [problem, setProblem] = useState<{ field: "name" | null; message: string } | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const id = useId();

  function onOpenChange(next: boolean) {
    if (pending) return;
    setOpen(next);
    if (!next) {
      setName("");
      setProblem(null);
      setSecret(null);
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!name.trim()) return setProblem({ field: "name", message: t("nameRequired") });
    startTransition(async () => {
      const result = await createApiKeyAction({ name }).catch(() => null);
      if (!result) return setProblem({ field: null, message: tErrors("generic") });
      if (!result.ok) return setProblem({ field: result.field === "name" ? "name" : null, message: result.field === "name" ? t("nameInvalid") : result.message });
      setProblem(null);
      setSecret(result.data.secretKey);
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
              <Label htmlFor={`${id}-name`}>{t("name")}</Label>
              <Input
                id={`${id}-name`}
                value={name}
                maxLength={100}
                placeholder={t("namePlaceholder")}
                onChange={(e) => setName(e.target.value)}
                aria-invalid={problem?.field === "name" || undefined}
                aria-describedby={problem?.field === "name" ? `${id}-name-error` : undefined}
              />
              <FieldError id={`${id}-name-error`}>{problem?.field === "name" ? problem.message : null}</FieldError>
            </div>
            <DialogProblem>{problem?.field === null ? problem.message : null}</DialogProblem>
            <DialogActions cancelLabel={tCommon("cancel")} label={pending ? t("pending") : t("submit")} pending={pending} />
          </ImeSafeForm>
        )}
      </DialogContent>
    </Dialog>
  );
}
