// Returns a presigned PUT URL for a user upload and records the pending upload in S3 metadata.
import { S3Client, PutObjectCommand, HeadObjectCommand } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import crypto from "node:crypto";

const s3 = new S3Client({});
const BUCKET = process.env.UPLOAD_BUCKET;
const MAX_BYTES = Number(process.env.MAX_UPLOAD_BYTES ?? 10 * 1024 * 1024);
const ALLOWED = new Set(["image/png", "image/jpeg", "application/pdf"]);

export const handler = async (event) => {
  const { contentType, size, checksum } = JSON.parse(event.body || "{}");
  if (!ALLOWED.has(contentType) || !(size > 0 && size <= MAX_BYTES)) {
    return { statusCode: 400, body: JSON.stringify({ error: "unsupported upload" }) };
  }

  const userId = event.requestContext.authorizer.claims.sub;
  const key = `uploads/${userId}/${crypto.randomUUID()}`;

  const exists = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key })).then(
    () => true,
    () => false,
  );
  if (exists) return { statusCode: 409, body: "{}" };

  const command = new PutObjectCommand({
    Bucket: BUCKET,
    Key: key,
    ContentType: contentType,
    ContentLength: size,
    ChecksumSHA256: checksum,
    Metadata: { owner: userId },
  });
  const url = await getSignedUrl(s3, command, { expiresIn: 300 });
  return { statusCode: 200, body: JSON.stringify({ url, key }) };
};
