// ESM-only TypeScript (.mts): health/status endpoint aggregating dependency checks.
import type { APIGatewayProxyHandlerV2 } from "aws-lambda";
import { DynamoDBClient, DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { SQSClient, GetQueueAttributesCommand } from "@aws-sdk/client-sqs";

const ddb = new DynamoDBClient({});
const sqs = new SQSClient({});

type Check = { name: string; ok: boolean; detail?: string };

const checks: Array<() => Promise<Check>> = [
  async () => {
    const t = await ddb.send(new DescribeTableCommand({ TableName: process.env.TABLE_NAME }));
    return { name: "dynamodb", ok: t.Table?.TableStatus === "ACTIVE", detail: t.Table?.TableStatus };
  },
  async () => {
    const q = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: process.env.QUEUE_URL, AttributeNames: ["ApproximateNumberOfMessages"] }),
    );
    const depth = Number(q.Attributes?.ApproximateNumberOfMessages ?? 0);
    return { name: "queue", ok: depth < 10_000, detail: `${depth} waiting` };
  },
];

const started = Date.now();

export const handler: APIGatewayProxyHandlerV2 = async () => {
  const results = await Promise.allSettled(checks.map((check) => check()));
  const report = results.map((r, i): Check =>
    r.status === "fulfilled" ? r.value : { name: `check-${i}`, ok: false, detail: String(r.reason) },
  );
  const healthy = report.every((c) => c.ok);
  return {
    statusCode: healthy ? 200 : 503,
    headers: { "cache-control": "no-store" },
    body: JSON.stringify({ healthy, uptimeSeconds: Math.round((Date.now() - started) / 1000), report }),
  };
};
