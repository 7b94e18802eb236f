"""Bare tree-sitter parsing vs. full ``analyze_javascript`` on a set of JS/TS files.

    python bench/bench_js_analysis.py                 # a few hundred generated handlers
    python bench/bench_js_analysis.py path/a path/b   # every .js/.mjs/.cjs/.jsx/.ts/.mts/.cts/.tsx
                                                      # under the folders (no node_modules, .d.ts)

Each measurement is the best of ``--repeat`` runs over the whole set, parse and analysis taking
turns (the minimum is the least disturbed by other work on the machine, and taking turns exposes
both to the same load). The target is full analysis <= 2x the bare parse. The first line says
which analyzer ran: the pure-Python one, or the compiled build (slsreview/analysis/javascript's
docstring; ``SLSREVIEW_PURE_PYTHON=1`` measures the pure one beside a build).

``--floors`` also measures lower bounds of any Python-side analysis, against the same parse:

- *parse + touch nodes*: the parse, then every named node fetched once from Python
  (``named_children`` from the root down), which any walk over the whole tree pays;
- *parse + build facts*: the parse, then the file's facts rebuilt from a pickle (one constructor
  call per fact and Location, driven by pickle's C loop): what producing these facts costs
  before any analysis decides anything;
- *parse + query + build facts*: the parse, one tree-sitter query (compiled once) capturing every
  node these facts are made from (calls, constructions, imports, functions, declarations,
  assignments, member reads, returns, try statements, awaits, exports), each capture touched
  once, then the facts rebuilt as above: the query-driven design without a single decision;
- *parse + touch + build facts*: the same for a walk over the whole tree.

The last two are what a Python analyser that produces these facts cannot go below.
"""

from __future__ import annotations

import argparse
import os
import pickle
import random
import sys
import time
from collections.abc import Callable

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from slsreview.analysis import javascript, treesitter
from slsreview.analysis.javascript import analyze_javascript

_EXTENSIONS = (".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx")

# Every node kind the facts are made from; the query floor captures them all.
_FACT_NODES = """
[(call_expression) (new_expression) (import_statement) (function_declaration) (arrow_function)
 (method_definition) (variable_declarator) (assignment_expression) (member_expression)
 (return_statement) (try_statement) (await_expression) (export_statement)] @node
"""

# Building blocks of generated handlers: the shapes the analyser has to understand.
_LAMBDA_TEMPLATE = """\
import {{ DynamoDBClient }} from "@aws-sdk/client-dynamodb";
import {{ DynamoDBDocumentClient, PutCommand, GetCommand }} from "@aws-sdk/lib-dynamodb";
import {{ SQSClient, SendMessageCommand }} from "@aws-sdk/client-sqs";
import {{ randomUUID }} from "node:crypto";
import axios from "axios";

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({{}}));
const sqs = new SQSClient({{}});
const TABLE = process.env.TABLE_{n} ?? "orders";
const seen{n} = new Set();

async function load{n}(id) {{
  const res = await doc.send(new GetCommand({{ TableName: TABLE, Key: {{ pk: id }} }}));
  return res.Item;
}}

export const handler = async (event, context) => {{
  const failures = [];
  for (const record of event.Records) {{
    try {{
      const body = JSON.parse(record.body);
      const existing = await load{n}(body.id);
      if (existing) {{
        console.log("duplicate", record.messageId);
        continue;
      }}
      seen{n}.add(record.messageId);
      await doc.send(new PutCommand({{
        TableName: TABLE,
        Item: {{ pk: body.id ?? randomUUID(), at: Date.now(), total: body.items.reduce((s, i) => s + i.price, 0) }},
      }}));
      await sqs.send(new SendMessageCommand({{ QueueUrl: process.env.QUEUE_URL, MessageBody: JSON.stringify(body) }}));
      await axios.post(`https://hooks.example.com/${{body.id}}`, {{ id: body.id }}, {{ timeout: {timeout} }});
    }} catch (err) {{
      console.error("failed", err);
      failures.push({{ itemIdentifier: record.messageId }});
    }}
  }}
  return {{ batchItemFailures: failures }};
}};
"""

_WORKER_TEMPLATE = """\
interface Env {{
  CACHE: KVNamespace;
  DB: D1Database;
  API_KEY: string;
}}

export default {{
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {{
    const url = new URL(request.url);
    if (request.headers.get("x-api-key") !== env.API_KEY) {{
      return new Response("unauthorized", {{ status: 401 }});
    }}
    const cached = await env.CACHE.get(url.pathname);
    if (cached) return new Response(cached);
    const {{ results }} = await env.DB.prepare("SELECT * FROM items_{n} WHERE id = ?")
      .bind(url.searchParams.get("id"))
      .all();
    ctx.waitUntil(env.CACHE.put(url.pathname, JSON.stringify(results), {{ expirationTtl: 60 }}));
    try {{
      const upstream = await fetch("https://api.example.com/{n}", {{ signal: AbortSignal.timeout({timeout}) }});
      return Response.json({{ results, upstream: await upstream.json() }});
    }} catch (e) {{
      return Response.json({{ error: String(e) }}, {{ status: 502 }});
    }}
  }},
}};
"""


