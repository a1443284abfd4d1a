import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { requireStaff } from "@/lib/console/staff-context";
import { staffMay } from "@/lib/services/authorize";
import { listStaffInvitations } from "@/lib/services/queries/staff-invitations";
import { listStaff } from "@/lib/services/queries/team";
import { InvitationsTable, type PendingInvitation } from "./_components/invitations-table";
import { InviteMemberDialog } from "./_components/invite-member-dialog";
import { TeamTable, type MemberRow } from "./_components/team-table";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("team"))("title") };
}

/**
 * メンバー: the merchant's staff logins and their roles, and the invitations not yet accepted. Owners and admins invite,
 * change roles and remove members; only owners touch owners (and owners' invitations); the last owner stays (the
 * service decides each of these; the page disables what it would refuse).
 */
export default async function TeamPage() {
  const { ctx, staff } = await requireStaff();
  const [t, members, invitations] = await Promise.all([getTranslations("team"), listStaff(ctx), listStaffInvitations(ctx)]);
  const owners = members.filter((m) => m.role === "owner").length;
  const mayManage = staffMay(staff.role, "team.manage");
  const reasonFor = (member: (typeof members)[number]): string | null => {
    if (!mayManage) return t("readOnly");
    if (member.role === "owner" && staff.role !== "owner") return t("ownerOnly");
    if (member.role === "owner" && owners <= 1) return t("lastOwner");
    return null;
  };
  const rows: MemberRow[] = members.map((m) => ({ ...m, isYou: m.id === staff.staffUserId, manageReason: reasonFor(m) }));
  const now = ctx.clock.now();
  const invitationReason = (role: string): string | null => {
    if (!mayManage) return t("readOnly");
    if (role === "owner" && staff.role !== "owner") return t("ownerOnly");
    return null;
  };
  const pending: PendingInvitation[] = invitations.map((i) => ({ ...i, expired: i.expiresAt <= now, manageReason: invitationReason(i.role) }));
  return (
    <div className="flex max-w-5xl flex-col gap-6">
      <header className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-bold">{t("title")}</h1>
          <p className="mt-1 text-sm text-slate-600">{t("lead")}</p>
        </div>
        <InviteMemberDialog mayGrantOwner={staff.role === "owner"} disabledReason={mayManage ? null : t("readOnly")} />
      </header>
      <TeamTable rows={rows} mayGrantOwner={staff.role === "owner"} />
      <section aria-labelledby="team-invitations" className="flex flex-col gap-3">
        <div>
          <h2 id="team-invitations" className="text-lg font-semibold">
            {t("invitations.title")}
          </h2>
          <p className="mt-1 text-sm text-slate-600">{t("invitations.lead")}</p>
        </div>
        {pending.length === 0 ? (
          <div className="rounded-lg border border-dashed border-slate-300 bg-white p-6">
            <p className="text-sm text-slate-700">{t("invitations.empty")}</p>
          </div>
        ) : (
          <InvitationsTable rows={pending} />
        )}
      </section>
    </div>
  );
}
