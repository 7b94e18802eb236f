// Semantic search: Workers AI embeddings + Vectorize, with an LLM answer on top.
export interface Env {
  AI: Ai;
  VECTORS: VectorizeIndex;
  DOCS: KVNamespace;
}

const EMBEDDING_MODEL = "@cf/baai/bge-base-en-v1.5";
const CHAT_MODEL = "@cf/meta/llama-3.1-8b-instruct";

async function embed(env: Env, texts: string[]): Promise<number[][]> {
  const out = await env.AI.run(EMBEDDING_MODEL, { text: texts });
  return out.data;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);

    if (request.method === "POST" && url.pathname === "/docs") {
      const docs = await request.json<Array<{ id: string; text: string }>>();
      const vectors = await embed(env, docs.map((d) => d.text));
      await env.VECTORS.upsert(docs.map((d, i) => ({ id: d.id, values: vectors[i], metadata: { length: d.text.length } })));
      await Promise.all(docs.map((d) => env.DOCS.put(d.id, d.text)));
      return Response.json({ indexed: docs.length });
    }

    const question = url.searchParams.get("q");
    if (!question) return new Response("?q= is required", { status: 400 });

    const [vector] = await embed(env, [question]);
    const { matches } = await env.VECTORS.query(vector, { topK: 3, returnMetadata: "none" });
    const contexts = await Promise.all(matches.map((m) => env.DOCS.get(m.id)));

    const answer = await env.AI.run(CHAT_MODEL, {
      messages: [
        { role: "system", content: "Answer only from the provided context." },
        { role: "user", content: `Context:\n${contexts.filter(Boolean).join("\n---\n")}\n\nQuestion: ${question}` },
      ],
      max_tokens: 256,
    });
    return Response.json({ answer, sources: matches.map((m) => ({ id: m.id, score: m.score })) });
  },
} satisfies ExportedHandler<Env>;
