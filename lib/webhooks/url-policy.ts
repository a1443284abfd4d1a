import { BlockList, isIP } from "node:net";

/**
 * Where webhooks may go. A public deployment sends only to public https URLs: no loopback, private, link-local, CGNAT
 * or cloud metadata address may be reached through a merchant's URL (SSRF). Locally (development, tests, the demo)
 * loopback URLs are allowed too, over http as well.
 */
export type UrlPolicy = { allowLoopback: boolean };

const blocked = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  blocked.addSubnet(net, prefix, "ipv4");
}
for (const [net, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["64:ff9b::", 96],
  ["64:ff9b:1::", 48],
  ["100::", 64],
  ["2001:db8::", 32],
  ["2002::", 16],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const) {
  blocked.addSubnet(net, prefix, "ipv6");
}
const loopback = new BlockList();
loopback.addSubnet("127.0.0.0", 8, "ipv4");
loopback.addAddress("::1", "ipv6");

/** Why an address may not be sent to, or null. IPv4-mapped IPv6 addresses are judged as their IPv4 address. */
export function addressRefusal(address: string, policy: UrlPolicy): string | null {
  const family = isIP(address);
  if (family === 0) return "not an IP address";
  const type = family === 4 ? "ipv4" : "ipv6";
  if (policy.allowLoopback && loopback.check(address, type)) return null;
  return blocked.check(address, type) ? `${address} is not a public address` : null;
}

const LOCAL_NAMES = (host: string) => host === "localhost" || host.endsWith(".localhost");

/** Checks a URL's form (before any lookup): a reason it is refused, or null. */
export function urlRefusal(raw: string, policy: UrlPolicy): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "not a valid URL";
  }
  if (url.username || url.password) return "the URL must not carry a user name or password";
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const local = LOCAL_NAMES(host) || (isIP(host) !== 0 && addressRefusal(host, { allowLoopback: false }) !== null && addressRefusal(host, { allowLoopback: true }) === null);
  if (local && !policy.allowLoopback) return "loopback addresses are not allowed";
  if (url.protocol !== "https:" && !(url.protocol === "http:" && local)) return policy.allowLoopback ? "the URL must use https (http only for localhost)" : "the URL must use https";
  if (isIP(host) !== 0) return addressRefusal(host, policy);
  return null;
}

export type Lookup = (host: string) => Promise<{ address: string; family: number }[]>;

/**
 * Resolves a URL's host and checks every address it has (one bad address refuses it: a name may round-robin onto a
 * private one). Returns the address to connect to, so that the request goes where was checked (DNS rebinding).
 */
export async function resolveAllowed(raw: string, policy: UrlPolicy, lookup: Lookup): Promise<{ address: string; family: number }> {
  const refusal = urlRefusal(raw, policy);
  if (refusal) throw new UrlRefused(refusal);
  const host = new URL(raw).hostname.replace(/^\[|\]$/g, "");
  const addresses = isIP(host) !== 0 ? [{ address: host, family: isIP(host) }] : LOCAL_NAMES(host) ? [{ address: "127.0.0.1", family: 4 }] : await lookup(host);
  if (addresses.length === 0) throw new UrlRefused(`${host} does not resolve`);
  for (const a of addresses) {
    const why = addressRefusal(a.address, policy);
    if (why) throw new UrlRefused(`${host} resolves to ${a.address}, which is not a public address`);
  }
  return addresses[0]!;
}

export class UrlRefused extends Error {}
