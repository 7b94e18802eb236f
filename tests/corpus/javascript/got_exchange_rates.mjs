// Scheduled: fetches exchange rates with got and caches them in S3.
import got from "got";
import { S3Client, PutObjectCommand } from "@aws-sdk/client-s3";

const s3 = new S3Client({});
const api = got.extend({
  prefixUrl: "https://rates.example.com/v1",
  timeout: { request: 5000 },
  retry: { limit: 2, methods: ["GET"] },
  responseType: "json",
});

export const handler = async (event) => {
  const base = event.base ?? "EUR";
  const { body } = await api.get("latest", { searchParams: { base } });
  const day = event.time?.slice(0, 10) ?? new Date().toISOString().slice(0, 10);
  await s3.send(
    new PutObjectCommand({
      Bucket: process.env.RATES_BUCKET,
      Key: `rates/${base}/${day}.json`,
      Body: JSON.stringify(body.rates),
      ContentType: "application/json",
    }),
  );
  const gbp = await got("https://rates.example.com/v1/latest?base=GBP").json();
  return { base, currencies: Object.keys(body.rates).length, gbpUsd: gbp.rates?.USD };
};
