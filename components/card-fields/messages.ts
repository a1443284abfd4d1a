/** What the gateway-hosted frames tell the page that embeds them (window.postMessage); nothing else is trusted. */
export type CardFieldsMessage =
  | { source: "keizoku-card-fields"; type: "token"; token: string; last4: string }
  | { source: "keizoku-card-fields"; type: "challenge"; outcome: "succeeded" | "failed" };

export function isCardFieldsMessage(data: unknown): data is CardFieldsMessage {
  if (typeof data !== "object" || data === null) return false;
  const m = data as Record<string, unknown>;
  if (m.source !== "keizoku-card-fields") return false;
  if (m.type === "token") return typeof m.token === "string" && typeof m.last4 === "string";
  return m.type === "challenge" && (m.outcome === "succeeded" || m.outcome === "failed");
}