def generated(count: int) -> list[tuple[str, str]]:
    rng = random.Random(7)
    files = []
    for n in range(count):
        template, ext = (_LAMBDA_TEMPLATE, ".mjs") if n % 2 else (_WORKER_TEMPLATE, ".ts")
        files.append(
            (f"gen/handler{n}{ext}", template.format(n=n, timeout=rng.choice([1000, 5000])))
        )
    return files


def collect(folders: list[str]) -> list[tuple[str, str]]:
    files = []
    for folder in folders:
        for root, dirs, names in os.walk(folder):
            dirs[:] = [d for d in dirs if d not in ("node_modules", ".git")]
            for name in sorted(names):
                if name.endswith(_EXTENSIONS) and not name.endswith(".d.ts"):
                    path = os.path.join(root, name)
                    with open(path, encoding="utf-8", errors="replace") as handle:
                        files.append((path, handle.read()))
    return files


def best_of_interleaved(repeat: int, runs: list[Callable[[], None]]) -> list[float]:
    """The best time of each run, measured in turns so that all of them see the same load."""
    best = [float("inf")] * len(runs)
    for _ in range(repeat):
        for index, run in enumerate(runs):
            start = time.perf_counter()
            run()
            best[index] = min(best[index], time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", help="folders of JS/TS files (default: generated)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--generate", type=int, default=300, help="how many handlers to generate")
    parser.add_argument("--floors", action="store_true", help="also measure the lower bounds")
    options = parser.parse_args()

    files = collect(options.folders) if options.folders else generated(options.generate)
    jobs = [(path, text, treesitter.dialect_for_path(path) or "javascript") for path, text in files]
    size = sum(len(text.encode()) for _, text, _ in jobs)
    for _, text, dialect in jobs[:3]:  # build the grammars before timing
        analyze_javascript("warmup", text, dialect)

    def parse_all() -> None:
        for _, text, dialect in jobs:
            treesitter.parse(text, dialect)

    def analyse_all() -> None:
        for path, text, dialect in jobs:
            analyze_javascript(path, text, dialect)

    runs = [parse_all, analyse_all]
    if options.floors:
        pickled = [pickle.dumps(analyze_javascript(path, text, dialect)) for path, text, dialect in jobs]

        def touch_all() -> None:
            for _, text, dialect in jobs:
                stack = [treesitter.parse(text, dialect).root]
                while stack:
                    stack.extend(treesitter.named_children(stack.pop()))

        def build_all() -> None:
            for (_, text, dialect), blob in zip(jobs, pickled, strict=True):
                treesitter.parse(text, dialect)
                pickle.loads(blob)

        def query_build_all() -> None:
            for (_, text, dialect), blob in zip(jobs, pickled, strict=True):
                for nodes in treesitter.query(dialect, _FACT_NODES)(treesitter.parse(text, dialect).root).values():
                    for node in nodes:
                        treesitter.kind_id(node), treesitter.start_byte(node)
                pickle.loads(blob)

        def touch_build_all() -> None:
            for (_, text, dialect), blob in zip(jobs, pickled, strict=True):
                stack = [treesitter.parse(text, dialect).root]
                while stack:
                    stack.extend(treesitter.named_children(stack.pop()))
                pickle.loads(blob)

        runs += [touch_all, build_all, query_build_all, touch_build_all]
    parse, full, *floors = best_of_interleaved(options.repeat, runs)
    build = "compiled (mypyc)" if javascript.COMPILED else "pure Python"
    print(f"{len(jobs)} files, {size / 1e6:.2f} MB, analyzer {build}")
    print(f"bare parse      {parse:7.3f} s  {size / parse / 1e6:6.2f} MB/s")
    print(f"analyze (full)  {full:7.3f} s  {size / full / 1e6:6.2f} MB/s")
    print(f"ratio           {full / parse:7.2f} x  (target <= 2.00 x)")
    if floors:
        for name, seconds in zip(("touch nodes", "build facts", "query + build facts", "touch + build facts"), floors, strict=True):
            print(f"floor: parse + {name:<19} {seconds:7.3f} s  {seconds / parse:5.2f} x")


if __name__ == "__main__":
    main()
