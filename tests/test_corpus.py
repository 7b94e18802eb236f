"""Every handler in ``tests/corpus`` must analyse cleanly, and a few must yield specific facts.

The corpus is realistic handler source of our own writing: AWS Lambda handlers in Python,
JavaScript and TypeScript, and Cloudflare Workers. Files are discovered by glob, so adding a file
adds a test case. A file's first line may carry a marker:

- ``# corpus: helper`` / ``// corpus: helper``: a module imported by a handler; it need not
  define an entry point.
- ``// corpus: tree-sitter-gap``: valid TypeScript that the pinned tree-sitter grammar does not
  fully parse; one non-fatal ``SyntaxProblem`` is allowed for it (none for any other file).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest

from slsreview.analysis import analyze_source
from slsreview.analysis.facts import Call, Facts, FileFacts, Value
from slsreview.languages import language_of

CORPUS = Path(__file__).parent / "corpus"

MARKER = re.compile(r"^\s*(?:#|//)\s*corpus:\s*([\w-]+)")

FILES = sorted(
    path.relative_to(CORPUS).as_posix()
    for path in CORPUS.rglob("*")
    if path.is_file() and language_of(path.name) and "__pycache__" not in path.parts
)


def marker(rel: str) -> str | None:
    text = (CORPUS / rel).read_text(encoding="utf-8")
    found = MARKER.match(text.split("\n", 1)[0])
    return found.group(1) if found else None


@functools.cache
def analysed(rel: str) -> FileFacts:
    """The facts of one corpus file, analysed once per test session."""
    text = (CORPUS / rel).read_text(encoding="utf-8")
    language = language_of(rel)
    assert language is not None
    return analyze_source(rel, text, language)


def facts(*rels: str, entry: str | None = None) -> Facts:
    return Facts([analysed(rel) for rel in rels], entry=entry)


def bound(calls: list[Call], binding: str) -> list[Call]:
    return [c for c in calls if c.attr("binding") == binding]


def source_kinds(value: Value | None) -> set[str]:
    return {s.kind for s in value.sources} if value is not None else set()


# -- every file ---------------------------------------------------------------------------------


def test_corpus_has_the_expected_breadth() -> None:
    per_folder: dict[str, int] = {}
    for rel in FILES:
        folder = rel.split("/", 1)[0]
        per_folder[folder] = per_folder.get(folder, 0) + 1
    assert per_folder.get("python", 0) >= 26
    assert per_folder.get("javascript", 0) >= 14
    assert per_folder.get("typescript", 0) >= 12
    assert per_folder.get("workers", 0) >= 12
    assert len(FILES) >= 66
    assert sum(rel.endswith(".ts") for rel in FILES if rel.startswith("typescript/")) >= 10
    assert sum(rel.endswith((".tsx", ".mts", ".cts")) for rel in FILES) >= 2


@pytest.mark.parametrize("rel", [f for f in FILES if f.endswith(".py")])
def test_python_corpus_file_compiles(rel: str) -> None:
    # The corpus itself must be valid Python, whatever the analyser makes of it.
    compile((CORPUS / rel).read_text(encoding="utf-8"), rel, "exec", dont_inherit=True)


@pytest.mark.parametrize("rel", FILES)
def test_corpus_file_analyses(rel: str) -> None:
    file_facts = analysed(rel)
    assert file_facts.parsed, file_facts.syntax
    tag = marker(rel)
    if tag == "tree-sitter-gap":
        assert len(file_facts.syntax) <= 1, file_facts.syntax
        assert not any(p.fatal for p in file_facts.syntax)
    else:
        assert file_facts.syntax == [], file_facts.syntax
    if tag != "helper":
        assert file_facts.entry_points, f"no entry point found in {rel}"


# -- Python Lambda handlers ---------------------------------------------------------------------


def test_sqs_partial_batch_returns_batch_item_failures() -> None:
    f = facts("python/sqs_partial_batch.py", entry="handler")
    assert any("batchItemFailures" in r.keys for r in f.returns())
    assert f.calls("aws.dynamodb.UpdateItem")


def test_sqs_simple_consumer_has_no_partial_batch_response() -> None:
    f = facts("python/sqs_simple_consumer.py", entry="handler")
    assert not any("batchItemFailures" in r.keys for r in f.returns())
    (put,) = f.calls("aws.s3.PutObject")
    assert "event-id" in source_kinds(put.kwarg("Key"))  # keyed by record["messageId"]


def test_s3_output_keys_random_versus_deterministic() -> None:
    (random_put,) = facts("python/s3_ingest_random_key.py", entry="handler").calls(
        "aws.s3.PutObject"
    )
    assert "random" in source_kinds(random_put.kwarg("Key"))
    (stable_put,) = facts("python/s3_thumbnail_deterministic.py", entry="handler").calls(
        "aws.s3.PutObject"
    )
    assert "random" not in source_kinds(stable_put.kwarg("Key"))


def test_powertools_wrappers_python() -> None:
    api = facts("python/powertools_payments_api.py", entry="lambda_handler")
    (idem,) = api.wrappers("powertools.idempotent")
    assert idem.target == "lambda_handler"
    (inject,) = api.wrappers("powertools.inject_lambda_context")
    log_event = inject.arg("log_event")
    assert log_event is not None and log_event.literal is False

    batch = facts("python/powertools_batch.py", entry="lambda_handler")
    assert batch.wrappers("powertools.process_partial_response")
    assert batch.wrappers("powertools.batch_processor")
    assert [w.target for w in batch.wrappers("powertools.idempotent_function")] == [
        "apply_adjustment"
    ]


def test_http_timeouts_python() -> None:
    (urlopen,) = facts("python/urllib_slack_notifier.py", entry="handler").calls("http.request")
    assert urlopen.attr("client") == "urllib"
    assert urlopen.attr("has_timeout") is True
    assert urlopen.attr("timeout_seconds") == 5

    calls = sorted(
        facts("python/requests_sync_partner.py", entry="handler").calls("http.request"),
        key=lambda c: c.loc.line,
    )
    assert [(c.attr("method"), c.attr("has_timeout")) for c in calls] == [
        ("GET", True),
        ("POST", False),
    ]


def test_stripe_payment_has_idempotency_key() -> None:
    (create,) = facts("python/stripe_webhook.py", entry="handler").calls("payment.create")
    assert create.kwarg("idempotency_key") is not None


def test_python_worker_entry_points() -> None:
    # Every top-level function is an entry point candidate too; pick the Worker ones by kind.
    modern = analysed("python/python_worker_entrypoint.py").entry_points
    (cls,) = [e for e in modern if e.kind == "worker-entrypoint"]
    assert cls.qualname == "Default" and "fetch" in cls.methods
    legacy = analysed("python/python_worker_on_fetch.py").entry_points
    (on_fetch,) = [e for e in legacy if e.kind == "on-fetch"]
    assert on_fetch.qualname == "on_fetch"


def test_relative_import_reaches_helper_functions() -> None:
    app, helper = "python/invoices/app.py", "python/invoices/formatting.py"
    assert any(i.module.lstrip(".") == "formatting" for i in analysed(app).imports)
    reachable = {fn.qualname for fn in facts(app, helper, entry="handler").functions()}
    assert {"handler", "money", "render_lines", "invoice_key"} <= reachable


# -- JavaScript / TypeScript Lambda handlers ----------------------------------------------------


def test_commonjs_export_forms_define_handler() -> None:
    # module.exports = { handler }
    assert facts("javascript/sns_publish_alert.cjs").defines("handler")
    # exports.handler = async function (event) {...}
    assert facts("javascript/secrets_v3_cached.js").defines("handler")
    # module.exports.handler = streamHandler
    entry = facts("javascript/dynamodb_stream_search.cjs").entry("handler")
    assert entry is not None and entry.qualname == "streamHandler"


def test_sdk_v2_document_client_calls() -> None:
    f = facts("javascript/sdk_v2_document_client.js", entry="handler")
    for name in ("aws.dynamodb.GetItem", "aws.dynamodb.PutItem", "aws.dynamodb.UpdateItem"):
        assert f.calls(name), name


def test_axios_instance_timeout_applies_to_its_calls() -> None:
    calls = sorted(
        facts("javascript/axios_crm_sync.cjs", entry="handler").calls("http.request"),
        key=lambda c: c.loc.line,
    )
    assert {c.attr("client") for c in calls} == {"axios"}
    assert [(c.attr("method"), c.attr("has_timeout")) for c in calls] == [
        ("PUT", True),
        ("POST", False),
    ]


def test_powertools_and_middy_wrappers_js() -> None:
    f = facts("javascript/powertools_js_idempotent.mjs", entry="handler")
    assert f.wrappers("powertools.idempotent")
    assert f.wrappers("powertools.inject_lambda_context")
    assert [w.target for w in f.wrappers("middy")] == ["topUp"]
    assert facts("javascript/powertools_js_batch.mjs").wrappers(
        "powertools.process_partial_response"
    )


def test_powertools_decorator_on_typescript_class() -> None:
    f = facts("typescript/powertools_class_handler.ts", entry="handler")
    (inject,) = f.wrappers("powertools.inject_lambda_context")
    assert inject.target == "ScanHandler.handler"
    log_event = inject.arg("log_event")
    assert log_event is not None and log_event.literal is True


def test_typed_sqs_consumer_reports_batch_failures() -> None:
    f = facts("typescript/sqs_typed_consumer.ts", entry="handler")
    assert any("batchItemFailures" in r.keys for r in f.returns())
    (put,) = f.calls("aws.dynamodb.PutItem")
    block = f.try_block(put)
    assert block is not None and block.on_error == "record-failure"


# -- Workers ------------------------------------------------------------------------------------


def test_kv_worker_binding_calls() -> None:
    f = facts("workers/kv_session_store.js", entry="default")
    for op in ("get", "put", "list", "delete"):
        assert bound(f.calls(f"cf.kv.{op}"), "SESSIONS"), op
    entry = f.entry()
    assert entry is not None and entry.kind == "default-export" and "fetch" in entry.methods


def test_d1_worker_ops_and_literal_sql() -> None:
    calls = bound(facts("workers/d1_guestbook.ts", entry="default").calls("cf.d1.exec"), "DB")
    assert {"run", "first", "all", "batch"} <= {c.attr("op") for c in calls}
    assert "INSERT INTO entries (author, message) VALUES (?1, ?2)" in {c.attr("sql") for c in calls}


def test_queue_producer_and_consumer() -> None:
    f = facts("workers/queue_image_jobs.ts", entry="default")
    assert bound(f.calls("cf.queue.send"), "DEAD_LETTERS")
    assert bound(f.calls("cf.queue.sendBatch"), "JOBS")
    entry = f.entry()
    assert entry is not None and {"fetch", "queue"} <= set(entry.methods)


def test_shorthand_default_export_methods() -> None:
    entry = facts("workers/webhook_relay.js").entry("default")
    assert entry is not None and {"fetch", "scheduled", "queue"} <= set(entry.methods)


def test_durable_object_and_rate_limiter_bindings() -> None:
    do = facts("workers/durable_object_counter.ts", entry="default")
    assert bound(do.calls("cf.do.idFromName"), "COUNTERS")
    assert bound(do.calls("cf.do.get"), "COUNTERS")
    limits = facts("workers/rate_limited_api.js", entry="default").calls("cf.ratelimit.limit")
    assert {c.attr("binding") for c in limits} == {"LIMITER", "STRICT_LIMITER"}


def test_service_binding_and_timing_safe_equal() -> None:
    f = facts("workers/service_binding_gateway.js", entry="default")
    assert bound(f.calls("cf.service.fetch"), "AUTH")
    assert any(c.constant_time for c in f.comparisons())


def test_hono_app_binding_use() -> None:
    f = facts("workers/hono_app.ts", entry="default")
    assert f.defines("default")
    used = f.bindings_used()
    assert {u.method for u in used.get("KV", [])} >= {"get", "put"}
    assert "DB" in used


def test_string_method_on_var_is_not_a_binding_use() -> None:
    f = facts("workers/optional_bindings.ts", entry="default")
    assert "ALLOWED_ORIGINS" not in f.bindings_used()
    assert "UPSTREAM" not in f.bindings_used()
    reads = [r for r in f.env_reads() if r.name == "ALLOWED_ORIGINS"]
    assert reads and all(r.kind == "value" for r in reads)


def test_optional_binding_access_is_guarded() -> None:
    used = facts("workers/optional_bindings.ts", entry="default").bindings_used()
    cache = used.get("CACHE", [])
    assert {u.method for u in cache} == {"get", "put"}
    # env.CACHE?.get(k), and env.CACHE.put(...) inside `if (upstream.ok && env.CACHE)`
    assert all(u.guarded for u in cache)
    assert used.get("ANALYTICS") and all(u.guarded for u in used["ANALYTICS"])


def test_hyperdrive_property_is_a_binding_source() -> None:
    f = facts("workers/hyperdrive_postgres.ts", entry="default")
    assert "HYPERDRIVE" in {r.name for r in f.env_reads()}
    names = {fl.source.name for fl in f.flows(source="binding", sink="response")}
    assert "HYPERDRIVE.host" in names
