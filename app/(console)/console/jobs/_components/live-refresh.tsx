"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

/** While a job runs, asks the server for the page again every `intervalMs` (its progress and rows); stops when it ends. */
export function LiveRefresh({ running, intervalMs = 1500 }: { running: boolean; intervalMs?: number }) {
  const router = useRouter();
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => router.refresh(), intervalMs);
    return () => clearInterval(timer);
  }, [running, intervalMs, router]);
  return null;
}
