"""Exact facts the JavaScript/TypeScript analyser gives for small handlers.

``test_pairs.py`` checks what both analysers must agree on; these tests pin down the JS/TS
details: names, sources, lines and columns.
"""

from __future__ import annotations

import textwrap

import pytest
from hypothesis import given
from hypothesis import strategies as st

from slsreview.analysis.facts import Call, Facts, FileFacts, Value
from slsreview.analysis.javascript import analyze_javascript
from slsreview.analysis.javascript.tables import UNRESOLVED_COMMAND_SERVICES
from slsreview.analysis.treesitter import children, dialect_for_path, parse, start_byte
from slsreview.vocabulary import aws


def analyze(source: str, path: str = "src/app.mjs") -> FileFacts:
    dialect = dialect_for_path(path) or "javascript"
    return analyze_javascript(path, textwrap.dedent(source).lstrip("\n"), dialect)


def entries(facts: FileFacts) -> set[tuple[str, str, str, tuple[str, ...]]]:
    return {(e.symbol, e.qualname, e.kind, e.methods) for e in facts.entry_points}


def named(facts: FileFacts, prefix: str = "") -> list[Call]:
    return [c for c in facts.calls if c.name and c.name.startswith(prefix)]


def only(facts: FileFacts, name: str) -> Call:
    (call,) = [c for c in facts.calls if c.name == name]
    return call


def sources(value: Value | None) -> set[tuple[str, str]]:
    assert value is not None
    return {(s.kind, s.name) for s in value.sources}


def flows(facts: FileFacts, sink: str) -> set[tuple[str, str]]:
    return {(f.source.kind, f.source.name) for f in facts.flows if f.sink == sink}


# -- the tree-sitter layer ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "dialect"),
    [
        ("a.js", "javascript"),
        ("a.mjs", "javascript"),
        ("a.cjs", "javascript"),
        ("a.jsx", "javascript"),
        ("a.ts", "typescript"),
        ("a.mts", "typescript"),
        ("a.cts", "typescript"),
        ("a.tsx", "tsx"),
        ("a.py", None),
    ],
)
def test_dialect_for_path(path: str, dialect: str | None) -> None:
    assert dialect_for_path(path) == dialect


def test_columns_count_characters_not_bytes() -> None:
    tree = parse('const café = "naïve";\nlog("日本語", café);\n', "javascript")
    statement = next(n for n in children(tree.root) if start_byte(n) > 0)
    # 17 characters in 25 bytes: the end column counts the characters
    assert tree.text(statement) == 'log("日本語", café);'
    assert tree.span(statement) == (2, 1, 2, 18)


@given(
    st.lists(
        st.sampled_from(['f("é", x)', "const a = 1;", "g(b)", "// ✓ done", '"日本"', "", "h(`ü${c}`)"]),
        max_size=6,
    )
)
def test_the_fast_readers_agree_with_decoding(lines: list[str]) -> None:
    """``SyntaxTree.readers`` (per-file closures, per-line ASCII flags) give every node the text
    and 1-based character positions that decoding the bytes before it gives."""
    text = "\n".join(lines)
    tree = parse(text, "javascript")
    node_text, node_text_prefix, locate = tree.readers("a.js")
    source = text.encode()
    stack = [tree.root]
    while stack:
        node = stack.pop()
        stack.extend(children(node))
        start, end = start_byte(node), node.end_byte
        assert node_text(node) == source[start:end].decode()
        assert node_text_prefix(node, 3) == source[start:end].decode()[:3]
        expected = []
        for offset in (start, end):
            before = source[:offset].decode()
            expected += [before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1]
        loc = locate(node)
        assert (loc.path, loc.line, loc.column, loc.end_line, loc.end_column) == ("a.js", *expected)


def test_non_ascii_line_gives_character_columns_in_facts() -> None:
    facts = analyze(
        """
        export const handler = async (event) => {
          const msg = "ünïcödé ✓"; console.log(msg, process.env.TOKEN);
        };
        """
    )
    log = only(facts, "log")
    assert (log.loc.line, log.loc.column) == (2, 28)
    (read,) = facts.env_reads
    assert (read.loc.line, read.loc.column, read.loc.end_column) == (2, 45, 62)


def test_tsx_parses() -> None:
    facts = analyze(
        """
        export default function Page({ name }: { name: string }) {
          return <div onClick={() => fetch("/api/x")}>{name}</div>;
        }
        """,
        "app/page.tsx",
    )
    assert facts.parsed and not facts.syntax
    assert only(facts, "http.request").attr("client") == "fetch"


# -- entry points ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "export const handler = async (event) => {};",
        "export async function handler(event) {}",
        "export function handler(event) {}",
        "exports.handler = async (event) => {};",
        "module.exports.handler = async function (event) {};",
        "async function handler(event) {}\nmodule.exports = { handler };",
        "async function handler(event) {}\nexport { handler };",
    ],
)
def test_lambda_entry_points(source: str) -> None:
    facts = analyze(source)
    assert entries(facts) == {("handler", "handler", "function", ())}
    (function,) = facts.functions
    assert function.qualname == "handler" and function.exported and function.params == ("event",)


def test_renamed_exports_point_at_the_implementation() -> None:
    facts = analyze(
        """
        async function impl(event) { console.log(event.body); }
        export { impl as handler };
        """
    )
    assert entries(facts) == {("handler", "impl", "function", ())}
    assert flows(facts, "log") == {("event", "body")}  # impl's first parameter is the event


def test_module_exports_object_with_inline_functions() -> None:
    facts = analyze(
        """
        module.exports = {
          create: async (event) => console.log(event.body),
          remove: async function (event) {},
        };
        """
    )
    assert entries(facts) == {
        ("create", "create", "function", ()),
        ("remove", "remove", "function", ()),
    }
    assert flows(facts, "log") == {("event", "body")}


