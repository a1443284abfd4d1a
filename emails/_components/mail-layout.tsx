import { Body, Button, Container, Head, Hr, Html, Link, Section, Text } from "@react-email/components";
import { Fragment } from "react";
import type { Line } from "@/lib/mail/mail-body";
import type { ComposedMail } from "./compose";
import { ReceiptTable } from "./receipt-table";
import { styles } from "./styles";

/** Lines of text with their breaks kept; every character goes through React, so a merchant's markup stays text. */
function Lines({ lines }: { lines: Line[] }) {
  return lines.map((line, i) => (
    <Fragment key={i}>
      {i > 0 && <br />}
      {line.map((segment, j) =>
        segment.href ? (
          <Link key={j} href={segment.href} style={styles.link}>
            {segment.text}
          </Link>
        ) : (
          <Fragment key={j}>{segment.text}</Fragment>
        ),
      )}
    </Fragment>
  ));
}

/** Every mail's frame: the merchant's name, the body with its button (and receipt), then the merchant's footer. */
export function MailLayout({ locale, merchant, blocks, receipt, footer }: ComposedMail) {
  return (
    <Html lang={locale}>
      <Head />
      <Body style={styles.body}>
        <Container style={styles.container}>
          {merchant && <Text style={styles.merchant}>{merchant}</Text>}
          {blocks.map((block, i) =>
            block.kind === "paragraph" ? (
              <Text key={i} style={styles.paragraph}>
                <Lines lines={block.lines} />
              </Text>
            ) : block.kind === "button" ? (
              <Section key={i} style={styles.buttonRow}>
                <Button href={block.href} style={styles.button}>
                  {block.label}
                </Button>
              </Section>
            ) : receipt ? (
              <ReceiptTable key={i} rows={receipt} />
            ) : null,
          )}
          {footer.length > 0 && (
            <>
              <Hr style={styles.hr} />
              {footer.map((lines, i) => (
                <Text key={i} style={styles.footer}>
                  <Lines lines={lines} />
                </Text>
              ))}
            </>
          )}
        </Container>
      </Body>
    </Html>
  );
}
