"""The questions the exposure rules ask of handler facts (slsreview.analysis.credentials)."""

from __future__ import annotations

import textwrap

import pytest

from slsreview.analysis import analyze_source
from slsreview.analysis.credentials import (
    credential_check,
    does_work,
    fetch_handler,
    is_credential_field,
    is_secret_name,
)
from slsreview.analysis.facts import Facts


@pytest.mark.parametrize(
    ("name", "secret"),
    [
        ("WEBHOOK_SECRET", True),
        ("API_KEY", True),
        ("apiKey", True),
        ("STRIPE_SECRET_KEY", True),
        ("GITHUB_TOKEN", True),
        ("DB_PASSWORD", True),
        ("PAYMENTS_SECRET_ID", False),  # where the secret is, not the secret
        ("SECRET_ARN", False),
        ("TOKEN_URL", False),
        ("PRIMARY_KEY", False),  # a database key column
        ("ENABLE_TOKEN_AUTH", False),  # a switch
        ("ORDERS_TABLE", False),
        ("*", False),
    ],
)
def test_secret_names(name: str, secret: bool) -> None:
    assert is_secret_name(name) is secret


@pytest.mark.parametrize(
    ("field", "credential"),
    [
        ("headers.authorization", True),
        ("headers.x-hub-signature-256", True),
        ("headers.cf-access-jwt-assertion", True),
        ("headers.x-partner-token", True),
        ("queryStringParameters.token", True),
        ("queryStringParameters.key", False),  # an object key as often as an API key
        ("headers.content-type", False),
        ("body.password", False),  # a login form's field is input, not the caller's credential
    ],
)
def test_credential_fields(field: str, credential: bool) -> None:
    assert is_credential_field(field) is credential


def facts_of(path: str, text: str, entry: str) -> Facts:
    language = "python" if path.endswith(".py") else "typescript"
    return Facts([analyze_source(path, textwrap.dedent(text), language)], entry=entry)


@pytest.mark.parametrize(
    ("path", "text", "line"),
    [
        (
            "app.py",
            """\
            import os
            def handler(event, context):
                if event["headers"].get("x-api-key") != os.environ["API_KEY"]:
                    return {"statusCode": 401}
            """,
            3,
        ),
        (
            "index.ts",
            """\
            export default {
              async fetch(request: Request, env: Env) {
                const auth = request.headers.get("Authorization");
                return new Response(auth ? "ok" : "no");
              },
            };
            """,
            3,
        ),
    ],
)
def test_credential_checks_in_both_languages(path: str, text: str, line: int) -> None:
    entry = "handler" if path.endswith(".py") else "default"
    found = credential_check(facts_of(path, text, entry))
    assert found is not None and found.line == line


def test_fetch_handler_and_what_it_reaches() -> None:
    facts = facts_of(
        "index.ts",
        """\
        export default {
          async fetch() { return new Response("hi"); },
          async scheduled(event: ScheduledEvent, env: Env) { await env.KV.put("k", "v"); },
        };
        """,
        "default",
    )
    assert does_work(facts)  # the scheduled handler writes to KV
    found = fetch_handler(facts)
    assert found is not None and found[0] == "default.fetch" and found[1].line == 2
    assert not does_work(facts.within(found[0]))  # what serves HTTP does not


@pytest.mark.parametrize(
    ("path", "text"),
    [
        (
            "app.py",
            """\
            import requests

            def load_rates():
                return requests.get("https://rates.example.com", timeout=5).json()

            RATES = load_rates()

            def handler(event, context):
                return RATES
            """,
        ),
        (
            "index.ts",
            """\
            import { Hono } from "hono";
            const app = new Hono();
            function verified() {
              return async (c, next) => { await fetch("https://auth.example.com/check"); await next(); };
            }
            app.use("*", verified());
            export default app;
            """,
        ),
    ],
)
def test_functions_called_by_module_level_code_are_reachable(path: str, text: str) -> None:
    entry = "handler" if path.endswith(".py") else "default"
    facts = facts_of(path, text, entry)
    assert [c.attr("client") for c in facts.calls("http.request")] in (["requests"], ["fetch"])
