from __future__ import annotations

import textwrap

from slsreview.loaders.json_loader import load_json
from slsreview.loaders.nodes import Intrinsic
from slsreview.loaders.toml_loader import load_toml
from slsreview.loaders.yaml_loader import load_yaml
from slsreview.model.project import ConfigFile, Project
from slsreview.model.sam import build_template
from slsreview.model.wrangler import build_workers


def template(text: str, files: set[str] = frozenset(), path: str = "template.yaml"):  # type: ignore[assignment]
    loaded = load_yaml(path, textwrap.dedent(text))
    assert not loaded.problems, loaded.problems
    config = ConfigFile(path, "template", loaded.value)
    dirs = {"/".join(f.split("/")[:i]) + "/" for f in files for i in range(1, f.count("/") + 1)}
    return build_template(config, lambda p: p in files or p in dirs)


GLOBALS = """\
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.13
    Timeout: 20
    Role: arn:aws:iam::123456789012:role/from-globals
    Layers: [arn:layer:global]
    Environment:
      Variables:
        STAGE: dev
        TABLE: global-table
Resources:
  A:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Timeout: 5
      Layers: [arn:layer:own]
      Environment:
        Variables:
          TABLE: own-table
  B:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
  C:
    Type: AWS::Lambda::Function
    Properties:
      Handler: app.handler
      Runtime: nodejs24.x
      Code:
        ZipFile: "exports.handler = async () => 1;"
"""


def test_globals_apply_as_sam_applies_them() -> None:
    functions, _ = template(GLOBALS, {"app.py"})
    a, b, c = functions
    # scalars: the resource's value wins
    assert (a.timeout.value, a.timeout.origin) == (5, "explicit")
    assert (b.timeout.value, b.timeout.origin, b.timeout.loc.line) == (20, "global", 5)
    # maps merge recursively
    assert {k: v.value for k, v in a.environment.items()} == {"STAGE": "dev", "TABLE": "own-table"}
    assert a.environment["STAGE"].loc.line == 10
    # lists concatenate, global first
    assert a.properties["Layers"] == ["arn:layer:global", "arn:layer:own"]
    # Role (and Policies, Events, FunctionName) never come from Globals
    assert a.role is None and b.role is None
    # plain Lambda functions take nothing from SAM Globals and default to 3 s
    assert (c.timeout.value, c.timeout.origin) == (3, "default")
    assert c.runtime is not None and c.runtime.value == "nodejs24.x"


def test_handler_resolution() -> None:
    text = """\
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Py:
        Type: AWS::Serverless::Function
        Properties: {CodeUri: src/, Runtime: python3.13, Handler: pkg.orders.create}
      PySlash:
        Type: AWS::Serverless::Function
        Properties: {CodeUri: src, Runtime: python3.13, Handler: handlers/app.main}
      Node:
        Type: AWS::Serverless::Function
        Properties: {CodeUri: web/, Runtime: nodejs24.x, Handler: lib/index.handler}
      Esbuild:
        Type: AWS::Serverless::Function
        Properties: {CodeUri: web/, Runtime: nodejs24.x, Handler: app.handler}
        Metadata:
          BuildMethod: esbuild
          BuildProperties: {EntryPoints: [src/app.ts]}
      Zip:
        Type: AWS::Serverless::Function
        Properties: {CodeUri: dist/bundle.zip, Runtime: python3.13, Handler: app.handler}
      Missing:
        Type: AWS::Serverless::Function
        Properties: {CodeUri: src/, Runtime: python3.13, Handler: gone.handler}
      Built:
        Type: AWS::Serverless::Function
        Properties: {CodeUri: build/, Runtime: nodejs24.x, Handler: index.handler}
      Remote:
        Type: AWS::Serverless::Function
        Properties: {CodeUri: s3://bucket/key.zip, Runtime: python3.13, Handler: app.handler}
      Image:
        Type: AWS::Serverless::Function
        Properties: {PackageType: Image, ImageUri: repo:tag}
      Unknown:
        Type: AWS::Serverless::Function
        Properties: {CodeUri: src/, Runtime: !Ref Runtime, Handler: handlers/app.main}
    """
    files = {"src/pkg/orders.py", "src/handlers/app.py", "web/lib/index.cjs", "web/lib/index.ts", "web/src/app.ts", "dist/app.py", "dist/bundle.zip"}
    functions, _ = template(text, files)
    got = {fn.name: (fn.source.status, fn.source.path, fn.source.symbol, fn.source.language) for fn in functions}
    assert got["Py"] == ("found", "src/pkg/orders.py", "create", "python")
    assert got["PySlash"] == ("found", "src/handlers/app.py", "main", "python")
    assert got["Node"] == ("found", "web/lib/index.cjs", "handler", "javascript")  # .mjs, .js, .cjs, .ts
    assert got["Esbuild"] == ("found", "web/src/app.ts", "handler", "typescript")
    assert got["Zip"][:2] == ("found", "dist/app.py")  # read beside the archive
    assert got["Missing"][:2] == ("missing", "src/gone.py")
    assert got["Built"][0] == "unresolved"  # the CodeUri folder is a build output
    assert got["Remote"][0] == "remote" and got["Image"][0] == "remote"
    assert got["Unknown"][:2] == ("found", "src/handlers/app.py")  # an intrinsic runtime: any language that exists


