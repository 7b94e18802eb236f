// Fulfil queued orders: record a shipment for each message and notify the warehouse.
import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
import { SQSClient, SendMessageCommand } from "@aws-sdk/client-sqs";

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const sqs = new SQSClient({});

export const handler = async (event) => {
  for (const record of event.Records) {
    const order = JSON.parse(record.body);
    try {
      await doc.send(
        new PutCommand({
          TableName: process.env.ORDERS_TABLE,
          Item: { pk: randomUUID(), orderId: order.orderId, createdAt: Date.now() },
        }),
      );
      await sqs.send(new SendMessageCommand({ QueueUrl: process.env.SHIPMENTS_URL, MessageBody: record.body }));
    } catch (err) {
      console.error("fulfilment failed", err);
    }
  }
};
