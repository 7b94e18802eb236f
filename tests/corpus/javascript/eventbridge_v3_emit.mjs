// DynamoDB stream -> EventBridge domain events, in chunks of 10.
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { unmarshall } from "@aws-sdk/util-dynamodb";

const eventBridge = new EventBridgeClient({});
const BUS_NAME = process.env.BUS_NAME ?? "orders";

const chunk = (arr, size) =>
  Array.from({ length: Math.ceil(arr.length / size) }, (_, i) => arr.slice(i * size, i * size + size));

export const handler = async (event) => {
  const entries = event.Records.filter((r) => r.eventName !== "REMOVE").map((r) => {
    const image = unmarshall(r.dynamodb.NewImage);
    return {
      EventBusName: BUS_NAME,
      Source: "orders.table",
      DetailType: r.eventName === "INSERT" ? "OrderCreated" : "OrderUpdated",
      Detail: JSON.stringify({ id: image.pk, status: image.status, version: image.version }),
    };
  });

  let failed = 0;
  for (const batch of chunk(entries, 10)) {
    const res = await eventBridge.send(new PutEventsCommand({ Entries: batch }));
    failed += res.FailedEntryCount ?? 0;
  }
  if (failed > 0) throw new Error(`${failed} events failed to publish`);
  return { sent: entries.length };
};
