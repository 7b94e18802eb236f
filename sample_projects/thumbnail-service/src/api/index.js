import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, ScanCommand, GetCommand } from "@aws-sdk/lib-dynamodb";

const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const TABLE = process.env.THUMBNAILS_TABLE;

export const handler = async (event) => {
  const method = event.requestContext.http.method;
  if (method === "GET" && event.queryStringParameters?.key) {
    const { Item } = await db.send(new GetCommand({ TableName: TABLE, Key: { key: event.queryStringParameters.key } }));
    return { statusCode: Item ? 200 : 404, body: JSON.stringify(Item ?? { error: "not_found" }) };
  }
  if (method === "GET") {
    const { Items } = await db.send(new ScanCommand({ TableName: TABLE, Limit: 50 }));
    console.log(`listed ${Items.length} thumbnails`);
    return { statusCode: 200, body: JSON.stringify(Items) };
  }
};
