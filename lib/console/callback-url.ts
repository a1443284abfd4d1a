/**
 * Where to go after signing in: only a path of the console on this site. Anything else (another host, `//evil`,
 * `/\evil`, a scheme, the sign-in page itself) falls back to the console's home, so that the sign-in page cannot be
 * used to send staff elsewhere.
 */
export function safeCallbackPath(value: string | null | undefined, origin?: string): string {
  const fallback = "/console";
  if (!value) return fallback;
  let candidate = value;
  if (origin && candidate.startsWith(origin)) candidate = candidate.slice(origin.length) || "/";
  if (!candidate.startsWith("/") || candidate.startsWith("//") || candidate.includes("\\")) return fallback;
  let url: URL;
  try {
    url = new URL(candidate, "http://keizoku.invalid");
  } catch {
    return fallback;
  }
  if (url.origin !== "http://keizoku.invalid") return fallback;
  if (url.pathname !== "/console" && !url.pathname.startsWith("/console/")) return fallback;
  if (url.pathname.startsWith("/console/sign-in")) return fallback;
  return `${url.pathname}${url.search}`;
}
