// CommonJS handler: fetches an API key from Secrets Manager once per execution environment.
"use strict";

const { SecretsManagerClient, GetSecretValueCommand } = require("@aws-sdk/client-secrets-manager");

const client = new SecretsManagerClient({});
let cachedKey;

async function apiKey() {
  if (!cachedKey) {
    const res = await client.send(
      new GetSecretValueCommand({ SecretId: process.env.PARTNER_SECRET_ARN }),
    );
    cachedKey = JSON.parse(res.SecretString).apiKey;
  }
  return cachedKey;
}

exports.handler = async function (event) {
  const key = await apiKey();
  const sku = event.pathParameters.sku;
  const res = await fetch(`https://partner.example.com/stock/${encodeURIComponent(sku)}`, {
    headers: { "x-api-key": key },
    signal: AbortSignal.timeout(3000),
  });
  if (!res.ok) {
    return { statusCode: 502, body: JSON.stringify({ error: `partner returned ${res.status}` }) };
  }
  const stock = await res.json();
  return { statusCode: 200, body: JSON.stringify({ sku, available: stock.quantity > 0 }) };
};
