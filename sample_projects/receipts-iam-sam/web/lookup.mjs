// Partners look a receipt up by id.
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";

const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = async (event) => {
  const { Item } = await db.send(new GetCommand({ TableName: process.env.RECEIPTS_TABLE, Key: { pk: event.receiptId } }));
  return Item ?? null;
};