def test_default_export_object_methods_shorthand_and_references() -> None:
    facts = analyze(
        """
        async function handleQueue(batch, env) {}
        export default {
          async fetch(request, env, ctx) { return new Response("ok"); },
          scheduled: async (event, env) => {},
          queue: handleQueue,
        };
        """
    )
    assert entries(facts) == {
        ("default", "default", "default-export", ("fetch", "scheduled", "queue"))
    }
    qualnames = {f.qualname: f for f in facts.functions}
    assert {"default.fetch", "default.scheduled", "handleQueue", "default"} <= set(qualnames)
    # the object references handleQueue: it is reachable from the entry point
    assert qualnames["default"].calls == ("handleQueue",)


def test_default_export_shorthand_properties() -> None:
    facts = analyze(
        """
        async function fetch(request, env) { return env.KV.get("k"); }
        async function scheduled(event, env) {}
        export default { fetch, scheduled };
        """
    )
    assert entries(facts) == {("default", "default", "default-export", ("fetch", "scheduled"))}
    assert [b.name for b in facts.binding_uses] == ["KV"]


def test_worker_entrypoint_class() -> None:
    facts = analyze(
        """
        import { WorkerEntrypoint } from "cloudflare:workers";
        export default class extends WorkerEntrypoint {
          async fetch(request) {
            await this.env.SESSIONS.put(request.headers.get("X-Id"), "1");
            return new Response("ok");
          }
          async add(a, b) { return a + b; }
        }
        """,
        "src/index.ts",
    )
    assert entries(facts) == {("default", "default", "worker-entrypoint", ("fetch", "add"))}
    put = only(facts, "cf.kv.put")
    assert put.function == "default.fetch" and put.attr("binding") == "SESSIONS"
    assert sources(put.args[0]) == {("event", "headers.x-id")}


def test_hono_app_default_export() -> None:
    facts = analyze(
        """
        import { Hono } from "hono";
        const app = new Hono();
        app.get("/items/:id", async (c) => {
          const item = await c.env.ITEMS.get(c.req.param("id"));
          return c.json({ item }, 200);
        });
        export default app;
        """
    )
    assert entries(facts) == {("default", "app", "default-export", ("fetch",))}
    get = only(facts, "cf.kv.get")
    assert get.attr("binding") == "ITEMS"
    assert sources(get.args[0]) == {("event", "pathParameters.id")}
    assert [r.status for r in facts.returns] == [200]


def test_service_worker_listener() -> None:
    facts = analyze(
        """
        addEventListener("fetch", (event) => {
          event.respondWith(handle(event.request));
        });
        async function handle(request) {
          return new Response(request.headers.get("user-agent"));
        }
        """
    )
    assert entries(facts) == {("default", "default", "on-fetch", ("fetch",))}
    assert {f.qualname for f in facts.functions} >= {"default.fetch", "handle"}
    assert flows(facts, "response") == {("event", "headers.user-agent")}


def test_middy_and_powertools_wrappers() -> None:
    facts = analyze(
        """
        import middy from "@middy/core";
        import { Logger } from "@aws-lambda-powertools/logger";
        import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
        import { makeHandlerIdempotent } from "@aws-lambda-powertools/idempotency/middleware";
        const logger = new Logger();
        const lambdaHandler = async (event) => ({ statusCode: 200 });
        export const handler = middy(lambdaHandler)
          .use(injectLambdaContext(logger, { logEvent: true }))
          .use(makeHandlerIdempotent({ persistenceStore: store }));
        """
    )
    assert entries(facts) == {("handler", "lambdaHandler", "function", ())}
    wrappers = {(w.name, w.target) for w in facts.wrappers}
    assert wrappers == {
        ("middy", "lambdaHandler"),
        ("powertools.inject_lambda_context", "lambdaHandler"),
        ("powertools.idempotent", "lambdaHandler"),
    }
    (inject,) = [w for w in facts.wrappers if w.name == "powertools.inject_lambda_context"]
    log_event = inject.arg("log_event")
    assert log_event is not None and log_event.literal is True


def test_logger_method_and_decorator_wrappers() -> None:
    facts = analyze(
        """
        import { Logger } from "@aws-lambda-powertools/logger";
        const logger = new Logger();
        class Lambda {
          @logger.injectLambdaContext({ logEvent: false })
          public async handler(event: unknown, context: unknown) { logger.info("hi"); }
        }
        const instance = new Lambda();
        export const handler = instance.handler.bind(instance);
        """,
        "src/app.ts",
    )
    assert entries(facts) == {("handler", "Lambda.handler", "function", ())}
    (wrapper,) = facts.wrappers
    assert wrapper.name == "powertools.inject_lambda_context" and wrapper.target == "Lambda.handler"
    assert wrapper.arg("log_event") is not None
    assert only(facts, "log").attr("logger") == "powertools"


def test_make_idempotent_on_a_helper_is_idempotent_function() -> None:
    facts = analyze(
        """
        import { makeIdempotent } from "@aws-lambda-powertools/idempotency";
        const processOrder = makeIdempotent(async (order) => order.id, { persistenceStore });
        export const handler = async (event) => processOrder(event.detail);
        """
    )
    assert {(w.name, w.target) for w in facts.wrappers} == {
        ("powertools.idempotent_function", "processOrder")
    }
    (handler,) = [f for f in facts.functions if f.qualname == "handler"]
    assert handler.calls == ("processOrder",)


def test_batch_processing_wrappers() -> None:
    facts = analyze(
        """
        import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
        const processor = new BatchProcessor(EventType.SQS);
        const recordHandler = async (record) => { JSON.parse(record.body); };
        export const handler = async (event, context) =>
          processPartialResponse(event, recordHandler, processor, { context });
        """
    )
    assert {(w.name, w.target) for w in facts.wrappers} == {
        ("powertools.batch_processor", None),
        ("powertools.process_partial_response", "handler"),
    }
    (parse_fact,) = facts.parses
    assert {(s.kind, s.name) for s in parse_fact.of} == {("event", "records.body")}


