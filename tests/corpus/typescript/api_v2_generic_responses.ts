// HTTP API handler with generic response helpers and a typed route table.
import type {
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyResultV2,
  APIGatewayProxyStructuredResultV2,
} from "aws-lambda";

type Handler<TBody = unknown> = (
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
  body: TBody,
) => Promise<APIGatewayProxyStructuredResultV2>;

interface Problem {
  type: string;
  title: string;
  status: number;
}

function ok<T extends object>(data: T, status: 200 | 201 = 200): APIGatewayProxyStructuredResultV2 {
  return { statusCode: status, headers: { "content-type": "application/json" }, body: JSON.stringify(data) };
}

function problem<P extends Omit<Problem, "type">>(p: P): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: p.status,
    headers: { "content-type": "application/problem+json" },
    body: JSON.stringify({ type: "about:blank", ...p }),
  };
}

function parseBody<T>(raw: string | undefined, fallback: T): T {
  if (!raw) return fallback;
  return JSON.parse(raw) as T;
}

const routes: Record<string, Handler<any>> = {
  "GET /profile": async (event) => ok({ sub: event.requestContext.authorizer.jwt.claims.sub }),
  "PUT /profile": async (event, body: { displayName?: string }) =>
    body.displayName && body.displayName.length <= 40
      ? ok({ updated: true, displayName: body.displayName })
      : problem({ title: "displayName must be 1-40 characters", status: 422 }),
};

export const handler = async (
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
): Promise<APIGatewayProxyResultV2> => {
  const route = routes[event.routeKey];
  if (!route) return problem({ title: `no route ${event.routeKey}`, status: 404 });
  try {
    return await route(event, parseBody<Record<string, unknown>>(event.body, {}));
  } catch (e) {
    if (e instanceof SyntaxError) return problem({ title: "invalid JSON", status: 400 });
    throw e;
  }
};
