// corpus: tree-sitter-gap
// REST handler with vitest in-source tests. The typed `importOriginal<typeof import("./db")>()`
// call in vi.mock is valid TypeScript that tree-sitter-typescript 0.23 does not parse.
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import { getUser } from "./db";

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const id = event.pathParameters?.userId;
  if (!id) {
    return { statusCode: 400, body: JSON.stringify({ error: "userId is required" }) };
  }
  const user = await getUser(id);
  return user
    ? { statusCode: 200, body: JSON.stringify({ id: user.id, name: user.name }) }
    : { statusCode: 404, body: JSON.stringify({ error: "not found" }) };
};

if (import.meta.vitest) {
  const { describe, it, expect, vi } = import.meta.vitest;

  vi.mock(import("./db"), async (importOriginal) => ({
    ...(await importOriginal<typeof import("./db")>()),
    getUser: vi.fn(async (id: string) => (id === "u1" ? { id, name: "Ada" } : undefined)),
  }));

  describe("handler", () => {
    it("returns 400 without a user id", async () => {
      const res = await handler({ pathParameters: null } as unknown as APIGatewayProxyEvent);
      expect(res.statusCode).toBe(400);
    });
    it("returns the user", async () => {
      const res = await handler({ pathParameters: { userId: "u1" } } as unknown as APIGatewayProxyEvent);
      expect(JSON.parse(res.body)).toEqual({ id: "u1", name: "Ada" });
    });
  });
}