@pytest.mark.parametrize(
    "source",
    [
        "export const handler = withDurableExecution(async (event, context) => console.log(event.body));",
        "exports.handler = Sentry.wrapHandler(async function (event) { console.log(event.body); });",
        "async function main(event) { console.log(event.body); }\nexports.handler = wrap(main);",
    ],
)
def test_handlers_wrapped_by_unknown_functions(source: str) -> None:
    facts = analyze(source)
    (entry,) = facts.entry_points
    assert entry.symbol == "handler" and entry.qualname in ("handler", "main")
    assert flows(facts, "log") == {("event", "body")}


def test_exported_library_helpers_are_not_given_the_event() -> None:
    facts = analyze(
        """
        export function formatName(user) { console.log(user.name); }
        """
    )
    assert entries(facts) == {("formatName", "formatName", "function", ())}
    # its parameter holds what its callers pass (none here), never the event
    assert {(f.source.kind, f.source.name) for f in facts.flows} == {("param", "formatName#0.name")}
    assert not Facts([facts]).flows()


# -- calls: AWS --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("module", "command", "name"),
    [
        ("@aws-sdk/client-dynamodb", "PutItemCommand", "aws.dynamodb.PutItem"),
        ("@aws-sdk/lib-dynamodb", "PutCommand", "aws.dynamodb.PutItem"),
        ("@aws-sdk/client-dynamodb", "UpdateItemCommand", "aws.dynamodb.UpdateItem"),
        ("@aws-sdk/lib-dynamodb", "UpdateCommand", "aws.dynamodb.UpdateItem"),
        ("@aws-sdk/client-dynamodb", "BatchWriteItemCommand", "aws.dynamodb.BatchWriteItem"),
        ("@aws-sdk/lib-dynamodb", "BatchWriteCommand", "aws.dynamodb.BatchWriteItem"),
        (
            "@aws-sdk/client-dynamodb",
            "TransactWriteItemsCommand",
            "aws.dynamodb.TransactWriteItems",
        ),
        ("@aws-sdk/lib-dynamodb", "TransactWriteCommand", "aws.dynamodb.TransactWriteItems"),
        ("@aws-sdk/lib-dynamodb", "DeleteCommand", "aws.dynamodb.DeleteItem"),
        ("@aws-sdk/lib-dynamodb", "GetCommand", "aws.dynamodb.GetItem"),
        ("@aws-sdk/lib-dynamodb", "QueryCommand", "aws.dynamodb.Query"),
        ("@aws-sdk/client-sqs", "SendMessageCommand", "aws.sqs.SendMessage"),
        ("@aws-sdk/client-sqs", "SendMessageBatchCommand", "aws.sqs.SendMessageBatch"),
        ("@aws-sdk/client-sns", "PublishCommand", "aws.sns.Publish"),
        ("@aws-sdk/client-eventbridge", "PutEventsCommand", "aws.events.PutEvents"),
        ("@aws-sdk/client-s3", "PutObjectCommand", "aws.s3.PutObject"),
        (
            "@aws-sdk/client-secrets-manager",
            "GetSecretValueCommand",
            "aws.secretsmanager.GetSecretValue",
        ),
        ("@aws-sdk/client-ssm", "GetParameterCommand", "aws.ssm.GetParameter"),
    ],
)
def test_sdk_v3_commands(module: str, command: str, name: str) -> None:
    facts = analyze(
        f"""
        import {{ {command} }} from "{module}";
        export const handler = async (event) => {{
          await client.send(new {command}({{ Target: "t", Data: event.body }}));
        }};
        """
    )
    call = only(facts, name)
    assert call.awaited and call.function == "handler"
    assert [key for key, _ in call.kwargs] == ["Target", "Data"]
    assert sources(call.kwarg("Data")) == {("event", "body")}
    service, operation = name.split(".")[1:]
    write = aws.operation(service, operation).writes  # type: ignore[union-attr]
    assert flows(facts, "write" if write else name) == {("event", "body")}


@pytest.mark.parametrize(
    ("module", "command", "name", "writes"),
    [
        # services are named as boto3 names them, whatever the package is called
        ("@aws-sdk/client-sfn", "StartExecutionCommand", "aws.stepfunctions.StartExecution", True),
        ("@aws-sdk/client-bedrock-runtime", "InvokeModelCommand", "aws.bedrock-runtime.InvokeModel", False),
        ("@aws-sdk/client-cognito-identity-provider", "SignUpCommand", "aws.cognito-idp.SignUp", True),
        # a write is what IAM classes as one, not what the name suggests
        ("@aws-sdk/client-ecs", "RunTaskCommand", "aws.ecs.RunTask", True),
        ("@aws-sdk/client-s3", "HeadObjectCommand", "aws.s3.HeadObject", False),
    ],
)
def test_aws_commands_are_words_of_the_generated_table(
    module: str, command: str, name: str, writes: bool
) -> None:
    facts = analyze(
        f"""
        import {{ {command} }} from "{module}";
        export const handler = async (event) => {{ await client.send(new {command}({{ X: event.body }})); }};
        """
    )
    only(facts, name)
    assert flows(facts, "write" if writes else name) == {("event", "body")}
    assert (flows(facts, "write") != set()) is writes


def test_a_command_whose_import_does_not_say_its_package() -> None:
    """From a local barrel: a document-client command or one every handler uses is recognised;
    any other name is not (a project's own command classes share the Command suffix)."""
    facts = analyze(
        """
        import { PutCommand, SendMessageCommand, CreateUserCommand } from "./aws.js";
        export const handler = async (event) => {
          await doc.send(new PutCommand({ Item: event.body }));
          await sqs.send(new SendMessageCommand({ MessageBody: event.body }));
          await bus.send(new CreateUserCommand({ name: event.body }));
        };
        """
    )
    assert [c.name for c in named(facts, "aws.")] == ["aws.dynamodb.PutItem", "aws.sqs.SendMessage"]
    for operation, service in UNRESOLVED_COMMAND_SERVICES.items():
        assert aws.operation(service, operation) is not None, (service, operation)


