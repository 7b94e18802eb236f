// Step through an order's state machine; enums (string, numeric and const) and exhaustive switch.
import type { DynamoDBStreamEvent } from "aws-lambda";
import { SNSClient, PublishCommand } from "@aws-sdk/client-sns";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import type { AttributeValue } from "@aws-sdk/client-dynamodb";

export enum OrderStatus {
  Placed = "PLACED",
  Paid = "PAID",
  Shipped = "SHIPPED",
  Cancelled = "CANCELLED",
}

enum Priority {
  Low,
  Normal = 5,
  High = Normal * 2,
}

const enum Channel {
  Email = 1 << 0,
  Sms = 1 << 1,
  Both = Email | Sms,
}

const sns = new SNSClient({});

function assertNever(value: never): never {
  throw new Error(`unhandled status ${String(value)}`);
}

function notification(status: OrderStatus): { text: string; priority: Priority; channel: Channel } | null {
  switch (status) {
    case OrderStatus.Placed:
      return null;
    case OrderStatus.Paid:
      return { text: "Payment received", priority: Priority.Normal, channel: Channel.Email };
    case OrderStatus.Shipped:
      return { text: "Your order is on its way", priority: Priority.Normal, channel: Channel.Both };
    case OrderStatus.Cancelled:
      return { text: "Your order was cancelled", priority: Priority.High, channel: Channel.Both };
    default:
      return assertNever(status);
  }
}

export async function handler(event: DynamoDBStreamEvent): Promise<void> {
  for (const record of event.Records) {
    const image = record.dynamodb?.NewImage;
    if (!image) continue;
    const order = unmarshall(image as Record<string, AttributeValue>) as { pk: string; status: OrderStatus; phone?: string };
    const note = notification(order.status);
    if (!note) continue;
    await sns.send(
      new PublishCommand({
        TopicArn: process.env.CUSTOMER_TOPIC_ARN,
        Message: note.text,
        MessageAttributes: {
          priority: { DataType: "Number", StringValue: String(note.priority) },
          sms: { DataType: "String", StringValue: note.channel & Channel.Sms ? "yes" : "no" },
        },
      }),
    );
  }
}
