import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { SandboxCardForm } from "./sandbox-card-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("checkout"))("cardForm.title") };
}

export default function CardFormPage() {
  return <SandboxCardForm />;
}
