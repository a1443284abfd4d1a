"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogFooter, DialogTrigger } from "@/components/ui/dialog";
import { DisabledReason } from "@/components/ui/tooltip";
import { resendOutboxMail } from "../../actions";

/** 再送信: asks first, then queues a copy of the mail as sent; a refusal is shown in the dialog. */
export function ResendButton({ mailId, to, disabledReason }: { mailId: string; to: string; disabledReason: string | null }) {
  const t = useTranslations("outbox.resend");
  const tCommon = useTranslations("common");
  const tErrors = useTranslations("errors");
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  const button = (
    <Button variant="secondary" disabled={disabledReason !== null} data-testid="resend">
      {t("button")}
    </Button>
  );
  if (disabledReason) return <DisabledReason reason={disabledReason}>{button}</DisabledReason>;

  function confirm() {
    startTransition(async () => {
      const result = await resendOutboxMail({ mailId }).catch(() => null);
      if (!result) return setProblem(tErrors("generic"));
      if (!result.ok) return setProblem(result.message);
      setOpen(false);
      const id = result.data.mailId;
      toast.success(t("done"), { action: { label: t("open"), onClick: () => router.push(`/console/mails/${id}`) } });
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
      <DialogContent title={t("title")} description={t("description", { to })} closeLabel={tCommon("close")}>
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
          <Button onClick={confirm} disabled={pending}>
            {pending ? t("pending") : t("submit")}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