def test_inline_code() -> None:
    functions, _ = template(
        """\
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Runtime: python3.13
              Handler: index.handler
              InlineCode: |
                def handler(event, context):
                    return 1
        """
    )
    source = functions[0].source
    assert source.status == "inline" and source.path == "template.yaml" and source.symbol == "handler"
    assert source.inline_code is not None and source.inline_code.loc.line == 8


def test_policies_in_all_three_forms_and_through_a_role() -> None:
    functions, _ = template(
        """\
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Sam:
            Type: AWS::Serverless::Function
            Properties:
              Runtime: python3.13
              Handler: app.handler
              Policies:
                - AmazonS3ReadOnlyAccess
                - DynamoDBCrudPolicy: {TableName: !Ref T}
                - Statement:
                    - {Effect: Allow, Action: "sqs:*", Resource: "*"}
          Plain:
            Type: AWS::Lambda::Function
            Properties:
              Runtime: python3.13
              Handler: app.handler
              Code: {ZipFile: "def handler(e, c): pass"}
              Role: !GetAtt PlainRole.Arn
          PlainRole:
            Type: AWS::IAM::Role
            Properties:
              ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]
              Policies:
                - PolicyName: inline
                  PolicyDocument:
                    Statement: {Effect: Allow, Action: "s3:*", Resource: "*"}
          Extra:
            Type: AWS::IAM::Policy
            Properties:
              Roles: [!Ref PlainRole]
              PolicyDocument:
                Statement: [{Effect: Allow, Action: "kms:*", Resource: "*"}]
        """
    )
    sam, plain = functions
    assert [(p.kind, p.name) for p in sam.policies] == [
        ("managed", "AmazonS3ReadOnlyAccess"),
        ("template", "DynamoDBCrudPolicy"),
        ("inline", "inline"),
    ]
    assert sam.policies[1].arguments["TableName"] == Intrinsic("Ref", "T")
    assert sam.policies[2].statements[0]["Action"] == "sqs:*"
    assert sam.policies[2].loc.line == 11
    assert [(p.kind, p.via_role) for p in plain.policies] == [
        ("inline", "PlainRole"),
        ("managed", "PlainRole"),
        ("inline", "PlainRole"),
    ]


