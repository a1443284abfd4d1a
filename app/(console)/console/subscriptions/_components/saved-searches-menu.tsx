"use client";

import { Bookmark } from "lucide-react";
import { useTranslations } from "next-intl";
import { type FormEvent, useId, useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogFooter } from "@/components/ui/dialog";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuLabel, DropdownMenuSeparator, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";
import { FieldError, Input, Label } from "@/components/ui/input";
import type { ActionResult } from "@/lib/console/action";
import type { SavedSearch } from "@/lib/services/queries/saved-searches";
import { savedSearchBody } from "@/lib/services/saved-search-input";
import type { SavedSearchPreset } from "@/lib/services/saved-search-presets";
import { fromSearch, readSearch, type SearchState } from "../search-params";
import { createSavedSearchAction, deleteSavedSearchAction, renameSavedSearchAction, updateSavedSearchAction } from "../saved-search-actions";
import type { SetSearchState } from "./use-search-state";

/** The search on screen as a saved search keeps it (no page). */
function currentSearch(state: SearchState) {
  const read = readSearch(state);
  if (!read.ok) return null;
  return savedSearchBody.parse(read.search);
}

/**
 * 保存した検索条件: the presets every merchant has, and the team's own saved searches, applied in one click; saving
 * the current search, and renaming, overwriting or deleting saved ones (not for viewers: the service refuses them too).
 */
export function SavedSearchesMenu({
  state,
  setState,
  savedSearches,
  presets,
  canManage,
}: {
  state: SearchState;
  setState: SetSearchState;
  savedSearches: SavedSearch[];
  presets: readonly SavedSearchPreset[];
  canManage: boolean;
}) {
  const t = useTranslations("subscriptions");
  const [dialog, setDialog] = useState<"save" | "manage" | null>(null);
  const apply = (search: SavedSearch["search"] | SavedSearchPreset["search"]) => void setState({ ...fromSearch(search), cols: state.cols });
  return (
    <>
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button variant="secondary">
            <Bookmark className="h-4 w-4" aria-hidden />
            {t("saved.menu")}
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end" className="max-h-[70vh] overflow-y-auto">
          <DropdownMenuLabel className="px-2 py-1 text-xs text-slate-600">{t("saved.presets")}</DropdownMenuLabel>
          {presets.map((preset) => (
            <DropdownMenuItem key={preset.key} onSelect={() => apply(preset.search)}>
              {t(`presets.${preset.key}` as "presets.unpaid1")}
            </DropdownMenuItem>
          ))}
          <DropdownMenuSeparator />
          <DropdownMenuLabel className="px-2 py-1 text-xs text-slate-600">{t("saved.team")}</DropdownMenuLabel>
          {savedSearches.length === 0 ? <p className="px-2 py-1.5 text-slate-600">{t("saved.none")}</p> : null}
          {savedSearches.map((saved) => (
            <DropdownMenuItem key={saved.id} onSelect={() => apply(saved.search)}>
              {saved.name}
            </DropdownMenuItem>
          ))}
          <DropdownMenuSeparator />
          <DropdownMenuItem disabled={!canManage} onSelect={() => setDialog("save")}>
            {t("saved.save")}
          </DropdownMenuItem>
          <DropdownMenuItem disabled={!canManage || savedSearches.length === 0} onSelect={() => setDialog("manage")}>
            {t("saved.manage")}
          </DropdownMenuItem>
          {!canManage ? <p className="max-w-64 px-2 py-1.5 text-xs text-slate-600">{t("saved.viewerReason")}</p> : null}
        </DropdownMenuContent>
      </DropdownMenu>
      <SaveDialog open={dialog === "save"} onOpenChange={(open) => setDialog(open ? "save" : null)} state={state} />
      <ManageDialog open={dialog === "manage"} onOpenChange={(open) => setDialog(open ? "manage" : null)} state={state} savedSearches={savedSearches} />
    </>
  );
}

/** Runs a server action with a toast for its result; a refusal keeps its message for the form. */
function useAction() {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const run = <T,>(action: () => Promise<ActionResult<T>>, success: (data: T) => string, done?: () => void) =>
    startTransition(async () => {
      const result = await action();
      if (!result.ok) {
        setError(result.message);
        toast.error(result.message);
        return;
      }
      setError(null);
      toast.success(success(result.data));
      done?.();
    });
  return { pending, error, run, setError };
}