def test_sdk_v2_methods_that_are_not_operations() -> None:
    facts = analyze(
        """
        const AWS = require("aws-sdk");
        const s3 = new AWS.S3();
        exports.handler = async (event) => {
          await s3.upload({ Bucket: "b", Key: event.key, Body: event.body }).promise();
          const url = s3.getSignedUrl("getObject", { Bucket: "b", Key: "k" });
          return url;
        };
        """
    )
    # s3.upload is the managed upload: PutObject (s3:PutObject); getSignedUrl calls nothing
    assert [c.name for c in named(facts, "aws.")] == ["aws.s3.PutObject"]
    assert ("event", "body") in flows(facts, "write")
    assert [c.callee for c in facts.calls if c.callee.endswith("getSignedUrl")] == [
        "aws-sdk.S3.getSignedUrl"
    ]


def test_command_aliases_namespaces_and_variables() -> None:
    facts = analyze(
        """
        import { PutCommand as Put } from "@aws-sdk/lib-dynamodb";
        import * as sqs from "@aws-sdk/client-sqs";
        const { SNSClient, PublishCommand } = require("@aws-sdk/client-sns");
        export const handler = async (event) => {
          await doc.send(new Put({ TableName: "t", Item: {} }));
          await queue.send(new sqs.SendMessageCommand({ QueueUrl: "q", MessageBody: "m" }));
          const params = { TopicArn: "arn", Message: event.body };
          const command = new PublishCommand(params);
          await new SNSClient({}).send(command);
        };
        """
    )
    assert [c.name for c in named(facts, "aws.")] == [
        "aws.dynamodb.PutItem",
        "aws.sqs.SendMessage",
        "aws.sns.Publish",
    ]
    publish = only(facts, "aws.sns.Publish")
    assert publish.callee == "@aws-sdk/client-sns.SNSClient.send"
    assert sources(publish.kwarg("Message")) == {("event", "body")}
    imports = {i.module: i.names for i in facts.imports}
    assert imports["@aws-sdk/lib-dynamodb"] == (("PutCommand", "Put"),)
    assert imports["@aws-sdk/client-sqs"] == (("*", "sqs"),)
    assert imports["@aws-sdk/client-sns"] == (
        ("SNSClient", "SNSClient"),
        ("PublishCommand", "PublishCommand"),
    )


def test_aggregated_client_and_sdk_v2() -> None:
    facts = analyze(
        """
        const AWS = require("aws-sdk");
        const { DynamoDB } = require("@aws-sdk/client-dynamodb");
        const docClient = new AWS.DynamoDB.DocumentClient();
        const dynamodb = new DynamoDB({});
        const sqs = new AWS.SQS();
        exports.handler = async (event) => {
          await docClient.put({ TableName: "t", Item: { id: event.id } }).promise();
          await dynamodb.putItem({ TableName: "t", Item: { id: { S: "x" } } });
          await docClient.query({ TableName: "t" }).promise();
          await sqs.sendMessage({ QueueUrl: "q", MessageBody: "m" }).promise();
        };
        """
    )
    assert [(c.name, c.awaited) for c in named(facts, "aws.")] == [
        ("aws.dynamodb.PutItem", True),
        ("aws.dynamodb.PutItem", True),
        ("aws.dynamodb.Query", True),
        ("aws.sqs.SendMessage", True),
    ]
    assert sources(named(facts, "aws.")[0].kwarg("Item")) == {("event-id", "id")}
    assert not [c for c in facts.calls if c.callee.endswith(".promise")]


def test_secrets_reach_logs() -> None:
    facts = analyze(
        """
        import { SecretsManagerClient, GetSecretValueCommand } from "@aws-sdk/client-secrets-manager";
        import { SSMClient, GetParameterCommand } from "@aws-sdk/client-ssm";
        import { getSecret } from "@aws-lambda-powertools/parameters/secrets";
        const sm = new SecretsManagerClient({});
        export const handler = async () => {
          const { SecretString } = await sm.send(new GetSecretValueCommand({ SecretId: "prod/db" }));
          const param = await new SSMClient({}).send(new GetParameterCommand({ Name: "/api/key", WithDecryption: true }));
          const token = await getSecret("stripe");
          console.log(SecretString, param.Parameter.Value, token);
        };
        """
    )
    assert flows(facts, "log") == {
        ("secret", "prod/db"),
        ("secret", "/api/key"),
        ("secret", "stripe"),
    }


# -- calls: HTTP -------------------------------------------------------------------------------


def test_http_clients_and_timeouts() -> None:
    facts = analyze(
        """
        import axios from "axios";
        import got from "got";
        import { request, fetch as undiciFetch } from "undici";
        const api = axios.create({ baseURL: "https://api", timeout: 2500 });
        export const handler = async (event) => {
          await fetch("https://a", { method: "POST", body: event.body });
          await fetch("https://b", { signal: AbortSignal.timeout(5000) });
          await axios.get("https://c");
          await axios.post("https://d", { a: 1 }, { timeout: 3000 });
          await axios({ method: "put", url: "https://e" });
          await api.delete("/f");
          await got.post("https://g", { json: {}, timeout: { request: 1000 } });
          await request("https://h", { method: "PATCH", headersTimeout: 4000 });
          await undiciFetch("https://i");
        };
        """
    )
    calls = named(facts, "http.request")
    assert [
        (c.attr("client"), c.attr("method"), c.attr("has_timeout"), c.attr("timeout_seconds"))
        for c in calls
    ] == [
        ("fetch", "POST", False, None),
        ("fetch", "GET", True, 5),
        ("axios", "GET", False, None),
        ("axios", "POST", True, 3),
        ("axios", "PUT", False, None),
        ("axios", "DELETE", True, 2.5),
        ("got", "POST", True, 1),
        ("undici", "PATCH", True, 4),
        ("undici", "GET", False, None),
    ]
    assert flows(facts, "http") == {("event", "body")}


