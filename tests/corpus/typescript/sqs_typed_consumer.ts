// SQS consumer with aws-lambda types and a typed partial batch response.
import type { SQSBatchItemFailure, SQSBatchResponse, SQSEvent, SQSRecord, Context } from "aws-lambda";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";

interface ReviewMessage {
  productId: string;
  rating: 1 | 2 | 3 | 4 | 5;
  text?: string;
  author: { id: string; name: string };
}

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const TABLE = process.env.REVIEWS_TABLE!;

function parse(record: SQSRecord): ReviewMessage {
  const value = JSON.parse(record.body) as Partial<ReviewMessage>;
  if (!value.productId || !value.author?.id || typeof value.rating !== "number") {
    throw new TypeError(`malformed review in ${record.messageId}`);
  }
  return value as ReviewMessage;
}

export const handler = async (event: SQSEvent, _context: Context): Promise<SQSBatchResponse> => {
  const batchItemFailures: SQSBatchItemFailure[] = [];
  for (const record of event.Records) {
    try {
      const review = parse(record);
      await doc.send(
        new PutCommand({
          TableName: TABLE,
          Item: {
            pk: `PRODUCT#${review.productId}`,
            sk: `REVIEW#${review.author.id}`,
            rating: review.rating,
            text: review.text?.slice(0, 2000) ?? "",
            messageId: record.messageId,
          },
        }),
      );
    } catch (err: unknown) {
      console.error("review failed", { messageId: record.messageId, err: (err as Error).message });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
};
