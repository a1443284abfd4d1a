import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { requireStaff } from "@/lib/console/staff-context";
import { merchantOwns } from "@/lib/services/queries/ownership";

/**
 * The layout of a detail page (/console/<room>/[id]): checks that the id is the merchant's before the page's loading
 * boundary starts the response, so that another merchant's or an unknown id is a 404 response, not only a 404 page.
 */
export async function OwnedDetailLayout({ kind, params, children }: { kind: Parameters<typeof merchantOwns>[1]; params: Promise<{ id: string }>; children: ReactNode }) {
  const { ctx } = await requireStaff();
  const { id } = await params;
  if (!(await merchantOwns(ctx, kind, id))) notFound();
  return children;
}
