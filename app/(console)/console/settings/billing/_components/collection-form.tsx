"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { type FormEvent, useId, useState, useTransition } from "react";
import { toast } from "sonner";
import { ImeSafeForm } from "@/components/console/ime-safe-form";
import { Button } from "@/components/ui/button";
import { Card, CardTitle } from "@/components/ui/card";
import { DisabledReason } from "@/components/ui/tooltip";
import { type CollectionPreview, previewCollection, saveCollection } from "../actions";
import { type Collection, type CollectionDraft, draftOf, parseDraft, type ProblemCode, problemOf, type Problems, retryDaysOf, sameCollection } from "./collection-draft";
import { CollectionPreviewDialog } from "./collection-preview-dialog";
import { CollectionTimelineView } from "./collection-timeline-view";
import { DunningFields } from "./dunning-fields";
import { RetryFields } from "./retry-fields";

/**
 * The retry schedule and dunning timeline, edited side by side with their timeline. Saving goes through a preview of
 * the contracts it would re-plan (previewBillingSettings), confirmed in a dialog.
 */
export function CollectionForm({ saved, readOnlyReason, atobaraiOn }: { saved: Collection; readOnlyReason: string | null; atobaraiOn: boolean }) {
  const t = useTranslations("billingSettings.collection");
  const tProblems = useTranslations("billingSettings.problems");
  const tErrors = useTranslations("errors");
  const router = useRouter();
  const id = useId();
  const [draft, setDraft] = useState(() => draftOf(saved));
  const [serverProblem, setServerProblem] = useState<{ field: string; message: string } | null>(null);
  const [preview, setPreview] = useState<{ value: Collection; data: CollectionPreview } | null>(null);
  const [dialogProblem, setDialogProblem] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const disabled = readOnlyReason !== null;

  // While a field is being corrected, the timeline keeps showing the last settings that were valid.
  const [lastValid, setLastValid] = useState(saved);
  const parsed = parseDraft(draft);
  const problems: Problems = parsed.problems ?? {};
  const unchanged = parsed.value !== null && sameCollection(parsed.value, saved);
  const reviewReason = readOnlyReason ?? (parsed.value === null ? t("invalid") : unchanged ? t("unchanged") : null);

  function edit(next: CollectionDraft) {
    setDraft(next);
    setServerProblem(null);
    const value = parseDraft(next).value;
    if (value) setLastValid(value);
  }

  function review(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = parsed.value;
    if (!value || reviewReason) return;
    startTransition(async () => {
      const result = await previewCollection(value).catch(() => null);
      if (!result) return setServerProblem({ field: "form", message: tErrors("generic") });
      if (!result.ok) return setServerProblem({ field: result.field ? problemOf(result.field.split("."), null, retryDaysOf(draft))[0] : "form", message: result.message });
      setServerProblem(null);
      setDialogProblem(null);
      setPreview({ value, data: result.data });
    });
  }

  function save() {
    if (!preview) return;
    startTransition(async () => {
      const result = await saveCollection(preview.value).catch(() => null);
      if (!result) return setDialogProblem(tErrors("generic"));
      if (!result.ok) return setDialogProblem(result.message);
      setPreview(null);
      toast.success(t("saved"));
      router.refresh();
    });
  }

  // A field the server refused (the same schemas run there) is shown beside it, like the form's own checks.
  const shownProblems: Problems = serverProblem && serverProblem.field !== "form" ? { ...problems, [serverProblem.field]: "other" } : problems;
  const problemText = (code: ProblemCode) => tProblems(code);

  return (
    <Card aria-labelledby={`${id}-title`}>
      <CardTitle id={`${id}-title`}>{t("heading")}</CardTitle>
      <p className="mb-4 text-sm text-slate-600">{t("lead")}</p>
      <div className="grid items-start gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,22rem)]">
        <ImeSafeForm onSubmit={review} className="flex flex-col gap-6" aria-busy={pending}>
          <RetryFields id={id} draft={draft} onChange={edit} problems={shownProblems} problemText={problemText} disabled={disabled} />
          <DunningFields id={id} draft={draft} onChange={edit} problems={shownProblems} problemText={problemText} disabled={disabled} atobaraiOn={atobaraiOn} />
          {serverProblem?.field === "form" || problems.form ? (
            <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
              {serverProblem?.message ?? tProblems("other")}
            </p>
          ) : null}
          <div>
            <DisabledReason reason={reviewReason}>
              <Button type="submit" disabled={reviewReason !== null || pending}>
                {t("review")}
              </Button>
            </DisabledReason>
          </div>
        </ImeSafeForm>
        <div className="rounded-md border border-slate-200 bg-slate-50 p-4">
          <CollectionTimelineView settings={parsed.value ?? lastValid} stale={parsed.value === null} />
        </div>
      </div>
      <CollectionPreviewDialog
        preview={preview?.data ?? null}
        open={preview !== null}
        onOpenChange={(open) => {
          if (!open) setPreview(null);
        }}
        onConfirm={save}
        pending={pending}
        problem={dialogProblem}
      />
    </Card>
  );
}
