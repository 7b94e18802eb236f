// itty-router v5 API over KV: AutoRouter handles JSON responses and 404s.
import { AutoRouter, error, json } from "itty-router";

const router = AutoRouter();

const withBook = async (request, env) => {
  const raw = await env.BOOKS.get(`book:${request.params.id}`);
  if (!raw) return error(404, "no such book");
  request.book = JSON.parse(raw);
};

router
  .get("/books", async (request, env) => {
    const { keys } = await env.BOOKS.list({ prefix: "book:" });
    return keys.map((k) => k.name.slice(5));
  })
  .get("/books/:id", withBook, (request) => request.book)
  .post("/books", async (request, env) => {
    const book = await request.json();
    if (!book.id || !book.title) return error(400, "id and title are required");
    await env.BOOKS.put(`book:${book.id}`, JSON.stringify(book), { expirationTtl: 86400 * 365 });
    return json(book, { status: 201 });
  })
  .delete("/books/:id", withBook, async (request, env) => {
    await env.BOOKS.delete(`book:${request.params.id}`);
    return new Response(null, { status: 204 });
  });

export default { ...router };
