"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogFooter, DialogTrigger } from "@/components/ui/dialog";
import { DisabledReason } from "@/components/ui/tooltip";
import { revokeApiKeyAction } from "../actions";

/** Revokes a key after a confirmation: whatever still sends it is refused from then on, and it cannot be undone. */
export function RevokeApiKeyButton({ apiKeyId, name, disabledReason }: { apiKeyId: string; name: string; disabledReason: string | null }) {
  const t = useTranslations("apiKeys.revoke");
  const tCommon = useTranslations("common");
  const tErrors = useTranslations("errors");
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  const button = (
    <Button variant="secondary" size="sm" disabled={disabledReason !== null} aria-label={disabledReason ? undefined : t("label", { name })}>
      {t("button")}
    </Button>
  );
  if (disabledReason) return <DisabledReason reason={disabledReason}>{button}</DisabledReason>;

  function revoke() {
    startTransition(async () => {
      const result = await revokeApiKeyAction({ apiKeyId }).catch(() => null);
      if (!result || !result.ok) return setProblem(result?.message ?? tErrors("generic"));
      setOpen(false);
      toast.success(t("done", { name }));
      router.refresh();
    });
  }

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (pending) return;
        setOpen(next);
        setProblem(null);
      }}
    >
      <DialogTrigger asChild>{button}</DialogTrigger>
      <DialogContent title={t("title")} description={t("description", { name })} closeLabel={tCommon("close")}>
        {problem ? (
          <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
            {problem}
          </p>
        ) : null}
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="secondary" disabled={pending}>
              {tCommon("cancel")}
            </Button>
          </DialogClose>
          <Button variant="danger" disabled={pending} onClick={revoke}>
            {pending ? t("pending") : t("confirm")}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
