// EventBridge rule target with a typed detail and a scheduled variant in the same function.
import type { Context, EventBridgeEvent, ScheduledEvent } from "aws-lambda";
import { CloudWatchClient, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";

interface InvoiceIssued {
  invoiceId: string;
  customerId: string;
  amountCents: number;
  currency: "EUR" | "USD";
  dueDate: string;
}

type Incoming = EventBridgeEvent<"InvoiceIssued", InvoiceIssued> | ScheduledEvent;

const cw = new CloudWatchClient({});
const bus = new EventBridgeClient({});

const isScheduled = (e: Incoming): e is ScheduledEvent => e["detail-type"] === "Scheduled Event";

export const handler = async (event: Incoming, context: Context): Promise<{ ok: boolean }> => {
  if (isScheduled(event)) {
    await bus.send(
      new PutEventsCommand({
        Entries: [{ Source: "billing.reminders", DetailType: "ReminderSweep", Detail: JSON.stringify({ at: event.time }) }],
      }),
    );
    return { ok: true };
  }

  const { amountCents, currency, dueDate } = event.detail;
  const days = Math.round((Date.parse(dueDate) - Date.parse(event.time)) / 86_400_000);
  await cw.send(
    new PutMetricDataCommand({
      Namespace: "Billing",
      MetricData: [
        { MetricName: "InvoicedAmount", Value: amountCents / 100, Unit: "None", Dimensions: [{ Name: "Currency", Value: currency }] },
        { MetricName: "PaymentTermDays", Value: days, Unit: "Count" },
      ],
    }),
  );
  console.log(`processed ${event.id} in ${context.functionName}`);
  return { ok: true };
};