def test_axios_default_timeout_and_abort_controller() -> None:
    facts = analyze(
        """
        import axios from "axios";
        axios.defaults.timeout = 10000;
        export const handler = async () => {
          const controller = new AbortController();
          setTimeout(() => controller.abort(), 1000);
          await fetch("https://a", { signal: controller.signal });
          await axios.get("https://b");
        };
        """
    )
    calls = named(facts, "http.request")
    assert [(c.attr("has_timeout"), c.attr("timeout_seconds")) for c in calls] == [
        (True, None),
        (True, 10),
    ]


# -- calls: Workers bindings -------------------------------------------------------------------


def test_workers_bindings() -> None:
    facts = analyze(
        """
        export default {
          async fetch(request, env, ctx) {
            await env.CACHE.get("k"); await env.CACHE.put("k", "v"); await env.CACHE.delete("k");
            await env.CACHE.list(); await env.CACHE.getWithMetadata("k");
            await env.BUCKET.head("o"); await env.BUCKET.put("o", request.body);
            await env.JOBS.sendBatch([{ body: 1 }]); await env.JOBS.send({ a: 1 });
            await env.AUTH.fetch(request); await env.AUTH.connect("host:1");
            await env.LIMITER.limit({ key: "k" });
            const stub = env.ROOMS.get(env.ROOMS.idFromName("lobby"));
            env.ROOMS.idFromString("abc"); env.ROOMS.newUniqueId();
            return new Response("ok");
          },
        };
        """
    )
    assert [c.name for c in named(facts, "cf.")] == [
        "cf.kv.get", "cf.kv.put", "cf.kv.delete", "cf.kv.list", "cf.kv.get",
        "cf.r2.head", "cf.r2.put",
        "cf.queue.sendBatch", "cf.queue.send",
        "cf.service.fetch", "cf.service.connect",
        "cf.ratelimit.limit",
        "cf.do.get", "cf.do.idFromName", "cf.do.idFromString", "cf.do.newUniqueId",
    ]  # fmt: skip
    kinds = {b.name: b.kind for b in facts.binding_uses}
    assert kinds == {
        "CACHE": "kv",
        "BUCKET": "r2",
        "JOBS": "queue",
        "AUTH": "service",
        "LIMITER": "rate-limiter",
        "ROOMS": "durable-object",
    }
    assert {r.kind for r in facts.env_reads} == {"binding"}
    assert flows(facts, "write") == {("event", "body")}


def test_d1_statement_chain_is_one_call() -> None:
    facts = analyze(
        """
        export default {
          async fetch(request, env) {
            const id = new URL(request.url).searchParams.get("id");
            const row = await env.DB.prepare("SELECT * FROM t WHERE id = ?").bind(id).first();
            const stmt = env.DB.prepare(`INSERT INTO t (v) VALUES (?)`);
            await stmt.bind(await request.text()).run();
            await env.DB.batch([env.DB.prepare("DELETE FROM a"), env.DB.prepare("DELETE FROM b")]);
            await env.DB.exec("VACUUM");
            return Response.json(row);
          },
        };
        """
    )
    d1 = named(facts, "cf.d1")
    assert [(c.attr("op"), c.attr("sql")) for c in d1] == [
        ("first", "SELECT * FROM t WHERE id = ?"),
        ("run", "INSERT INTO t (v) VALUES (?)"),
        ("batch", "DELETE FROM a; DELETE FROM b"),
        ("exec", "VACUUM"),
    ]
    assert {c.name for c in d1} == {"cf.d1.exec"}
    assert sources(d1[0].args[1]) == {("event", "queryStringParameters.id")}
    assert flows(facts, "write") == {("event", "body")}  # the SELECT is not a write
    assert {b.method for b in facts.binding_uses} == {"prepare", "batch", "exec"}


def test_string_methods_on_vars_are_not_binding_use() -> None:
    facts = analyze(
        """
        export default {
          async fetch(request, env) {
            const origins = env.ALLOWED_ORIGINS.split(",");
            const key = env.API_KEY.trim();
            return new Response(origins.join());
          },
        };
        """
    )
    assert not facts.binding_uses and not named(facts, "cf.")
    assert {(r.name, r.kind, r.via) for r in facts.env_reads} == {
        ("ALLOWED_ORIGINS", "value", "worker-env"),
        ("API_KEY", "value", "worker-env"),
    }


def test_guards_defaults_and_dynamic_reads() -> None:
    facts = analyze(
        """
        export default {
          async fetch(request, env) {
            if (env.CACHE) { await env.CACHE.get("k"); }
            await env.QUEUE?.send({});
            if (!env.TOKEN) return new Response("missing", { status: 500 });
            const t = env.TOKEN;
            const name = request.headers.get("x-name");
            const v = env[name];
            const region = process.env.REGION ?? "us-east-1";
            const { STAGE = "dev", TABLE } = process.env;
            return new Response(t + v + region + STAGE + TABLE);
          },
        };
        """
    )
    reads = [(r.name, r.guarded, r.has_default) for r in facts.env_reads]
    assert reads == [
        ("CACHE", True, False),
        ("CACHE", True, False),
        ("QUEUE", True, False),
        ("TOKEN", True, False),
        ("TOKEN", True, False),
        ("*", False, False),
        ("REGION", True, True),
        ("STAGE", True, True),
        ("TABLE", False, False),
    ]
    assert [(b.name, b.guarded) for b in facts.binding_uses] == [("CACHE", True), ("QUEUE", True)]


