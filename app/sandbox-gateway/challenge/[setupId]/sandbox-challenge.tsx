"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import type { CardFieldsMessage } from "@/components/card-fields/messages";

/** The sandbox issuer's challenge: the answer goes to the gateway, then to the embedding page (this site's origin only). */
export function SandboxChallenge({ setupId }: { setupId: string }) {
  const t = useTranslations("checkout.challenge");
  const [pending, setPending] = useState(false);
  const [done, setDone] = useState(false);

  async function answer(outcome: "succeeded" | "failed") {
    setPending(true);
    try {
      await fetch(`/api/sandbox-gateway/challenges/${encodeURIComponent(setupId)}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ outcome }) });
      setDone(true);
      const message: CardFieldsMessage = { source: "keizoku-card-fields", type: "challenge", outcome };
      window.parent.postMessage(message, window.location.origin);
    } finally {
      setPending(false);
    }
  }

  if (done) return <p role="status">{t("done")}</p>;
  return (
    <div className="flex gap-3">
      <Button type="button" disabled={pending} onClick={() => void answer("succeeded")}>
        {t("approve")}
      </Button>
      <Button type="button" variant="secondary" disabled={pending} onClick={() => void answer("failed")}>
        {t("fail")}
      </Button>
    </div>
  );
}
