// Explicit resource management (`using` / `await using`, TypeScript 5.2) in a Lambda handler.
import type { Context } from "aws-lambda";
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { S3Client, GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";

const s3 = new S3Client({});

class ScratchDir implements Disposable {
  readonly path = mkdtempSync(join(tmpdir(), "job-"));
  file(name: string): string {
    return join(this.path, name);
  }
  [Symbol.dispose](): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

class Timer implements AsyncDisposable {
  private readonly started = performance.now();
  constructor(private readonly label: string) {}
  async [Symbol.asyncDispose](): Promise<void> {
    console.log(JSON.stringify({ label: this.label, ms: Math.round(performance.now() - this.started) }));
  }
}

interface ConvertRequest {
  bucket: string;
  key: string;
}

export async function handler(event: ConvertRequest, context: Context): Promise<{ key: string; bytes: number }> {
  await using _timer = new Timer(context.awsRequestId);
  using scratch = new ScratchDir();

  const obj = await s3.send(new GetObjectCommand({ Bucket: event.bucket, Key: event.key }));
  const text = (await obj.Body!.transformToString()).replace(/\r\n/g, "\n");
  const out = scratch.file("normalised.txt");
  writeFileSync(out, text, "utf8");

  const normalised = readFileSync(out);
  const key = event.key.replace(/(\.[^.]+)?$/, ".lf$1");
  await s3.send(new PutObjectCommand({ Bucket: event.bucket, Key: key, Body: normalised }));
  return { key, bytes: normalised.byteLength };
}
