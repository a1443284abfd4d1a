import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { SandboxChallenge } from "./sandbox-challenge";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("checkout"))("challenge.title") };
}

export default async function ChallengePage({ params }: { params: Promise<{ setupId: string }> }) {
  const { setupId } = await params;
  const t = await getTranslations("checkout.challenge");
  return (
    <div className="flex flex-col gap-3">
      <h1 className="text-base font-semibold">{t("title")}</h1>
      <p className="text-sm text-slate-700">{t("body")}</p>
      <SandboxChallenge setupId={setupId} />
    </div>
  );
}
