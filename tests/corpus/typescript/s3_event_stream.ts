// S3 ObjectCreated (NDJSON logs) -> line counts per level, streamed with for await.
import type { S3Event, S3Handler } from "aws-lambda";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";

const s3 = new S3Client({});
type Level = "debug" | "info" | "warn" | "error";

async function countLevels(body: Readable): Promise<Map<Level, number>> {
  const counts = new Map<Level, number>();
  const lines = createInterface({ input: body, crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    try {
      const level = (JSON.parse(line).level ?? "info") as Level;
      counts.set(level, (counts.get(level) ?? 0) + 1);
    } catch {
      counts.set("error", (counts.get("error") ?? 0) + 1);
    }
  }
  return counts;
}

export const handler: S3Handler = async (event: S3Event) => {
  await Promise.all(
    event.Records.map(async ({ s3: { bucket, object } }) => {
      const key = decodeURIComponent(object.key.replace(/\+/g, " "));
      const res = await s3.send(new GetObjectCommand({ Bucket: bucket.name, Key: key }));
      const counts = await countLevels(res.Body as Readable);
      await s3.send(
        new PutObjectCommand({
          Bucket: process.env.SUMMARY_BUCKET,
          Key: `summaries/${key}.json`,
          Body: JSON.stringify(Object.fromEntries(counts)),
        }),
      );
    }),
  );
};
