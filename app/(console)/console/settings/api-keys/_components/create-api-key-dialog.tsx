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
