"use client";

import { useQueryStates } from "nuqs";
import { useTransition } from "react";
import { searchParsers } from "../search-params";

/**
 * The workspace's search from the URL, with the same parsers the server page reads it with. Every change goes to the
 * server (`shallow: false`: the page is a Server Component that searches), inside a transition so that the table can
 * show it is loading while the current rows stay on screen; each search is a history entry (Back goes back to it).
 */
export function useSearchState() {
  const [isPending, startTransition] = useTransition();
  const [state, setState] = useQueryStates(searchParsers, { shallow: false, history: "push", startTransition });
  return { state, setState, isPending };
}

export type SetSearchState = ReturnType<typeof useSearchState>["setState"];
