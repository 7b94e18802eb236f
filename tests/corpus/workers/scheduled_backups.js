// Cron Triggers: nightly D1 export to R2 and an hourly KV cleanup, dispatched on controller.cron.
async function exportTable(env, table) {
  const { results } = await env.DB.prepare(`SELECT * FROM ${table}`).all();
  const key = `backups/${new Date().toISOString().slice(0, 10)}/${table}.json`;
  await env.BACKUPS.put(key, JSON.stringify(results), { httpMetadata: { contentType: "application/json" } });
  return { table, rows: results.length };
}

async function pruneKv(env) {
  let cursor;
  let removed = 0;
  do {
    const page = await env.TOKENS.list({ prefix: "tmp:", cursor });
    for (const { name, expiration } of page.keys) {
      if (!expiration) {
        await env.TOKENS.delete(name);
        removed++;
      }
    }
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return removed;
}

export default {
  async scheduled(controller, env, ctx) {
    switch (controller.cron) {
      case "0 3 * * *": {
        const tables = env.BACKUP_TABLES.split(",").filter(Boolean);
        const results = await Promise.all(tables.map((t) => exportTable(env, t)));
        console.log("backup done", JSON.stringify(results));
        break;
      }
      case "0 * * * *":
        ctx.waitUntil(pruneKv(env).then((n) => console.log(`pruned ${n} tokens`)));
        break;
      default:
        console.warn(`no job for cron ${controller.cron}`);
    }
  },

  async fetch() {
    return new Response("this worker only runs on a schedule", { status: 404 });
  },
};
