"use client";

import type { RowSelectionState } from "@tanstack/react-table";
import { useSyncExternalStore } from "react";

/**
 * The rows picked for a bulk action, for one search (`key`: the filters, not the page). It lives outside React's tree:
 * moving to another page of results renders a new page segment, which would drop a component's own state.
 */
export type Selection = { key: string; ids: RowSelectionState; all: boolean };

const NONE: Selection = { key: "", ids: {}, all: false };
let current: Selection = NONE;
const listeners = new Set<() => void>();

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function setSelection(next: Selection): void {
  current = next;
  for (const listener of listeners) listener();
}

/** The selection of this search as it is now (for updaters, which must not read a render's possibly older copy). */
export function currentSelection(key: string): Selection {
  return current.key === key ? current : { key, ids: {}, all: false };
}

/** The selection of this search; another search's selection reads as nothing picked. */
export function useSelection(key: string): Selection {
  const selection = useSyncExternalStore(
    subscribe,
    () => current,
    () => NONE,
  );
  return selection.key === key ? selection : { key, ids: {}, all: false };
}
