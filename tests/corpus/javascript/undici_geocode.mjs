// Geocodes an address with undici's request() and a keep-alive Agent with explicit timeouts.
import { Agent, request } from "undici";

const agent = new Agent({ keepAliveTimeout: 10_000, connectTimeout: 2_000 });
const GEOCODER = process.env.GEOCODER_URL ?? "https://geocode.example.com/search";

export const handler = async (event) => {
  const q = event.queryStringParameters?.q?.trim();
  if (!q) {
    return { statusCode: 400, body: JSON.stringify({ error: "q is required" }) };
  }
  const { statusCode, body } = await request(`${GEOCODER}?${new URLSearchParams({ q, limit: "1" })}`, {
    method: "GET",
    dispatcher: agent,
    headersTimeout: 3_000,
    bodyTimeout: 3_000,
  });
  if (statusCode !== 200) {
    await body.dump();
    return { statusCode: 502, body: JSON.stringify({ error: "geocoder unavailable" }) };
  }
  const [hit] = await body.json();
  return {
    statusCode: hit ? 200 : 404,
    body: JSON.stringify(hit ? { lat: Number(hit.lat), lon: Number(hit.lon), label: hit.display_name } : { error: "no match" }),
  };
};
