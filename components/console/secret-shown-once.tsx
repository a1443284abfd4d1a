"use client";

import { useId } from "react";
import { Button } from "@/components/ui/button";
import { DialogClose, DialogFooter } from "@/components/ui/dialog";
import { Input, Label } from "@/components/ui/input";
import { CopyTextButton } from "./copy-text-button";

export type SecretShownOnceLabels = { secret: string; onceWarning: string; copy: string; copied: string; copyFailed: string; done: string };

/**
 * A new secret (an API key, a webhook signing secret) in the dialog that made it, this once: selectable, copyable, with
 * the warning that it will not be shown again.
 */
export function SecretShownOnce({ secret, labels }: { secret: string; labels: SecretShownOnceLabels }) {
  const id = useId();
  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-col gap-1">
        <Label htmlFor={`${id}-secret`}>{labels.secret}</Label>
        <Input id={`${id}-secret`} readOnly value={secret} className="font-mono text-xs" onFocus={(e) => e.currentTarget.select()} />
      </div>
      <p className="rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900">{labels.onceWarning}</p>
      <DialogFooter>
        <CopyTextButton text={secret} size="md" labels={{ copy: labels.copy, copyLabel: labels.copy, copied: labels.copied, copyFailed: labels.copyFailed }} />
        <DialogClose asChild>
          <Button>{labels.done}</Button>
        </DialogClose>
      </DialogFooter>
    </div>
  );
}
