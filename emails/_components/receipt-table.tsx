import type { ReceiptRows } from "@/lib/mail/receipt-rows";
import { styles } from "./styles";

/** The receipt's lines, tax per rate and total, then its date, number and the issuer's registration number. */
export function ReceiptTable({ rows }: { rows: ReceiptRows }) {
  return (
    <table role="presentation" cellPadding={0} cellSpacing={0} style={styles.receipt}>
      <tbody>
        <tr>
          <th colSpan={2} style={styles.receiptHeading}>
            {rows.heading}
          </th>
        </tr>
        {[...rows.lines, ...rows.taxes].map((row, i) => (
          <tr key={i}>
            <td style={styles.cell}>{row.label}</td>
            <td style={styles.amount}>{row.value}</td>
          </tr>
        ))}
        <tr>
          <td style={styles.total}>{rows.total.label}</td>
          <td style={{ ...styles.total, textAlign: "right", whiteSpace: "nowrap" }}>{rows.total.value}</td>
        </tr>
        {rows.details.map((row, i) => (
          <tr key={`d${i}`}>
            <td style={styles.detail}>{row.label}</td>
            <td style={{ ...styles.detail, textAlign: "right" }}>{row.value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
