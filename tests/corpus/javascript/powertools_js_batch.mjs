// Kinesis consumer with Powertools BatchProcessor and processPartialResponse.
import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import { Logger } from "@aws-lambda-powertools/logger";
import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";

const processor = new BatchProcessor(EventType.KinesisDataStreams);
const logger = new Logger();
const ddb = new DynamoDBClient({});

const recordHandler = async (record) => {
  const reading = JSON.parse(Buffer.from(record.kinesis.data, "base64").toString("utf8"));
  if (typeof reading.celsius !== "number") {
    throw new Error(`bad reading from ${reading.sensorId}`);
  }
  await ddb.send(
    new PutItemCommand({
      TableName: process.env.READINGS_TABLE,
      Item: {
        sensorId: { S: reading.sensorId },
        ts: { N: String(reading.ts) },
        celsius: { N: String(reading.celsius) },
        seq: { S: record.kinesis.sequenceNumber },
      },
    }),
  );
  logger.debug("stored", { sensor: reading.sensorId });
};

export const handler = async (event, context) =>
  processPartialResponse(event, recordHandler, processor, { context });
