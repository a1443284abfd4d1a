import { mypageTranslator } from "@/lib/mypage/customer-context";

/** Another customer's contract or receipt, or an id that does not exist: the same page, nothing revealed. */
export default function MypageNotFound() {
  const t = mypageTranslator("ja");
  return (
    <section className="flex flex-col gap-2 rounded-lg border border-slate-200 bg-white p-6">
      <h1 className="text-xl font-bold">{t("notFound.title")}</h1>
      <p className="text-sm text-slate-700">{t("notFound.text")}</p>
    </section>
  );
}
