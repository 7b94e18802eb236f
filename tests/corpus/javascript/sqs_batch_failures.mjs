// SQS consumer with ReportBatchItemFailures: only failed messages return to the queue.
import { DynamoDBClient, ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));

async function recordPayment(message, messageId) {
  await doc.send(
    new PutCommand({
      TableName: process.env.PAYMENTS_TABLE,
      Item: { pk: `PAY#${message.paymentId}`, amount: message.amount, sourceMessage: messageId },
      ConditionExpression: "attribute_not_exists(pk)",
    }),
  );
}

export const handler = async (event) => {
  const batchItemFailures = [];
  for (const record of event.Records) {
    try {
      await recordPayment(JSON.parse(record.body), record.messageId);
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) {
        continue; // already recorded by an earlier delivery
      }
      console.error(JSON.stringify({ level: "error", messageId: record.messageId, error: err.message }));
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
};
