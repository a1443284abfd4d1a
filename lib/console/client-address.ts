/**
 * The client's address as the nearest proxy reports it (X-Forwarded-For's first entry, X-Real-IP), or null. Used only
 * to throttle sign-ins, where a forged header at worst spreads an attacker's failures over made-up addresses: the
 * per-email throttle still holds.
 */
export function clientAddress(headers: Record<string, unknown> | Headers): string | null {
  const read = (name: string): string | null => {
    const value = headers instanceof Headers ? headers.get(name) : headers[name];
    return typeof value === "string" && value.trim() !== "" ? value : null;
  };
  const forwarded = read("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || read("x-real-ip")?.trim() || null;
}
