// Configuration typed with `satisfies`, `as const`, optional chaining and non-null assertions.
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";

type Region = "eu-west-1" | "us-east-1" | "ap-northeast-2";
type Limits = { rps: number; burst: number };

const PLANS = {
  free: { rps: 5, burst: 10 },
  pro: { rps: 50, burst: 100 },
  enterprise: { rps: 500, burst: 1000 },
} as const satisfies Record<string, Limits>;

type Plan = keyof typeof PLANS;

const REGION_LABELS = {
  "eu-west-1": "Ireland",
  "us-east-1": "N. Virginia",
  "ap-northeast-2": "Seoul",
} satisfies Record<Region, string>;

const STAGE = process.env.STAGE!;
const DEFAULT_PLAN = (process.env.DEFAULT_PLAN ?? "free") as Plan;

function isPlan(value: string | undefined): value is Plan {
  return value !== undefined && Object.hasOwn(PLANS, value);
}

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const requested = event.queryStringParameters?.plan;
  const plan: Plan = isPlan(requested) ? requested : DEFAULT_PLAN;
  const region = (event.requestContext.identity?.sourceIp?.startsWith("10.") ? "eu-west-1" : process.env.AWS_REGION) as Region;
  const claims = event.requestContext.authorizer?.claims as Record<string, string> | undefined;
  const tenant = claims?.["custom:tenant"] ?? event.headers!["x-tenant"]!.toLowerCase();

  return {
    statusCode: 200,
    body: JSON.stringify({
      stage: STAGE,
      tenant,
      plan,
      limits: PLANS[plan],
      region: REGION_LABELS[region] ?? region,
    }),
  };
};
