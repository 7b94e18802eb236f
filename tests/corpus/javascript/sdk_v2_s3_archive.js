// S3 ObjectCreated -> gzip copy into an archive bucket, v2 SDK, callback-free async handler.
const AWS = require("aws-sdk");
const zlib = require("zlib");
const { promisify } = require("util");

const gzip = promisify(zlib.gzip);
const s3 = new AWS.S3({ apiVersion: "2006-03-01" });
const ARCHIVE = process.env.ARCHIVE_BUCKET;

module.exports.handler = async (event) => {
  const results = [];
  for (const record of event.Records) {
    const Bucket = record.s3.bucket.name;
    const Key = decodeURIComponent(record.s3.object.key.replace(/\+/g, " "));
    const original = await s3.getObject({ Bucket, Key }).promise();
    const compressed = await gzip(original.Body);
    await s3
      .putObject({
        Bucket: ARCHIVE,
        Key: `${Key}.gz`,
        Body: compressed,
        ContentEncoding: "gzip",
        ContentType: original.ContentType,
      })
      .promise();
    await s3.deleteObject({ Bucket, Key }).promise();
    results.push({ Key, ratio: compressed.length / original.ContentLength });
  }
  return results;
};