def test_events_queues_log_groups_alarms_permissions() -> None:
    functions, resources = template(
        """\
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Worker:
            Type: AWS::Serverless::Function
            Properties:
              Runtime: python3.13
              Handler: app.handler
              Events:
                Jobs: {Type: SQS, Properties: {Queue: !GetAtt Jobs.Arn}}
                Api: {Type: HttpApi, Properties: {Path: /x, Method: GET}}
          Jobs:
            Type: AWS::SQS::Queue
          Logs:
            Type: AWS::Logs::LogGroup
            Properties: {LogGroupName: !Sub "/aws/lambda/${Worker}", RetentionInDays: 14}
          Errors:
            Type: AWS::CloudWatch::Alarm
            Properties:
              Dimensions: [{Name: FunctionName, Value: !Ref Worker}]
          Invoke:
            Type: AWS::Lambda::Permission
            Properties: {FunctionName: !GetAtt Worker.Arn, Principal: "*", Action: lambda:InvokeFunction}
          Retries:
            Type: AWS::Lambda::EventInvokeConfig
            Properties: {FunctionName: !Ref Worker, Qualifier: $LATEST, MaximumRetryAttempts: 0}
        """,
        {"app.py"},
    )
    project = Project(functions=functions, resources=resources)
    (fn,) = functions
    sqs, api = fn.events
    assert (sqs.type, sqs.invocation, api.invocation) == ("SQS", "poll", "sync")
    queue = project.event_queue(fn, sqs)
    assert queue is not None and queue.logical_id == "Jobs"
    from slsreview.model.resources import queue_view

    view = queue_view(queue)
    assert (view.visibility_timeout.value, view.visibility_timeout.origin) == (30, "default")
    assert project.log_group_of(fn).logical_id == "Logs"  # type: ignore[union-attr]
    assert [a.logical_id for a in project.alarms_for(fn)] == ["Errors"]
    assert [p.logical_id for p in project.permissions_for(fn)] == ["Invoke"]
    config = project.event_invoke_config_of(fn)
    assert config is not None and config.value["MaximumRetryAttempts"] == 0 and config.loc.line == 23


def test_event_source_mappings_become_events_of_plain_functions() -> None:
    functions, resources = template(
        """\
        Resources:
          Fn:
            Type: AWS::Lambda::Function
            Properties: {Runtime: python3.13, Handler: app.handler, Code: {ZipFile: "x"}}
          Queue:
            Type: AWS::SQS::Queue
          Mapping:
            Type: AWS::Lambda::EventSourceMapping
            Properties: {FunctionName: !Ref Fn, EventSourceArn: !GetAtt Queue.Arn}
        """
    )
    assert [(e.name, e.type) for e in functions[0].events] == [("Mapping", "SQS")]
    queue = Project(functions=functions, resources=resources).event_queue(functions[0], functions[0].events[0])
    assert queue is not None and queue.logical_id == "Queue"


def test_event_source_mapping_types_from_resources_and_arns() -> None:
    functions, _ = template(
        """\
        Resources:
          Fn:
            Type: AWS::Lambda::Function
            Properties: {FunctionName: orders-consumer, Runtime: python3.13, Handler: app.handler, Code: {ZipFile: "x"}}
          Consumer:
            Type: AWS::Kinesis::StreamConsumer
            Properties: {StreamARN: arn:aws:kinesis:eu-west-1:123456789012:stream/s, ConsumerName: c}
          FromConsumer:
            Type: AWS::Lambda::EventSourceMapping
            Properties: {FunctionName: !GetAtt Fn.Arn, EventSourceArn: !GetAtt Consumer.ConsumerARN}
          FromLiteral:
            Type: AWS::Lambda::EventSourceMapping
            Properties: {FunctionName: orders-consumer, EventSourceArn: arn:aws:dynamodb:eu-west-1:123456789012:table/t/stream/2024}
          FromSub:
            Type: AWS::Lambda::EventSourceMapping
            Properties:
              FunctionName: !Ref Fn
              EventSourceArn: !Sub arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:orders
              FunctionResponseTypes: [ReportBatchItemFailures]
          FromParameter:
            Type: AWS::Lambda::EventSourceMapping
            Properties: {FunctionName: !Ref Fn, EventSourceArn: !Ref SourceArn, FunctionResponseTypes: !If [C, [ReportBatchItemFailures], []]}
        """
    )
    (fn,) = functions
    assert [(e.name, e.type) for e in fn.events] == [
        ("FromConsumer", "Kinesis"),
        ("FromLiteral", "DynamoDB"),
        ("FromSub", "SQS"),
        ("FromParameter", "EventSourceMapping"),
    ]
    assert [e.reports_batch_item_failures for e in fn.events] == [False, False, True, None]
    assert [e.label for e in fn.events][::3] == ["Kinesis event source mapping FromConsumer", "event source mapping FromParameter"]
    prop = fn.events[2].prop("FunctionResponseTypes")
    assert prop is not None and prop.loc.line == 19 and fn.events[2].prop("BatchSize") is None


