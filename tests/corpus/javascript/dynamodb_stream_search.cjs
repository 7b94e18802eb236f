// DynamoDB stream -> search index via fetch, with a handler defined as a named function.
const { unmarshall } = require("@aws-sdk/util-dynamodb");

const INDEX_URL = process.env.SEARCH_INDEX_URL;

async function indexDocument(doc) {
  const res = await fetch(`${INDEX_URL}/_doc/${encodeURIComponent(doc.pk)}`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(doc),
  });
  if (!res.ok) throw new Error(`index failed: ${res.status}`);
}

async function removeDocument(pk) {
  await fetch(`${INDEX_URL}/_doc/${encodeURIComponent(pk)}`, { method: "DELETE" });
}

async function streamHandler(event) {
  for (const record of event.Records) {
    if (record.eventName === "REMOVE") {
      await removeDocument(unmarshall(record.dynamodb.Keys).pk);
    } else {
      await indexDocument(unmarshall(record.dynamodb.NewImage));
    }
  }
  return { processed: event.Records.length };
}

module.exports.handler = streamHandler;
