import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { requireStaff } from "@/lib/console/staff-context";
import { staffMay } from "@/lib/services/authorize";
import { listStaff } from "@/lib/services/queries/team";
import { TeamTable, type MemberRow } from "./_components/team-table";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("team"))("title") };
}

/**
 * メンバー: the merchant's staff logins and their roles. Owners and admins change roles and remove members; only owners
 * touch owners; the last owner stays (the service decides each of these; the page disables what it would refuse).
 */
export default async function TeamPage() {
  const { ctx, staff } = await requireStaff();
  const [t, members] = await Promise.all([getTranslations("team"), listStaff(ctx)]);
  const owners = members.filter((m) => m.role === "owner").length;
  const mayManage = staffMay(staff.role, "team.manage");
  const reasonFor = (member: (typeof members)[number]): string | null => {
    if (!mayManage) return t("readOnly");
    if (member.role === "owner" && staff.role !== "owner") return t("ownerOnly");
    if (member.role === "owner" && owners <= 1) return t("lastOwner");
    return null;
  };
  const rows: MemberRow[] = members.map((m) => ({ ...m, isYou: m.id === staff.staffUserId, manageReason: reasonFor(m) }));
  return (
    <div className="flex max-w-5xl flex-col gap-6">
      <header>
        <h1 className="text-2xl font-bold">{t("title")}</h1>
        <p className="mt-1 text-sm text-slate-600">{t("lead")}</p>
      </header>
      <TeamTable rows={rows} mayGrantOwner={staff.role === "owner"} />
    </div>
  );
}
