import type { Metadata } from "next";
import type { ReactNode } from "react";
import { NextIntlClientProvider } from "next-intl";
import { getTranslations } from "next-intl/server";
import { NuqsAdapter } from "nuqs/adapters/next/app";
import { Toaster } from "@/components/ui/toaster";
import { requireStaff } from "@/lib/console/staff-context";
import { SideNav } from "./_components/side-nav";
import { UserMenu } from "./_components/user-menu";

export const metadata: Metadata = { title: { default: "コンソール", template: "%s | Keizoku" } };

/** The merchant console's shell: every page below is for a signed-in staff member of one merchant. */
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const { staff } = await requireStaff();
  const t = await getTranslations();
  return (
    <NextIntlClientProvider>
      <NuqsAdapter>
        <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-white focus:p-2">
          {t("console.skipToContent")}
        </a>
        <div className="flex min-h-screen">
          <aside className="hidden w-56 shrink-0 border-r border-slate-200 bg-white md:block">
            <p className="px-6 pt-5 pb-2 text-sm font-bold text-sky-900">Keizoku 継続課金</p>
            <SideNav />
          </aside>
          <div className="flex min-w-0 flex-1 flex-col">
            <header className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-200 bg-white px-6 py-3">
              <div className="md:hidden">
                <SideNav />
              </div>
              <div className="ml-auto">
                <UserMenu name={staff.name} roleLabel={t(`common.role.${staff.role}`)} merchantName={staff.merchant.name} />
              </div>
            </header>
            <main id="main" className="flex-1 px-6 py-6">
              {children}
            </main>
          </div>
        </div>
        <Toaster />
      </NuqsAdapter>
    </NextIntlClientProvider>
  );
}
