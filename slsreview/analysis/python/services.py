"""Outbound services: AWS (boto3 clients, resources, their sub-resources and collections,
paginators, the batch writer; secrets read from Secrets Manager and SSM), HTTP clients and their
timeouts, and Stripe. Which operation a boto3 call makes, and whether it writes, is the generated
table's answer (``slsreview.vocabulary.aws``: botocore's and boto3's own models).

    >>> facts = analyze_python("a.py", "import requests\\nrequests.post('u', timeout=3)\\n")
    >>> [(c.name, c.attr("method"), c.attr("timeout_seconds")) for c in facts.calls]
    [('http.request', 'POST', 3)]
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

import libcst as cst

from slsreview.analysis.facts import Call, Source, Value
from slsreview.analysis.python.state import Site, State
from slsreview.analysis.python.syntax import literal_value, text_literal
from slsreview.analysis.python.tables import (
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
from slsreview.vocabulary import aws, payments

if TYPE_CHECKING:
    from slsreview.analysis.python.analyzer import Analyzer


# Roles of an Aws value that are not resources of boto3's resource model
NOT_RESOURCES = frozenset({"client", "session", "meta", "batch", "paginator", "collection"})
# A collection's methods that list it (lazily: the listing runs when it is iterated)
COLLECTION_QUERIES = frozenset({"all", "filter", "limit", "page_size", "pages"})


@functools.cache
def client_operation(service: str, method: str) -> aws.Operation | None:
    """The operation a boto3 client method calls (None for helpers such as
    ``generate_presigned_url`` and names that are no operation). A service botocore does not know
    -- a variable's (``*``) or a misspelt one -- calls what the method names in any service."""
    if method.startswith("_"):
        return None
    if aws.service(service) is not None:
        return aws.boto3_operation(service, method)
    for name in sorted(aws.services()):
        found = aws.boto3_operation(name, method)
        if found is not None:
            return found
    return None


@functools.cache
def aws_writes(name: str) -> bool:
    """Whether the call ``aws.<service>.<Operation>`` changes state (IAM's access level of its
    actions is Write, Permissions management or Tagging). For a service the table does not know,
    when every service with that operation says it writes."""
    _, service, operation = name.split(".", 2)
    found = aws.operation(service, operation)
    if found is not None:
        return found.writes is True
    candidates = [s.operation(operation) for s in aws.services_with_operation(operation)]
    return bool(candidates) and all(c is not None and c.writes is True for c in candidates)


def _explicit(site: Site) -> bool:
    return any(site.arg(None, key) is not None for key in aws.BOTO3_CREDENTIAL_ARGUMENTS)


def _credentials(obj: Aws) -> list[tuple[str, Any]]:
    return [("credentials", "explicit")] if obj.credentials else []


