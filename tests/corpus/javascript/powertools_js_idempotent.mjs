// Powertools for AWS Lambda (TypeScript) used from plain JavaScript with middy.
import { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { Tracer } from "@aws-lambda-powertools/tracer";
import { captureLambdaHandler } from "@aws-lambda-powertools/tracer/middleware";
import { makeHandlerIdempotent } from "@aws-lambda-powertools/idempotency/middleware";
import { IdempotencyConfig } from "@aws-lambda-powertools/idempotency";
import { DynamoDBPersistenceLayer } from "@aws-lambda-powertools/idempotency/dynamodb";
import middy from "@middy/core";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";

const logger = new Logger({ serviceName: "wallet" });
const tracer = new Tracer({ serviceName: "wallet" });
const persistenceStore = new DynamoDBPersistenceLayer({ tableName: process.env.IDEMPOTENCY_TABLE });
const config = new IdempotencyConfig({ eventKeyJmesPath: 'headers."idempotency-key"', expiresAfterSeconds: 600 });
const doc = tracer.captureAWSv3Client(DynamoDBDocumentClient.from(new DynamoDBClient({})));

const topUp = async (event) => {
  const { walletId, amount } = JSON.parse(event.body);
  logger.appendKeys({ walletId });
  const res = await doc.send(
    new UpdateCommand({
      TableName: process.env.WALLETS_TABLE,
      Key: { walletId },
      UpdateExpression: "ADD balance :a",
      ExpressionAttributeValues: { ":a": amount },
      ReturnValues: "UPDATED_NEW",
    }),
  );
  logger.info("topped up", { amount });
  return { statusCode: 200, body: JSON.stringify({ balance: res.Attributes.balance }) };
};

export const handler = middy(topUp)
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger, { logEvent: false, resetKeys: true }))
  .use(makeHandlerIdempotent({ persistenceStore, config }));
