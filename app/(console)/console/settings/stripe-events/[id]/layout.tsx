import type { ReactNode } from "react";
import { OwnedDetailLayout } from "@/components/console/owned-detail-layout";

export default function Layout({ params, children }: { params: Promise<{ id: string }>; children: ReactNode }) {
  return (
    <OwnedDetailLayout kind="gateway_event" params={params}>
      {children}
    </OwnedDetailLayout>
  );
}
