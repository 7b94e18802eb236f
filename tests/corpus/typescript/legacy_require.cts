// CommonJS TypeScript (.cts) with `import = require` and a named export handler.
import crypto = require("node:crypto");
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";

const WEBHOOK_SECRET = process.env.GITHUB_WEBHOOK_SECRET ?? "fake-webhook-secret";

function verify(body: string, signature: string | undefined): boolean {
  if (!signature?.startsWith("sha256=")) return false;
  const expected = Buffer.from("sha256=" + crypto.createHmac("sha256", WEBHOOK_SECRET).update(body).digest("hex"));
  const given = Buffer.from(signature);
  return expected.length === given.length && crypto.timingSafeEqual(expected, given);
}

export async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const body = event.body ?? "";
  if (!verify(body, event.headers["X-Hub-Signature-256"] ?? event.headers["x-hub-signature-256"])) {
    return { statusCode: 401, body: "bad signature" };
  }
  const kind = event.headers["X-GitHub-Event"] ?? event.headers["x-github-event"];
  const payload = JSON.parse(body) as { action?: string; repository?: { full_name: string } };
  console.log(`github ${kind}/${payload.action ?? "-"} for ${payload.repository?.full_name ?? "?"}`);
  return { statusCode: 204, body: "" };
}