function SaveDialog({ open, onOpenChange, state }: { open: boolean; onOpenChange: (open: boolean) => void; state: SearchState }) {
  const t = useTranslations("subscriptions.saved");
  const common = useTranslations("common");
  const id = useId();
  const [name, setName] = useState("");
  const { pending, error, run, setError } = useAction();
  function submit(event: FormEvent) {
    event.preventDefault();
    const search = currentSearch(state);
    if (!search) return;
    run(
      () => createSavedSearchAction({ name, search }),
      (data) => t("created", { name: data.name }),
      () => {
        setName("");
        onOpenChange(false);
      },
    );
  }
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setError(null);
        onOpenChange(next);
      }}
    >
      <DialogContent title={t("saveTitle")} description={t("saveBody")} closeLabel={common("close")}>
        <form onSubmit={submit} className="flex flex-col gap-2">
          <Label htmlFor={`${id}-name`}>{t("name")}</Label>
          <Input id={`${id}-name`} value={name} maxLength={60} required aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} onChange={(e) => setName(e.target.value)} />
          <FieldError id={`${id}-error`}>{error}</FieldError>
          <DialogFooter>
            <DialogClose asChild>
              <Button variant="secondary">{common("cancel")}</Button>
            </DialogClose>
            <Button type="submit" disabled={pending || name.trim() === ""}>
              {t("submit")}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

function ManageDialog({ open, onOpenChange, state, savedSearches }: { open: boolean; onOpenChange: (open: boolean) => void; state: SearchState; savedSearches: SavedSearch[] }) {
  const t = useTranslations("subscriptions.saved");
  const common = useTranslations("common");
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent title={t("manageTitle")} closeLabel={common("close")}>
        <ul className="flex flex-col divide-y divide-slate-200">
          {savedSearches.map((saved) => (
            <SavedSearchItem key={saved.id} saved={saved} state={state} />
          ))}
        </ul>
      </DialogContent>
    </Dialog>
  );
}

function SavedSearchItem({ saved, state }: { saved: SavedSearch; state: SearchState }) {
  const t = useTranslations("subscriptions.saved");
  const common = useTranslations("common");
  const id = useId();
  const [name, setName] = useState(saved.name);
  const [confirming, setConfirming] = useState(false);
  const { pending, error, run } = useAction();
  const search = currentSearch(state);
  return (
    <li className="flex flex-col gap-2 py-3">
      <form
        className="flex flex-wrap items-end gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          run(() => renameSavedSearchAction({ id: saved.id, name }), (data) => t("renamed", { name: data.name }));
        }}
      >
        <div className="flex flex-1 flex-col gap-1">
          <Label htmlFor={`${id}-name`}>{t("name")}</Label>
          <Input id={`${id}-name`} value={name} maxLength={60} required aria-describedby={error ? `${id}-error` : undefined} onChange={(e) => setName(e.target.value)} />
        </div>
        <Button type="submit" variant="secondary" size="sm" disabled={pending || name.trim() === "" || name === saved.name}>
          {t("rename")}
        </Button>
      </form>
      <FieldError id={`${id}-error`}>{error}</FieldError>
      <div className="flex flex-wrap gap-2">
        <Button variant="secondary" size="sm" disabled={pending || !search} onClick={() => run(() => updateSavedSearchAction({ id: saved.id, search }), (data) => t("overwritten", { name: data.name }))}>
          {t("overwrite")}
        </Button>
        {confirming ? (
          <div role="alert" className="flex flex-wrap items-center gap-2 text-sm">
            <span>{t("deleteConfirm", { name: saved.name })}</span>
            <Button variant="danger" size="sm" disabled={pending} onClick={() => run(() => deleteSavedSearchAction({ id: saved.id }), () => t("deleted", { name: saved.name }))}>
              {t("delete")}
            </Button>
            <Button variant="ghost" size="sm" onClick={() => setConfirming(false)}>
              {common("cancel")}
            </Button>
          </div>
        ) : (
          <Button variant="ghost" size="sm" onClick={() => setConfirming(true)}>
            {t("delete")}
          </Button>
        )}
      </div>
    </li>
  );
}