def test_env_reads_process_env_forms() -> None:
    facts = analyze(
        """
        const TABLE = process.env.TABLE;
        const QUEUE = process.env["QUEUE_URL"];
        const { A, B: renamed } = process.env;
        const url = import.meta.env.VITE_URL;
        export const handler = async (event) => process.env.FLAG;
        """
    )
    assert [(r.name, r.via, r.function) for r in facts.env_reads] == [
        ("TABLE", "process.env", None),
        ("QUEUE_URL", "process.env", None),
        ("A", "process.env", None),
        ("B", "process.env", None),
        ("VITE_URL", "import.meta.env", None),
        ("FLAG", "process.env", "handler"),
    ]
    assert facts.env_reads[0].loc.column == 15


def test_hyperdrive_property_is_a_binding_source() -> None:
    facts = analyze(
        """
        import postgres from "postgres";
        export default {
          async fetch(request, env) {
            console.log(env.HYPERDRIVE.connectionString);
            return new Response("ok");
          },
        };
        """
    )
    assert flows(facts, "log") == {("binding", "HYPERDRIVE.connectionString")}
    assert [(b.name, b.kind) for b in facts.binding_uses] == [("HYPERDRIVE", "hyperdrive")]
    assert facts.env_reads[0].kind == "binding"


def test_typescript_env_interface_names_binding_kinds() -> None:
    facts = analyze(
        """
        interface Env { FILES: R2Bucket; SETTINGS: KVNamespace }
        export default {
          async fetch(request: Request, env: Env): Promise<Response> {
            await env.FILES.get("a");
            await env.SETTINGS.get("b");
            return new Response();
          },
        } satisfies ExportedHandler<Env>;
        """,
        "src/index.ts",
    )
    assert [c.name for c in named(facts, "cf.")] == ["cf.r2.get", "cf.kv.get"]


@pytest.mark.parametrize(
    ("first", "then", "kind"),
    [("idFromName", "fetch", "durable-object"), ("fetch", "idFromName", "service")],
)
def test_a_binding_used_two_ways_takes_the_kind_of_its_first_use(
    first: str, then: str, kind: str
) -> None:
    """Not whichever method a set happens to yield first: that changed with PYTHONHASHSEED."""
    facts = analyze(
        f"""
        export default {{
          async fetch(request, env) {{
            const binding = env[request.headers.get("x-target")];
            await binding.{first}("a");
            return binding.{then}("b");
          }},
        }};
        """
    )
    assert {b.kind for b in facts.binding_uses} == {kind}


def test_this_env_and_hono_c_env() -> None:
    facts = analyze(
        """
        import { DurableObject } from "cloudflare:workers";
        import { Hono } from "hono";
        export class Counter extends DurableObject {
          async fetch(request) { await this.env.EVENTS.send({ at: Date.now() }); return new Response(); }
        }
        const app = new Hono();
        app.post("/", async (c) => { await c.env.EVENTS.send(await c.req.json()); return c.text("ok", 201); });
        export default app;
        """
    )
    sends = named(facts, "cf.queue.send")
    assert [c.function for c in sends] == ["Counter.fetch", None]
    assert flows(facts, "write") == {("time", "Date.now"), ("event", "body")}
    assert [r.status for r in facts.returns] == [200, 201]  # new Response() is a 200


# -- calls: payments, logs, crypto -------------------------------------------------------------


def test_stripe_payment_with_idempotency_key() -> None:
    facts = analyze(
        """
        import Stripe from "stripe";
        const stripe = new Stripe(process.env.STRIPE_KEY);
        export const handler = async (event) => {
          await stripe.checkout.sessions.create({ mode: "payment" });
          await stripe.paymentIntents.create({ amount: 1 }, { idempotencyKey: event.headers["Idempotency-Key"] });
        };
        """
    )
    first, second = named(facts, "payment.create")
    assert first.attr("resource") == "checkout.sessions" and first.kwarg("idempotency_key") is None
    assert second.attr("resource") == "paymentIntents"
    assert sources(second.kwarg("idempotency_key")) == {("event-id", "headers.idempotency-key")}


def test_loggers() -> None:
    facts = analyze(
        """
        import pino from "pino";
        import winston from "winston";
        import { Logger } from "@aws-lambda-powertools/logger";
        const log = pino();
        const wlog = winston.createLogger({});
        const plog = new Logger();
        export const handler = async (event) => {
          console.warn(event.body);
          log.info({ id: event.id });
          wlog.error("x");
          plog.debug("y");
          log.child({ a: 1 }).warn("z");
        };
        """
    )
    assert [(c.attr("logger"), c.attr("level")) for c in named(facts, "log")] == [
        ("console", "warning"),
        ("pino", "info"),
        ("winston", "error"),
        ("powertools", "debug"),
        ("pino", "warning"),
    ]
    assert flows(facts, "log") == {("event", "body"), ("event-id", "id")}


def test_random_and_time_sources() -> None:
    facts = analyze(
        """
        import { randomUUID, randomBytes } from "node:crypto";
        import { v4 } from "uuid";
        import { nanoid } from "nanoid";
        export const handler = async () => {
          console.log(randomUUID(), crypto.randomUUID(), v4(), Math.random(), randomBytes(8), nanoid());
          console.log(Date.now(), new Date(), performance.now());
        };
        """
    )
    first, second = named(facts, "log")
    assert {(s.kind, s.name) for v in first.args for s in v.sources} == {
        ("random", "crypto.randomUUID"),
        ("random", "uuid.v4"),
        ("random", "Math.random"),
        ("random", "crypto.randomBytes"),
        ("random", "nanoid"),
    }
    assert {(s.kind, s.name) for v in second.args for s in v.sources} == {
        ("time", "Date.now"),
        ("time", "new Date()"),
        ("time", "performance.now"),
    }