class Services(State):
    def _boto3(self: Analyzer, site: Site, qual: str, last: str) -> Outcome | None:
        """``boto3.client("sqs")``, ``boto3.resource(...)``, ``boto3.Session()``; a service named
        by a variable is ``*`` (``aws.*.PutItem``)."""
        if last in ("client", "resource"):
            service = site.arg(0, "service_name")
            name = text_literal(*service) if service is not None else None
            return "", [], Val(qual=qual, obj=Aws(last, (name or "*").lower(), credentials=_explicit(site)))
        if last == "Session":
            return "", [], Val(qual=qual, obj=Aws("session", "*", credentials=_explicit(site)))
        return None

    def _aws_method(self: Analyzer, site: Site, obj: Aws) -> Outcome:
        """A method of a boto3 client (``put_item`` is ``PutItem``), session, paginator, batch
        writer, or of a resource (see ``_aws_resource_method``)."""
        method = site.method
        assert method is not None
        role, service = obj.role, obj.service
        qual = site.qual
        if role == "session":
            if method in ("client", "resource"):
                svc = site.arg(0, "service_name")
                name = text_literal(*svc) if svc is not None else None
                explicit = obj.credentials or _explicit(site)
                return "", [], Val(qual=qual, obj=Aws(method, (name or "*").lower(), credentials=explicit))
            return "", [], NOTHING
        if role == "batch":  # table.batch_writer(): put_item/delete_item are BatchWriteItem
            found = aws.boto3_batch_writer_operation(method)
            if found is None:
                return "", [], NOTHING
            return f"aws.{service}.{found.name}", [("op", method), *_credentials(obj)], NOTHING
        if role == "paginator":
            if method == "paginate" and obj.op:
                return f"aws.{service}.{obj.op}", _credentials(obj), NOTHING
            return "", [], NOTHING
        if role == "collection":
            return self._aws_collection_method(site, obj)
        if role not in ("client", "meta"):
            return self._aws_resource_method(site, obj)
        if method == "get_paginator":
            first = site.arg(0, "operation_name")
            op = text_literal(*first) if first is not None else None
            found = client_operation(service, op) if op else None
            return "", [], Val(qual=qual, obj=Aws("paginator", service, found.name if found else None, credentials=obj.credentials))
        found = client_operation(service, method)
        if found is None:  # a helper (generate_presigned_url, get_waiter...) or no operation
            return "", [], NOTHING
        return f"aws.{service}.{found.name}", _credentials(obj), self._aws_result(site, service, found.name)

    def _aws_resource_method(self: Analyzer, site: Site, obj: Aws) -> Outcome:
        """A method of a boto3 resource: the service resource (``boto3.resource("s3")``, role
        ``resource``) or one of its types (``Table``, ``Bucket``, ``Object``...), as boto3's
        resource model says: a sub-resource (``bucket.Object(key)``), an action
        (``table.put_item``, ``sqs.get_queue_by_name`` returns a ``Queue``), or ``load()``."""
        method = site.method
        assert method is not None
        role, service = obj.role, obj.service
        qual = site.qual
        model = aws.boto3_resource(service, "ServiceResource" if role == "resource" else role)
        if model is None:  # no resource model (or the service is a variable): as its client would
            found = client_operation(service, method)
            if found is None:
                return "", [], NOTHING
            return f"aws.{service}.{found.name}", _credentials(obj), self._aws_result(site, service, found.name)
        # boto3's service resource constructs every resource type of its service: s3.Object(b, k)
        sub = model.subresource(method) or (
            method if role == "resource" and aws.boto3_resource(service, method) is not None else None
        )
        if sub is not None:
            return "", [], Val(qual=qual, obj=Aws(sub, service, credentials=obj.credentials))
        if service == "dynamodb" and role == "Table" and method == "batch_writer":
            return "", [], Val(qual=qual, obj=Aws("batch", service, credentials=obj.credentials))
        action = model.action(method)
        if action is not None:
            found, returns = action
            result = Val(qual=qual, obj=Aws(returns, service, credentials=obj.credentials)) if returns else self._aws_result(site, service, found.name)
            return f"aws.{service}.{found.name}", _credentials(obj), result
        if method in ("load", "reload") and model.load is not None:
            return f"aws.{service}.{model.load.name}", _credentials(obj), NOTHING
        return "", [], NOTHING

    def _aws_collection_method(self: Analyzer, site: Site, obj: Aws) -> Outcome:
        """``bucket.objects.filter(Prefix=p)`` lists (what a loop over it then iterates);
        ``bucket.objects.all().delete()`` is the item type's batch action (DeleteObjects)."""
        method = site.method
        assert method is not None
        if method in COLLECTION_QUERIES and obj.op:
            return f"aws.{obj.service}.{obj.op}", _credentials(obj), Val(qual=site.qual, obj=obj)
        model = aws.boto3_resource(obj.service, obj.item) if obj.item else None
        found = model.batch_action(method) if model is not None else None
        if found is None:
            return "", [], NOTHING
        return f"aws.{obj.service}.{found.name}", _credentials(obj), NOTHING

    def _aws_collection(self: Analyzer, val: Val, obj: Aws, attr: str) -> Val | None:
        """``bucket.objects``: a collection of a resource, or None when ``attr`` is not one."""
        if obj.role in NOT_RESOURCES:
            return None
        model = aws.boto3_resource(obj.service, "ServiceResource" if obj.role == "resource" else obj.role)
        collection = model.collection(attr) if model is not None else None
        if collection is None:
            return None
        found, item = collection
        return Val(qual=f"{val.qual}.{attr}", obj=Aws("collection", obj.service, found.name, item, obj.credentials))

    def _aws_attribute_load(self: Analyzer, val: Val, obj: Aws, attr: str, node: cst.CSTNode) -> None:
        """``network_interface.private_ip_address``: the first read of a resource's attribute
        loads it (boto3 calls DescribeNetworkInterfaces), a call like any other, with
        ``attrs["load"]`` naming the attribute."""
        if obj.role in NOT_RESOURCES or obj.role == "resource":
            return
        model = aws.boto3_resource(obj.service, obj.role)
        found = model.loads_on_read(attr) if model is not None else None
        if found is None:
            return
        ctx = self.ctx
        self.facts.calls.append(
            Call(
                f"aws.{obj.service}.{found.name}",
                f"{val.qual}.{attr}" if val.qual else attr,
                self._loc(node),
                ctx.function,
                attrs=(("load", attr), *_credentials(obj)),
                try_id=ctx.tries[-1] if ctx.tries else None,
                loops=tuple(ctx.loops),
            )
        )

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