def test_sns_with_an_sqs_subscription_is_polled() -> None:
    functions, _ = template(
        """\
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Runtime: python3.13
              Handler: app.handler
              Events:
                Direct: {Type: SNS, Properties: {Topic: !Ref T}}
                Queued: {Type: SNS, Properties: {Topic: !Ref T, SqsSubscription: true}}
        """
    )
    assert [e.invocation for e in functions[0].events] == ["async", "poll"]


def test_async_principals_dead_letter_targets_and_on_failure_destinations() -> None:
    from slsreview.model.resources import async_service, dead_letter_targets, has_on_failure

    _, resources = template(
        """\
        Resources:
          FromS3: {Type: AWS::Lambda::Permission, Properties: {Principal: s3.amazonaws.com}}
          FromLogs: {Type: AWS::Lambda::Permission, Properties: {Principal: !Sub "logs.${AWS::Region}.amazonaws.com"}}
          FromApi: {Type: AWS::Lambda::Permission, Properties: {Principal: apigateway.amazonaws.com}}
          Work:
            Type: AWS::SQS::Queue
            Properties: {RedrivePolicy: {deadLetterTargetArn: !GetAtt Dead.Arn, maxReceiveCount: 3}}
          Dead: {Type: AWS::SQS::Queue}
          Invoke:
            Type: AWS::Lambda::EventInvokeConfig
            Properties: {DestinationConfig: {OnSuccess: {Destination: x}}}
        """
    )
    by_id = {r.logical_id: r for r in resources}
    assert [async_service(by_id[p]) for p in ("FromS3", "FromLogs", "FromApi")] == ["S3", "CloudWatch Logs", None]
    assert dead_letter_targets(resources, "template.yaml") == {"Dead"}
    assert has_on_failure(by_id["Invoke"].properties) is False
    assert has_on_failure(load_yaml("t.yaml", "DestinationConfig: {OnFailure: {Type: SQS}}").value) is True
    assert has_on_failure(Intrinsic("Fn::If", ["C", {}, {}])) is True  # unknown until deploy, so not absent
    assert has_on_failure(None) is False


WRANGLER_TOML = """\
name = "orders"
main = "src/index.ts"
compatibility_date = "2025-06-01"
routes = ["orders.example.com/*"]

[vars]
MODE = "dev"

[[kv_namespaces]]
binding = "KV"
id = "abc"

[[durable_objects.bindings]]
name = "COUNTER"
class_name = "Counter"

[[queues.producers]]
binding = "JOBS"
queue = "jobs"

[[queues.consumers]]
queue = "jobs"

[[unsafe.bindings]]
name = "LIMITER"
type = "ratelimit"
namespace_id = "1001"

[env.production]
name = "orders-production"

[[env.production.d1_databases]]
binding = "DB"
database_id = "x"
"""


def test_wrangler_views_do_not_inherit_bindings_or_vars() -> None:
    config = ConfigFile("wrangler.toml", "wrangler", load_toml("wrangler.toml", WRANGLER_TOML).value)
    top, production = build_workers(config, lambda p: p == "src/index.ts")
    assert [(b.kind, b.name) for b in top.bindings] == [
        ("kv", "KV"),
        ("durable-object", "COUNTER"),
        ("queue-producer", "JOBS"),
        ("queue-consumer", "jobs"),
        ("rate-limiter", "LIMITER"),
    ]
    assert top.vars["MODE"].value == "dev" and top.vars["MODE"].loc.line == 7
    assert production.display_name == "orders-production [env.production]"
    assert [(b.kind, b.name) for b in production.bindings] == [("d1", "DB")]
    assert production.vars == {}
    # inheritable keys come from the top level, marked as such
    assert production.main is not None and production.main.origin == "global"
    assert production.compatibility_date is not None and production.compatibility_date.value == "2025-06-01"
    assert production.setting("routes") is not None
    assert top.source.status == "found" and top.source.symbol == "default"


