import type { CSSProperties } from "react";

// Inline styles only: mail clients drop <style> blocks, and compiling Tailwind for each of 10,000 mails costs time.
const font = "'Hiragino Kaku Gothic ProN','Hiragino Sans',Meiryo,'Helvetica Neue',Arial,sans-serif";

export const styles = {
  body: { backgroundColor: "#f4f4f5", margin: 0, padding: "24px 0", fontFamily: font },
  container: { backgroundColor: "#ffffff", maxWidth: "600px", margin: "0 auto", padding: "32px 32px 24px", borderRadius: "8px" },
  merchant: { fontSize: "18px", fontWeight: 700, color: "#18181b", margin: "0 0 24px" },
  paragraph: { fontSize: "15px", lineHeight: "1.8", color: "#27272a", margin: "0 0 16px" },
  link: { color: "#2563eb", textDecoration: "underline", wordBreak: "break-all" },
  buttonRow: { margin: "8px 0 24px" },
  button: { backgroundColor: "#18181b", color: "#ffffff", borderRadius: "6px", padding: "12px 24px", fontSize: "15px", fontWeight: 700, textDecoration: "none", display: "inline-block" },
  receipt: { width: "100%", borderCollapse: "collapse", margin: "0 0 24px", fontSize: "14px", color: "#27272a" },
  receiptHeading: { fontSize: "15px", fontWeight: 700, padding: "0 0 8px", textAlign: "left" },
  cell: { padding: "6px 0", borderBottom: "1px solid #e4e4e7", textAlign: "left" },
  amount: { padding: "6px 0", borderBottom: "1px solid #e4e4e7", textAlign: "right", whiteSpace: "nowrap" },
  total: { padding: "8px 0", fontWeight: 700, borderBottom: "2px solid #18181b" },
  detail: { padding: "4px 0", color: "#52525b", fontSize: "13px" },
  hr: { borderColor: "#e4e4e7", margin: "24px 0 16px" },
  footer: { fontSize: "12px", lineHeight: "1.7", color: "#71717a", margin: "0 0 8px" },
} satisfies Record<string, CSSProperties>;
