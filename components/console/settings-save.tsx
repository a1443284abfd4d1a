import { Button } from "@/components/ui/button";
import { DialogProblem } from "@/components/ui/dialog";
import { DisabledReason } from "@/components/ui/tooltip";

/**
 * The end of a settings section's form: a problem that belongs to no one field, then its save button, disabled with the
 * reason shown to those who may only read.
 */
export function SettingsSave({ problem, readOnlyReason, disabled, pending, label }: { problem: string | null; readOnlyReason: string | null; disabled: boolean; pending: boolean; label: string }) {
  return (
    <>
      <DialogProblem>{problem}</DialogProblem>
      <div>
        <DisabledReason reason={readOnlyReason}>
          <Button type="submit" disabled={disabled || pending}>
            {label}
          </Button>
        </DisabledReason>
      </div>
    </>
  );
}