def test_comparisons() -> None:
    facts = analyze(
        """
        export default {
          async fetch(request, env) {
            const sig = request.headers.get("X-Signature");
            if (sig == env.SECRET || sig === env.OTHER) return new Response("", { status: 401 });
            const a = new TextEncoder().encode(sig);
            const ok = crypto.subtle.timingSafeEqual(a, new TextEncoder().encode(env.SECRET));
            return new Response(String(ok));
          },
        };
        """
    )
    assert [(c.op, c.constant_time) for c in facts.comparisons] == [
        ("==", False),
        ("===", False),
        ("timingSafeEqual", True),
    ]
    first = facts.comparisons[0]
    assert sources(first.left) == {("event", "headers.x-signature")}
    assert sources(first.right) == {("env", "SECRET")}
    assert only(facts, "crypto.compare").callee == "crypto.subtle.timingSafeEqual"


# -- data flow ---------------------------------------------------------------------------------


def test_data_flow_through_expressions() -> None:
    facts = analyze(
        """
        export const handler = async (event) => {
          const { body, headers: { authorization } } = event;
          const [first] = event.Records;
          const parsed = JSON.parse(body);
          const copy = { ...parsed, extra: 1 };
          const text = `user ${parsed.email}` + "!";
          const fallback = event.queryStringParameters?.q ?? "none";
          const chosen = event.pathParameters ? event.pathParameters.id : null;
          const awaited = await Promise.resolve(first.messageId);
          console.log(text, authorization, fallback, chosen, awaited);
          console.info(copy.anything);
          return { statusCode: 200, body: JSON.stringify({ text }) };
        };
        """
    )
    assert flows(facts, "log") == {
        ("event", "body"),  # copy.anything: a spread object keeps the sources, not the path
        ("event", "body.email"),
        ("event", "headers.authorization"),
        ("event", "queryStringParameters.q"),
        ("event", "pathParameters.id"),
        ("event-id", "messageId"),
    }
    (ret,) = facts.returns
    assert ret.status == 200 and ret.keys == ("statusCode", "body")
    assert ret.body is not None and sources(ret.body) == {("event", "body.email")}
    assert flows(facts, "response") == {("event", "body.email")}


def test_sources_are_located_where_they_are_read() -> None:
    facts = analyze(
        """
        export const handler = async (event) => {
          console.log(event.headers["X-Api-Key"]);
        };
        """
    )
    (flow,) = facts.flows
    source = flow.source
    assert (source.kind, source.name) == ("event", "headers.x-api-key")
    assert (source.loc.line, source.loc.column, source.loc.end_column) == (2, 15, 41)
    assert (flow.loc.line, flow.loc.column) == (2, 3)


def test_request_body_parse_and_records() -> None:
    facts = analyze(
        """
        export default {
          async fetch(request, env) {
            const data = await request.json();
            await env.Q.send({ email: data.email });
            return new Response("ok");
          },
          async queue(batch, env) {
            for (const message of batch.messages) { console.log(message.id, message.body); }
          },
        };
        """
    )
    (parse_fact,) = facts.parses
    assert {(s.kind, s.name) for s in parse_fact.of} == {("event", "body")}
    assert not parse_fact.guarded
    assert only(facts, "json.parse").callee == "request.json"
    assert flows(facts, "write") == {("event", "body.email")}
    assert flows(facts, "log") == {("event-id", "id"), ("event", "messages.body")}


def test_unknown_calls_with_the_whole_event_do_not_echo_it() -> None:
    facts = analyze(
        """
        export default {
          async fetch(request, env, ctx) { return handleRequest(request, env, ctx); },
        };
        """
    )
    assert not facts.flows


# -- exceptions --------------------------------------------------------------------------------


def test_try_catch_outcomes() -> None:
    facts = analyze(
        """
        export const handler = async (event) => {
          const failures = [];
          try { await a(); } catch (e) { throw e; }
          try { await b(); } catch (e) { return { statusCode: 500 }; }
          try { await c(); } catch (e) { failures.push({ itemIdentifier: event.id }); }
          try { await d(); } catch {}
          try { await e(); } catch (err) { console.error("failed", err); }
          try { await f(); } catch (err) { ignored = true; }
          try {
            try { await g(); } catch (inner) { throw new Error("wrapped"); }
          } catch (outer) { console.log(outer); }
          await h().catch(() => {});
          await i().catch((e) => { console.error(e); });
          return { batchItemFailures: failures };
        };
        """
    )
    outcomes = [(t.id, t.on_error) for t in facts.tries]
    assert outcomes == [
        (1, "reraise"),
        (2, "return-error"),
        (3, "record-failure"),
        (4, "swallow"),
        (5, "log-only"),
        (6, "swallow"),
        (7, "log-only"),
        (8, "reraise"),
        (9, "swallow"),
        (10, "log-only"),
    ]
    try_of = {c.callee: c.try_id for c in facts.calls if len(c.callee) == 1}
    assert try_of == {"a": 1, "b": 2, "c": 3, "d": 4, "e": 5, "f": 6, "g": 8, "h": 9, "i": 10}
    nested = facts.tries[7]
    assert (nested.loc.line, nested.handler_loc.line) == (10, 10)


def test_guarded_parse_by_catch_and_promise_catch() -> None:
    facts = analyze(
        """
        export default {
          async fetch(request) {
            const a = await request.json().catch(() => null);
            let b;
            try { b = JSON.parse(await request.text()); } catch { return new Response("bad", { status: 400 }); }
            try { JSON.parse("{}"); } catch (e) { throw e; }
            return Response.json({ a, b });
          },
        };
        """
    )
    assert [p.guarded for p in facts.parses] == [True, True, False]


# -- module state and returns ------------------------------------------------------------------


def test_module_state_written_in_functions() -> None:
    facts = analyze(
        """
        const cache = new Map();
        const seen = {};
        const queue = [];
        const config = { region: "x" };
        const untouched = new Set();
        cache.set("boot", 1);
        export const handler = async (event) => {
          cache.set(event.id, 1);
          seen[event.id] = true;
          queue.push(event);
          const config = {}; config.a = 1;
        };
        """
    )
    state = {
        (m.name, m.kind, tuple((fn, loc.line) for fn, loc in m.writes)) for m in facts.module_state
    }
    assert state == {
        ("cache", "Map", (("handler", 8),)),
        ("seen", "object", (("handler", 9),)),
        ("queue", "array", (("handler", 10),)),
    }


