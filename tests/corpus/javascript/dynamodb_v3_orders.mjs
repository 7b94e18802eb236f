// HTTP API (payload 2.0) backed by DynamoDB through the v3 document client.
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from "@aws-sdk/lib-dynamodb";
import { randomUUID } from "node:crypto";

const client = new DynamoDBClient({});
const doc = DynamoDBDocumentClient.from(client, {
  marshallOptions: { removeUndefinedValues: true },
});
const TABLE = process.env.ORDERS_TABLE;

const json = (statusCode, body) => ({
  statusCode,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

export const handler = async (event) => {
  const method = event.requestContext.http.method;
  const customerId = event.requestContext.authorizer?.jwt?.claims?.sub ?? "anonymous";

  if (method === "GET" && event.pathParameters?.id) {
    const { Item } = await doc.send(
      new GetCommand({ TableName: TABLE, Key: { pk: `ORDER#${event.pathParameters.id}` } }),
    );
    return Item ? json(200, Item) : json(404, { message: "not found" });
  }

  if (method === "GET") {
    const { Items = [] } = await doc.send(
      new QueryCommand({
        TableName: TABLE,
        IndexName: "byCustomer",
        KeyConditionExpression: "customerId = :c",
        ExpressionAttributeValues: { ":c": customerId },
      }),
    );
    return json(200, { orders: Items });
  }

  if (method === "POST") {
    const input = JSON.parse(event.body ?? "{}");
    const order = { pk: `ORDER#${randomUUID()}`, customerId, items: input.items ?? [], createdAt: Date.now() };
    await doc.send(new PutCommand({ TableName: TABLE, Item: order }));
    return json(201, order);
  }

  return json(405, { message: `${method} not allowed` });
};
