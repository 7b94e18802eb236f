// POST /orders: accept an order and charge it.
import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const TABLE = process.env.ORDERS_TABLE;

function json(statusCode, body) {
  return { statusCode, headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
}

export const handler = async (event) => {
  console.log("request", JSON.stringify(event));

  const idempotencyKey = event.headers?.["idempotency-key"];
  if (!idempotencyKey) {
    return json(400, { error: "idempotency_key_required" });
  }

  const body = JSON.parse(event.body);
  if (!Number.isFinite(body.amount) || typeof body.currency !== "string") {
    return json(400, { error: "invalid_order" });
  }

  const charge = await fetch(process.env.PAYMENTS_URL, {
    method: "POST",
    headers: { authorization: `Bearer ${process.env.PAYMENTS_API_KEY}` },
    body: JSON.stringify({ amount: body.amount, currency: body.currency, email: body.email }),
  });
  console.log(`charged ${body.email} with key ${process.env.PAYMENTS_API_KEY}`);

  const order = { pk: randomUUID(), status: "accepted", amount: body.amount, currency: body.currency };
  await doc.send(new PutCommand({ TableName: TABLE, Item: order }));
  return json(charge.ok ? 202 : 502, order);
};