def test_queue_consumers_with_cloudflare_defaults_per_view() -> None:
    text = textwrap.dedent(
        """\
        name = "jobs"
        main = "src/index.ts"

        [[queues.consumers]]
        queue = "jobs"

        [[queues.consumers]]
        queue = "exports"
        max_retries = 10
        dead_letter_queue = "exports-dlq"
        type = "http_pull"

        [env.production]
        [[env.production.queues.consumers]]
        queue = "jobs-production"
        max_retries = 5
        """
    )
    config = ConfigFile("wrangler.toml", "wrangler", load_toml("wrangler.toml", text).value)
    top, production = build_workers(config, lambda p: p == "src/index.ts")
    jobs, exports = top.queue_consumers
    assert (jobs.queue, jobs.max_retries.value, jobs.max_retries.origin, jobs.dead_letter_queue, jobs.pull) == ("jobs", 3, "default", None, False)
    assert jobs.loc.line == 4 and jobs.max_retries.loc.line == 4
    assert exports.dead_letter_queue is not None and exports.dead_letter_queue.value == "exports-dlq" and exports.pull
    (own,) = production.queue_consumers  # consumers are not inherited
    assert (own.queue, own.max_retries.value, own.max_retries.loc.line) == ("jobs-production", 5, 16)


def test_wrangler_jsonc_with_positions() -> None:
    text = '{\n  // orders\n  "name": "orders",\n  "main": "src/index.ts",\n  "r2_buckets": [{"binding": "FILES", "bucket_name": "f"}],\n}\n'
    config = ConfigFile("wrangler.jsonc", "wrangler", load_json("wrangler.jsonc", text, jsonc=True).value)
    (worker,) = build_workers(config, lambda p: p == "src/")
    assert worker.main is not None and worker.main.loc.short() == "wrangler.jsonc:4:11"
    assert worker.bindings[0].kind == "r2" and worker.bindings[0].loc.line == 5
    assert worker.source.status == "missing"
    (built,) = build_workers(config, lambda p: False)
    assert built.source.status == "unresolved"  # no src/ at all: a build step writes it


def test_a_startup_script_handler_is_not_a_module() -> None:
    functions, _ = template(
        """\
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Web:
            Type: AWS::Serverless::Function
            Properties: {CodeUri: app/, Runtime: nodejs24.x, Handler: run.sh}
        """,
        {"app/run.sh", "app/index.js"},
    )
    assert functions[0].source.status == "unresolved"
    assert "start-up script" in functions[0].source.detail


def test_worker_main_without_extension_is_resolved_as_the_bundler_does() -> None:
    config = ConfigFile("w/wrangler.toml", "wrangler", load_toml("w/wrangler.toml", 'name = "x"\nmain = "src/app.server"\n').value)
    (worker,) = build_workers(config, lambda p: p in {"w/src/app.server.tsx", "w/src/"})
    assert (worker.source.status, worker.source.path, worker.source.language) == ("found", "w/src/app.server.tsx", "typescript")
    config = ConfigFile("wrangler.toml", "wrangler", load_toml("wrangler.toml", 'name = "x"\nmain = "src/index.js"\n').value)
    (worker,) = build_workers(config, lambda p: p in {"src/index.ts", "src/"})
    assert worker.source.path == "src/index.ts"


def test_docs_for_a_configuration() -> None:
    from slsreview.model.project import Doc

    project = Project(docs=[Doc("README.md", ""), Doc("svc/README.md", ""), Doc("svc/docs/runbook.md", ""), Doc("other/README.md", "")])
    assert [d.path for d in project.docs_for("svc/template.yaml")] == ["README.md", "svc/README.md", "svc/docs/runbook.md"]
