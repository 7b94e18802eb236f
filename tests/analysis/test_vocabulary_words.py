"""The hand-written vocabulary (``slsreview/vocabulary/``): well formed, the same words the
analyzers use, and every recorded disagreement between the two analyzers pinned.

Both analyzers read their words from the vocabulary (the JavaScript analyzer's
``slsreview/analysis/javascript/tables.py`` only reshapes its columns); ``tests/analysis/
test_pairs.py`` shows each word that applies to both languages recognised in both. When the two
analyzers are made to agree on a word, change its row and the pin below together.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import textwrap

import pytest

import slsreview.vocabulary as vocabulary
from slsreview.analysis import analyze_source
from slsreview.analysis.facts import Facts
from slsreview.analysis.javascript import wrappers as js_wrappers
from slsreview.vocabulary import (
    crypto,
    dataflow,
    logs,
    parsing,
    payments,
    powertools,
    sources,
    sql,
    workers,
)
from slsreview.vocabulary.spelling import Word

HAND_WRITTEN = ["crypto", "dataflow", "events", "http_clients", "logs", "parsing", "payments", "powertools", "sources", "spelling", "sql", "workers"]
MODULES = sorted(info.name for info in pkgutil.iter_modules(vocabulary.__path__))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    module = importlib.import_module(f"slsreview.vocabulary.{name}")
    assert module.__doc__, name
    assert doctest.testmod(module).failed == 0


def test_the_package_documents_every_hand_written_module() -> None:
    assert set(HAND_WRITTEN) <= set(MODULES)
    for name in HAND_WRITTEN:
        assert f"``{name}``" in (vocabulary.__doc__ or ""), name


@pytest.mark.parametrize(
    "words",
    [sources.RANDOM, sources.TIME, crypto.CONSTANT_TIME, parsing.JSON_PARSERS, dataflow.PRESERVING_FUNCTIONS],
    ids=["random", "time", "constant-time", "json", "preserving"],
)
@pytest.mark.parametrize("side", ["python", "javascript"])
def test_a_spelling_means_one_word(words: tuple[Word, ...], side: str) -> None:
    spelled = [s for word in words for s in word.spelled(side)]  # type: ignore[arg-type]
    assert len(spelled) == len(set(spelled))
    assert all(word.python or word.javascript for word in words)


def test_every_binding_kind_names_its_docs_and_its_calls() -> None:
    for kind, binding in workers.BINDINGS.items():
        assert binding.kind == kind
        assert binding.docs.startswith("https://developers.cloudflare.com/"), kind
        assert binding.types, kind
        assert binding.methods or binding.properties, kind
        for name, method in binding.methods.items():
            assert method.call.startswith(binding.prefix + ".") or method.call == binding.prefix, (kind, name)


# -- the JavaScript analyzer reads its words from here (its tables.py only reshapes them) --------


def test_every_javascript_powertools_export_has_a_handler() -> None:
    named = set(powertools.javascript_functions()) | {
        r.javascript for r in sources.POWERTOOLS_SECRET_READS if isinstance(r.javascript, str)
    }
    assert named == set(js_wrappers.POWERTOOLS_CALLS)


@pytest.mark.parametrize("qual", sorted(sql.PYTHON_CONNECT))
def test_every_python_sql_driver_runs_sql_exec(qual: str) -> None:
    module, _, name = qual.rpartition(".")
    f = _facts("python", f"""
        from {module} import {name}
        def handler(event, context):
            {name}("dsn").cursor().execute("SELECT 1")
    """)
    assert [(c.attr("driver"), c.attr("sql")) for c in f.calls(sql.SQL_EXEC)] == [(sql.PYTHON_CONNECT[qual], "SELECT 1")]


@pytest.mark.parametrize("qual", sorted({**sql.JAVASCRIPT_CLIENTS, **sql.JAVASCRIPT_CONNECT, **sql.JAVASCRIPT_TAGGED}))
def test_every_javascript_sql_driver_runs_sql_exec(qual: str) -> None:
    module, _, rest = qual.partition(".")
    imported = f'import m from "{module}";' if not rest else f'import * as m from "{module}";'
    make = f"m{'.' + rest if rest else ''}"
    if qual in sql.JAVASCRIPT_TAGGED:
        run = f"const db = {make}('dsn'); await db`SELECT ${{event.id}}`;"
        driver = sql.JAVASCRIPT_TAGGED[qual]
    else:
        new = "new " if qual in sql.JAVASCRIPT_CLIENTS else ""
        run = f"const db = {new}{make}('dsn'); await db.query('SELECT $1', [event.id]);"
        driver = {**sql.JAVASCRIPT_CLIENTS, **sql.JAVASCRIPT_CONNECT}[qual]
    f = _facts("javascript", f"{imported}\nexport const handler = async (event) => {{ {run} }};\n")
    assert [(c.attr("driver"), c.attr("sql")) for c in f.calls(sql.SQL_EXEC)] == [(driver, "SELECT $1")]


# -- disagreements, pinned: each row that differs between the columns, run through both -------


def _facts(language: str, source: str, entry: str = "handler") -> Facts:
    path = {"python": "src/app.py", "javascript": "src/app.mjs"}[language]
    return Facts([analyze_source(path, textwrap.dedent(source), language)], entry=entry)  # type: ignore[arg-type]


def _sources(f: Facts, call: str) -> set[tuple[str, str]]:
    return {(s.kind, s.name) for c in f.calls(call) for v in (*c.args, *(v for _, v in c.kwargs)) for s in v.sources}


def test_x_idempotency_key_is_an_event_id_in_both_languages() -> None:
    py = _facts("python", """
        import boto3
        table = boto3.resource("dynamodb").Table("t")
        def handler(event, context):
            table.put_item(Item={"pk": event["headers"]["X-Idempotency-Key"]})
    """)
    js_facts = _facts("javascript", """
        import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
        const db = new DynamoDBClient({});
        export const handler = async (event) => {
          await db.send(new PutItemCommand({ Item: { pk: event.headers["X-Idempotency-Key"] } }));
        };
    """)
    assert ("event-id", "headers.x-idempotency-key") in _sources(py, "aws.dynamodb.PutItem")
    assert ("event-id", "headers.x-idempotency-key") in _sources(js_facts, "aws.dynamodb.PutItem")


def test_a_receipt_handle_is_an_event_id_only_in_javascript() -> None:
    py = _facts("python", """
        import boto3
        sqs = boto3.client("sqs")
        def handler(event, context):
            for record in event["Records"]:
                sqs.send_message(QueueUrl="q", MessageBody=record["receiptHandle"])
    """)
    js_facts = _facts("javascript", """
        import { SQSClient, SendMessageCommand } from "@aws-sdk/client-sqs";
        const sqs = new SQSClient({});
        export const handler = async (event) => {
          for (const record of event.Records) {
            await sqs.send(new SendMessageCommand({ QueueUrl: "q", MessageBody: record.receiptHandle }));
          }
        };
    """)
    assert ("event", "receiptHandle") in _sources(py, "aws.sqs.SendMessage")
    assert ("event-id", "receiptHandle") in _sources(js_facts, "aws.sqs.SendMessage")


WORKER_PY = """
from workers import WorkerEntrypoint, Response

