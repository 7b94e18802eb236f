// A Hono app on Workers: typed bindings through c.env, KV and D1, middleware, default export.
import { Hono } from "hono";
import { cors } from "hono/cors";
import { bearerAuth } from "hono/bearer-auth";

type Bindings = {
  KV: KVNamespace;
  DB: D1Database;
  API_TOKEN: string;
};

const app = new Hono<{ Bindings: Bindings }>();

app.use("/api/*", cors({ origin: "https://app.example.com" }));
app.use("/api/admin/*", async (c, next) => bearerAuth({ token: c.env.API_TOKEN })(c, next));

app.get("/", (c) => c.env.KV.get("homepage").then((html) => c.html(html ?? "<h1>Welcome</h1>")));

app.get("/api/flags/:name", async (c) => {
  const value = await c.env.KV.get(`flag:${c.req.param("name")}`);
  return value === null ? c.notFound() : c.json({ enabled: value === "on" });
});

app.put("/api/admin/flags/:name", async (c) => {
  const { enabled } = await c.req.json<{ enabled: boolean }>();
  await c.env.KV.put(`flag:${c.req.param("name")}`, enabled ? "on" : "off");
  return c.body(null, 204);
});

app.get("/api/posts", async (c) => {
  const { results } = await c.env.DB.prepare("SELECT id, title FROM posts ORDER BY id DESC LIMIT 20").all();
  return c.json(results);
});

app.onError((err, c) => {
  console.error(`${c.req.method} ${c.req.path}`, err);
  return c.json({ error: "internal error" }, 500);
});

export default app;
