// Renders a receipt e-mail with React (TSX) and sends it with SES.
import React from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { SESv2Client, SendEmailCommand } from "@aws-sdk/client-sesv2";
import type { EventBridgeEvent } from "aws-lambda";

interface Line {
  name: string;
  qty: number;
  cents: number;
}

interface Receipt {
  orderId: string;
  email: string;
  lines: Line[];
}

const ses = new SESv2Client({});
const fmt = new Intl.NumberFormat("en-GB", { style: "currency", currency: "GBP" });

function ReceiptView({ orderId, lines }: Pick<Receipt, "orderId" | "lines">) {
  const total = lines.reduce((sum, l) => sum + l.qty * l.cents, 0);
  return (
    <html>
      <body style={{ fontFamily: "sans-serif" }}>
        <h1>Thanks for your order {orderId}</h1>
        <table>
          <tbody>
            {lines.map((l) => (
              <tr key={l.name}>
                <td>{l.name}</td>
                <td>{l.qty}</td>
                <td>{fmt.format((l.qty * l.cents) / 100)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p>
          <strong>Total: {fmt.format(total / 100)}</strong>
        </p>
      </body>
    </html>
  );
}

export const handler = async (event: EventBridgeEvent<"OrderPaid", Receipt>) => {
  const html = "<!doctype html>" + renderToStaticMarkup(<ReceiptView orderId={event.detail.orderId} lines={event.detail.lines} />);
  await ses.send(
    new SendEmailCommand({
      FromEmailAddress: process.env.FROM_ADDRESS,
      Destination: { ToAddresses: [event.detail.email] },
      Content: { Simple: { Subject: { Data: `Receipt for ${event.detail.orderId}` }, Body: { Html: { Data: html } } } },
    }),
  );
  return { sent: true };
};