class Default(WorkerEntrypoint):
    async def fetch(self, request):
        {call}
        return Response("ok")
"""
WORKER_JS = """
export default {{
  async fetch(request, env) {{
    {call};
    return new Response("ok");
  }},
}};
"""


@pytest.mark.parametrize(
    ("kind", "method", "python_call", "javascript_call"),
    [
        ("r2", "createMultipartUpload", "cf.r2.put", "cf.r2.createMultipartUpload"),
        ("ai", "run", "", "cf.ai.run"),
        ("workflow", "create", "", "cf.workflow.create"),
        ("analytics-engine", "writeDataPoint", "", "cf.analytics.writeDataPoint"),
    ],
)
def test_binding_calls_the_python_analyzer_names_differently(kind: str, method: str, python_call: str, javascript_call: str) -> None:
    binding = {"r2": "BUCKET", "ai": "AI", "workflow": "ORDERS_WORKFLOW", "analytics-engine": "METRICS"}[kind]
    py = analyze_source("src/worker.py", WORKER_PY.format(call=f'await self.env.{binding}.{method}("k")'), "python")
    js_file = analyze_source("src/worker.mjs", WORKER_JS.format(call=f'await env.{binding}.{method}("k")'), "javascript")
    (py_use,) = [u for u in py.binding_uses if u.name == binding]
    (js_use,) = [u for u in js_file.binding_uses if u.name == binding]
    assert (py_use.kind, js_use.kind) == (kind, kind)
    py_names = {c.name for c in py.calls if c.callee.endswith(f".{binding}.{method}")}
    js_names = {c.name for c in js_file.calls if c.callee.endswith(f".{binding}.{method}") or c.name.startswith("cf.")}
    assert py_names == {python_call}
    assert javascript_call in js_names
    row = workers.BINDINGS[kind].methods[method]
    assert (row.python_call(), row.call) == (python_call, javascript_call)


def test_an_undecrypted_ssm_parameter_is_no_secret_in_either_language() -> None:
    py = _facts("python", """
        import boto3
        ssm = boto3.client("ssm")
        def handler(event, context):
            value = ssm.get_parameter(Name="/app/key")
            print(value)
    """)
    js_facts = _facts("javascript", """
        import { SSMClient, GetParameterCommand } from "@aws-sdk/client-ssm";
        const ssm = new SSMClient({});
        export const handler = async (event) => {
          const value = await ssm.send(new GetParameterCommand({ Name: "/app/key" }));
          console.log(value);
        };
    """)
    assert not py.flows(source="secret", sink="log")
    assert not js_facts.flows(source="secret", sink="log")
    assert sources.SECRET_READS[("ssm", "GetParameter")].decrypt_key == "WithDecryption"


def test_console_log_and_logging_log_levels() -> None:
    py = _facts("python", """
        import logging
        def handler(event, context):
            logging.log(logging.WARNING, "x")
    """)
    js_facts = _facts("javascript", """
        export const handler = async (event) => { console.log("x"); };
    """)
    assert [c.attr("level") for c in py.calls("log")] == ["warning"]
    assert [c.attr("level") for c in js_facts.calls("log")] == ["info"]
    assert (logs.LOG_METHODS["log"].python, logs.LOG_METHODS["log"].javascript) == (None, "info")


def test_stripe_words() -> None:
    assert payments.stripe_resource(("checkout", "Session")) == "checkout.sessions"
    assert payments.IDEMPOTENCY_KEY_OPTION == {"python": "idempotency_key", "javascript": "idempotencyKey"}
