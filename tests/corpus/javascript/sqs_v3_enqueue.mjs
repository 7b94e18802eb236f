// API Gateway REST -> SQS FIFO. Uses the request id as the deduplication id.
import { SQSClient, SendMessageCommand, SendMessageBatchCommand } from "@aws-sdk/client-sqs";

const sqs = new SQSClient({ region: process.env.AWS_REGION });
const QUEUE_URL = process.env.JOBS_QUEUE_URL;

export async function handler(event, context) {
  let jobs;
  try {
    jobs = JSON.parse(event.body);
  } catch {
    return { statusCode: 400, body: JSON.stringify({ error: "body must be JSON" }) };
  }

  if (!Array.isArray(jobs)) {
    const res = await sqs.send(
      new SendMessageCommand({
        QueueUrl: QUEUE_URL,
        MessageBody: JSON.stringify(jobs),
        MessageGroupId: jobs.tenant ?? "default",
        MessageDeduplicationId: event.requestContext.requestId,
      }),
    );
    return { statusCode: 202, body: JSON.stringify({ messageId: res.MessageId }) };
  }

  const entries = jobs.slice(0, 10).map((job, i) => ({
    Id: String(i),
    MessageBody: JSON.stringify(job),
    MessageGroupId: job.tenant ?? "default",
    MessageDeduplicationId: `${event.requestContext.requestId}-${i}`,
  }));
  const out = await sqs.send(new SendMessageBatchCommand({ QueueUrl: QUEUE_URL, Entries: entries }));
  return {
    statusCode: out.Failed?.length ? 207 : 202,
    body: JSON.stringify({ accepted: out.Successful?.length ?? 0, failed: out.Failed ?? [] }),
  };
}