def test_returns_keys_and_status() -> None:
    facts = analyze(
        """
        export const handler = async (event) => {
          if (!event.body) return { statusCode: 400, body: "missing" };
          return { statusCode: 202, headers: {}, body: event.body };
        };
        """
    )
    assert [(r.status, r.keys, r.body.text if r.body else None) for r in facts.returns] == [
        (400, ("statusCode", "body"), '"missing"'),
        (202, ("statusCode", "headers", "body"), "event.body"),
    ]
    assert flows(facts, "response") == {("event", "body")}


# -- the call graph ----------------------------------------------------------------------------


def test_function_calls_local_and_imported() -> None:
    facts = analyze(
        """
        import { saveOrder as persist } from "./db.js";
        import * as mail from "../lib/mail";
        import axios from "axios";
        class Orders { async save(o) { return persist(o); } }
        function validate(o) { return o; }
        export const handler = async (event) => {
          const helper = (x) => validate(x);
          const orders = new Orders();
          await orders.save(helper(event));
          await mail.send(event);
          await axios.get("https://x");
          [1].map(validate);
        };
        """
    )
    calls = {f.qualname: set(f.calls) for f in facts.functions}
    assert calls["handler"] == {"handler.helper", "Orders.save", "send", "validate"}
    assert calls["handler.helper"] == {"validate"}
    assert calls["Orders.save"] == {"saveOrder"}


# -- errors ------------------------------------------------------------------------------------


def test_valid_typescript_the_grammar_does_not_know_is_one_non_fatal_problem() -> None:
    facts = analyze(
        """
        import { vi } from "vitest";
        vi.mock("./db", async (importOriginal) => {
          const actual = await importOriginal<typeof import("./db")>();
          return { ...actual, put: vi.fn() };
        });
        export const handler = async (event) => { console.log(event.body); };
        """,
        "src/app.test.ts",
    )
    assert facts.parsed
    (problem,) = facts.syntax
    assert not problem.fatal
    assert problem.message.startswith("could not parse part of this file")
    assert problem.loc.line == 3
    # what parsed is still analysed
    assert flows(facts, "log") == {("event", "body")}


def test_broken_javascript_never_raises() -> None:
    facts = analyze("export const handler = async (event) => { console.log(event.body; ")
    assert facts.parsed and len(facts.syntax) == 1
    broken = analyze("))))}}}{{{ class extends { fetch( } export default")
    assert len(broken.syntax) == 1


def test_deep_nesting_is_reported_not_raised() -> None:
    facts = analyze("x = " + "[" * 3000 + "]" * 3000 + ";")
    assert facts.syntax and not facts.syntax[0].fatal


def test_long_concatenation_does_not_recurse() -> None:
    facts = analyze(
        "export const handler = async (event) => console.log("
        + " + ".join(["event.body"] * 2000)
        + ");"
    )
    assert not facts.syntax
    assert flows(facts, "log") == {("event", "body")}


def test_await_of_a_call_with_type_arguments_is_a_call() -> None:
    # tree-sitter-typescript reads `await a.b<T>()` as `(await a.b)<T>()`
    from slsreview.analysis.javascript import analyze_javascript

    src = 'export default { async fetch(r: Request, env: Env) {\n  return Response.json(await env.DB.prepare("SELECT 1").first<Row>());\n} };\n'
    facts = analyze_javascript("a.ts", src, "typescript")
    (call,) = [c for c in facts.calls if c.name == "cf.d1.exec"]
    assert call.attr("op") == "first" and call.awaited


def test_env_imported_from_the_workers_runtime_is_the_workers_env() -> None:
    facts = analyze(
        """
        import { env } from "cloudflare:workers";
        export async function enqueue(job) {
          await env.JOBS.send(job);
          return env.VERSION.trim();
        }
        """,
        "src/jobs.js",
    )
    assert [(u.name, u.method, u.kind) for u in facts.binding_uses] == [("JOBS", "send", "queue")]
    assert {(r.name, r.via) for r in facts.env_reads} == {("JOBS", "worker-env"), ("VERSION", "worker-env")}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('import { a } from "a";\nexport const handler = async () => a;\n', [("esm", "import", 1, 1)]),
        ("export default { fetch() {} };\n", [("esm", "export", 1, 1)]),
        ("console.log(import.meta.url);\n", [("esm", "import.meta", 1, 13)]),
        ('const a = require("a");\nexports.handler = async () => a;\n', [("commonjs", "require", 1, 11)]),
        ("module.exports = { handler: async () => 1 };\n", [("commonjs", "module.exports", 1, 1)]),
        ('exports.handler = async () => 1;\nexport const other = 2;\n', [("commonjs", "exports", 1, 1), ("esm", "export", 2, 1)]),
        # a dynamic import is valid in both systems; a require inside a function still counts
        ('exports.handler = async () => (await import("./esm.mjs")).run();\n', [("commonjs", "exports", 1, 1)]),
        ('export const handler = async () => {\n  const x = require("x");\n};\n', [("esm", "export", 1, 1), ("commonjs", "require", 2, 13)]),
    ],
)
def test_module_syntax_is_the_first_use_of_each_system(source: str, expected: list[tuple[str, str, int, int]]) -> None:
    facts = analyze(source, "src/app.js")
    got = sorted((m.system, m.what, m.loc.line, m.loc.column) for m in facts.module_syntax)
    assert got == sorted(expected)


def test_imports_of_types_only_are_erased() -> None:
    facts = analyze('import type { A } from "node:stream";\nimport { type B, type C } from "events";\nimport { type D, E } from "util";\n', "src/app.ts")
    assert [(i.module, i.names) for i in facts.imports] == [("util", (("E", "E"),))]
