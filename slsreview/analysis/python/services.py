"""Outbound services: AWS (boto3 clients, resources and their sub-resources, paginators;
secrets read from Secrets Manager and SSM), HTTP clients and their timeouts, and Stripe.

    >>> facts = analyze_python("a.py", "import requests\\nrequests.post('u', timeout=3)\\n")
    >>> [(c.name, c.attr("method"), c.attr("timeout_seconds")) for c in facts.calls]
    [('http.request', 'POST', 3)]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import libcst as cst

from slsreview.analysis.facts import Source, Value
from slsreview.analysis.python.state import Site, State
from slsreview.analysis.python.syntax import literal_value, text_literal
from slsreview.analysis.python.tables import (
    AWS_HELPERS,
    AWS_OPERATIONS,
    AWS_RESOURCES,
    DEFAULT_TIMEOUT,
    HTTP_VERBS,
    SECRET_READS,
    SESSION_VERB_ARGUMENT,
)
from slsreview.analysis.python.values import (
    NOTHING,
    UNSET,
    Aws,
    Http,
    Outcome,
    Timeout,
    UrlRequest,
    Val,
)
from slsreview.vocabulary import payments

if TYPE_CHECKING:
    from slsreview.analysis.python.analyzer import Analyzer


def pascal(snake: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in snake.split("_"))


class Services(State):
    def _boto3(self: Analyzer, site: Site, qual: str, last: str) -> Outcome | None:
        """``boto3.client("sqs")``, ``boto3.resource(...)``, ``boto3.Session()``; a service named
        by a variable is ``*`` (``aws.*.PutItem``)."""
        if last in ("client", "resource"):
            service = site.arg(0, "service_name")
            name = text_literal(*service) if service is not None else None
            return "", [], Val(qual=qual, obj=Aws(last, (name or "*").lower()))
        if last == "Session":
            return "", [], Val(qual=qual, obj=Aws("session", "*"))
        return None

    def _aws_method(self: Analyzer, site: Site, aws: Aws) -> Outcome:
        """A method of a boto3 client, resource or sub-resource: ``put_item`` is ``PutItem``."""
        method = site.method
        assert method is not None
        role, service = aws.role, aws.service
        qual = site.qual
        if role == "session":
            if method in ("client", "resource"):
                svc = site.arg(0, "service_name")
                name = text_literal(*svc) if svc is not None else None
                return "", [], Val(qual=qual, obj=Aws(method, (name or "*").lower()))
            return "", [], NOTHING
        if role == "resource" and (service, method) in AWS_RESOURCES:
            result = Val(qual=qual, obj=Aws(AWS_RESOURCES[(service, method)], service))
            operation = AWS_OPERATIONS.get((service, method))
            return (f"aws.{service}.{operation}" if operation else ""), [], result
        if role == "bucket" and method == "Object":
            return "", [], Val(qual=qual, obj=Aws("object", service))
        if role == "table" and method == "batch_writer":
            return "", [], Val(qual=qual, obj=Aws("batch", service))
        if role == "batch":
            if method in ("put_item", "delete_item"):
                return f"aws.{service}.BatchWriteItem", [("op", method)], NOTHING
            return "", [], NOTHING
        if role == "paginator":
            if method == "paginate" and aws.op:
                return f"aws.{service}.{aws.op}", [], NOTHING
            return "", [], NOTHING
        if method == "get_paginator":
            first = site.arg(0, "operation_name")
            op = text_literal(*first) if first is not None else None
            return "", [], Val(qual=qual, obj=Aws("paginator", service, pascal(op) if op else None))
        if method in AWS_HELPERS or method.startswith("_"):
            return "", [], NOTHING
        operation = (
            AWS_OPERATIONS.get((role, method)) or AWS_OPERATIONS.get((service, method)) or pascal(method)
        )
        return f"aws.{service}.{operation}", [], self._aws_result(site, service, operation)

    def _aws_result(self: Analyzer, site: Site, service: str, operation: str) -> Val:
        """Secrets Manager and SecureString parameters are secrets; other results are AWS data."""
        read = SECRET_READS.get((service, operation))
        if read is None:
            return NOTHING
        if read.decrypt_key is not None:  # a parameter is a secret when it is decrypted
            decrypt = site.arg(None, read.decrypt_key)
            if decrypt is None or literal_value(decrypt[0]) is False:
                return NOTHING
        secret_id = site.arg(None, read.name_key)
        name = text_literal(*secret_id) if secret_id is not None else None
        return Val(frozenset((Source("secret", name or "*", self._loc(site.node)),)))

    def _http_session(self: Analyzer, site: Site, client: str) -> Outcome:
        timeout = site.arg(None, "timeout")
        if timeout is not None:
            has, seconds = self._timeout(timeout)
        elif client in DEFAULT_TIMEOUT:
            has, seconds = True, DEFAULT_TIMEOUT[client]
        else:
            has, seconds = False, None
        return "", [], Val(qual=site.qual, obj=Http(client, has, seconds))

    def _http_method(self: Analyzer, site: Site, session: Http) -> Outcome:
        method = site.method
        assert method is not None
        if method in HTTP_VERBS or method in SESSION_VERB_ARGUMENT:
            return self._http(site, session.client, session, method)
        return "", [], NOTHING

    def _http(self: Analyzer, site: Site, client: str, session: Http | None, method: str) -> Outcome:
        verb: str | None
        if method in HTTP_VERBS:
            verb = HTTP_VERBS[method]
        elif method in SESSION_VERB_ARGUMENT and client != "urllib":
            first = site.arg(0, "method")
            text = text_literal(*first) if first is not None else None
            verb = text.upper() if text else None
        elif client == "urllib":
            verb = self._urlopen_method(site)
        else:  # fetch(url, method="POST")
            given = site.arg(None, "method")
            text = text_literal(*given) if given is not None else None
            verb = text.upper() if text else "GET"
        timeout = site.arg(2, "timeout") if client == "urllib" else site.arg(None, "timeout")
        if client == "fetch":
            timeout = site.arg(None, "signal")
        if timeout is not None:
            has, seconds = self._timeout(timeout)
        elif session is not None:
            has, seconds = session.has_timeout, session.seconds
        elif client in DEFAULT_TIMEOUT:
            has, seconds = True, DEFAULT_TIMEOUT[client]
        else:
            has, seconds = False, None
        attrs = [("method", verb), ("client", client), ("has_timeout", has), ("timeout_seconds", seconds)]
        return "http.request", attrs, NOTHING

    def _urlopen_method(self: Analyzer, site: Site) -> str | None:
        """``urlopen(url)`` GETs, ``urlopen(url, data)`` POSTs, a Request says its method."""
        first = site.arg(0, "url")
        if first is not None and type(first[1].obj) is UrlRequest:
            return first[1].obj.method
        data = site.arg(1, "data")
        if data is not None and literal_value(data[0]) is not None:
            return "POST"
        return "GET" if first is not None and first[1].obj is None else None

    def _request_method(self: Analyzer, site: Site) -> str | None:
        """The method of ``urllib.request.Request(url, data=None, method=None)``."""
        method = site.arg(None, "method")
        if method is not None:
            text = text_literal(*method)
            return text.upper() if text else None
        data = site.arg(1, "data")
        return "POST" if data is not None and literal_value(data[0]) is not None else "GET"

    def _timeout(self: Analyzer, arg: tuple[cst.BaseExpression, Val]) -> tuple[bool, Any]:
        node, val = arg
        value = literal_value(node)
        if value is UNSET:
            value = val.const
        if value is None:
            return False, None
        if type(value) in (int, float):
            return True, value
        if isinstance(value, list):
            numbers = [v for v in value if type(v) in (int, float)]
            return (True, max(numbers)) if numbers else (False, None)
        if type(val.obj) is Timeout:
            return True, val.obj.seconds
        return True, None

    def _timeout_parts(self: Analyzer, site: Site) -> Any:
        """Seconds of ``httpx.Timeout(10, connect=5)`` / ``ClientTimeout(total=10)``: the total
        when given, else the longest of the parts."""
        total = site.arg(0, "total") or site.arg(0, "timeout")
        if total is not None:
            value = literal_value(total[0])
            if type(value) in (int, float):
                return value
        numbers = [v for _, node, _ in site.args if type(v := literal_value(node)) in (int, float)]
        return max(numbers) if numbers else None

    def _payment(self: Analyzer, site: Site, resource: tuple[str, ...]) -> Outcome:
        return payments.PAYMENT_CREATE, [("resource", payments.stripe_resource(resource))], NOTHING

    def _stripe_options_key(self: Analyzer, site: Site) -> tuple[tuple[str, Value], ...]:
        """StripeClient passes the idempotency key in ``options={"idempotency_key": ...}``."""
        options = site.arg(None, payments.PYTHON_OPTIONS_ARGUMENT)
        if options is not None and options[1].items is not None:
            item = options[1].items.get(payments.IDEMPOTENCY_KEY_OPTION["python"])
            if item is not None:
                return ((payments.IDEMPOTENCY_KEY, self._value(item[0], item[1])),)
        return ()
