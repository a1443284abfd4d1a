"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

/** While something runs in the background (a bulk job, a test clock advance), asks the server for the page again every `intervalMs`; stops when it ends. */
export function LiveRefresh({ running, intervalMs = 1500 }: { running: boolean; intervalMs?: number }) {
  const router = useRouter();
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => router.refresh(), intervalMs);
    return () => clearInterval(timer);
  }, [running, intervalMs, router]);
  return null;
}
