// A generic DynamoDB repository used by a Cognito-authorised REST handler.
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";

interface Entity {
  pk: string;
  updatedAt?: string;
}

interface Address extends Entity {
  line1: string;
  city: string;
  postcode: string;
}

class Repository<T extends Entity, K extends keyof T = "pk"> {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly keyName: K,
  ) {}

  async get(key: T[K]): Promise<T | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: { [this.keyName]: key } }));
    return out.Item as T | undefined;
  }

  async save(entity: T): Promise<T> {
    const stamped = { ...entity, updatedAt: new Date().toISOString() } satisfies T;
    await this.doc.send(new PutCommand({ TableName: this.table, Item: stamped }));
    return stamped;
  }

  async remove(key: T[K]): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.table, Key: { [this.keyName]: key } }));
  }
}

const addresses = new Repository<Address>(
  DynamoDBDocumentClient.from(new DynamoDBClient({})),
  process.env.ADDRESSES_TABLE ?? "addresses",
  "pk",
);

export async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const owner = `USER#${event.requestContext.authorizer?.claims.sub as string}`;
  switch (event.httpMethod) {
    case "GET": {
      const found = await addresses.get(owner);
      return found ? { statusCode: 200, body: JSON.stringify(found) } : { statusCode: 404, body: "{}" };
    }
    case "PUT": {
      const input = JSON.parse(event.body ?? "{}") as Omit<Address, "pk">;
      return { statusCode: 200, body: JSON.stringify(await addresses.save({ ...input, pk: owner })) };
    }
    case "DELETE":
      await addresses.remove(owner);
      return { statusCode: 204, body: "" };
    default:
      return { statusCode: 405, body: "" };
  }
}
