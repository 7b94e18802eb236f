// Class-based handler with Powertools decorators (Logger, Tracer, Metrics).
import type { LambdaInterface } from "@aws-lambda-powertools/commons/types";
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { Tracer } from "@aws-lambda-powertools/tracer";
import type { Context, S3Event } from "aws-lambda";
import { S3Client, GetObjectCommand, PutObjectTaggingCommand } from "@aws-sdk/client-s3";

const logger = new Logger({ serviceName: "scanner" });
const tracer = new Tracer({ serviceName: "scanner" });
const metrics = new Metrics({ namespace: "Uploads", serviceName: "scanner" });
const s3 = tracer.captureAWSv3Client(new S3Client({}));

const SIGNATURES: ReadonlyArray<[string, RegExp]> = [
  ["eicar", /X5O!P%@AP\[4\\PZX54\(P\^\)7CC\)7\}\$EICAR/],
  ["php-shell", /<\?php\s+(system|exec|passthru)\(/i],
];

class ScanHandler implements LambdaInterface {
  private scanned = 0;

  @tracer.captureMethod()
  private async scan(bucket: string, key: string): Promise<string | undefined> {
    const obj = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: "bytes=0-65535" }));
    const head = (await obj.Body?.transformToString("latin1")) ?? "";
    return SIGNATURES.find(([, re]) => re.test(head))?.[0];
  }

  @tracer.captureLambdaHandler()
  @metrics.logMetrics({ captureColdStartMetric: true })
  @logger.injectLambdaContext({ logEvent: true })
  public async handler(event: S3Event, _context: Context): Promise<{ infected: number }> {
    let infected = 0;
    for (const record of event.Records) {
      const { bucket, object } = record.s3;
      const hit = await this.scan(bucket.name, object.key);
      this.scanned++;
      await s3.send(
        new PutObjectTaggingCommand({
          Bucket: bucket.name,
          Key: object.key,
          Tagging: { TagSet: [{ Key: "scan", Value: hit ? `infected:${hit}` : "clean" }] },
        }),
      );
      if (hit) {
        infected++;
        logger.warn("infected upload", { key: object.key, signature: hit });
      }
    }
    metrics.addMetric("Infected", MetricUnit.Count, infected);
    return { infected };
  }
}

const handlerClass = new ScanHandler();
export const handler = handlerClass.handler.bind(handlerClass);
