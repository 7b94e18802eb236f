// Exports queued reports to the warehouse; the function URL lets the warehouse pull one on demand.
import { S3Client, PutObjectCommand } from "@aws-sdk/client-s3";
import axios from "axios";

const s3 = new S3Client({});
const warehouse = axios.create({ baseURL: process.env.WAREHOUSE_URL, timeout: 45000 });

export const handler = async (event) => {
  if (event.Records) {
    for (const record of event.Records) {
      const report = JSON.parse(record.body);
      await warehouse.post("/reports", report);
      await s3.send(new PutObjectCommand({ Bucket: process.env.EXPORT_BUCKET, Key: `${report.pk}.json`, Body: record.body }));
    }
    return {};
  }
  const key = event.queryStringParameters?.key ?? "latest";
  return { statusCode: 200, headers: { "content-type": "application/json" }, body: JSON.stringify({ key }) };
};
