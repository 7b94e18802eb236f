from __future__ import annotations

import textwrap

import pytest

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


def test_apis_of_a_function_with_globals_and_the_implicit_api() -> None:
    text = """\
        Transform: AWS::Serverless-2016-10-31
        Globals:
          Api:
            Cors: "'*'"
          HttpApi:
            Auth:
              DefaultAuthorizer: Jwt
        Resources:
          Orders:
            Type: AWS::Serverless::Api
            Properties:
              StageName: prod
              EndpointConfiguration: {Type: PRIVATE}
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Handler: app.handler
              Runtime: python3.13
              InlineCode: "def handler(e, c): pass"
              Events:
                Implicit: {Type: Api, Properties: {Path: /a, Method: GET}}
                Explicit: {Type: Api, Properties: {RestApiId: !Ref Orders, Path: /b, Method: GET}}
                Http: {Type: HttpApi, Properties: {Path: /c, Method: GET}}
                Imported: {Type: HttpApi, Properties: {ApiId: !ImportValue shared-api, Path: /d, Method: GET}}
                Queue: {Type: SQS, Properties: {Queue: arn:aws:sqs:eu-west-1:123456789012:q}}
        """
    loaded = load_yaml("template.yaml", textwrap.dedent(text))
    config = ConfigFile("template.yaml", "template", loaded.value)
    functions, resources = build_template(config, lambda p: False)
    project = Project(configs=[config], functions=functions, resources=resources)
    (fn,) = functions
    routes = {event.name: api for event, api in project.apis_of(fn)}
    assert list(routes) == ["Implicit", "Explicit", "Http", "Imported"]
    implicit, explicit, http, imported = routes.values()
    assert implicit is not None and implicit.implicit and implicit.logical_id == "ServerlessRestApi"
    cors = implicit.prop("Cors")
    assert cors is not None and (cors.value, cors.origin, cors.loc.line) == ("'*'", "global", 4)
    assert explicit is not None and explicit.private and explicit.prop("Cors") is not None
    assert http is not None and http.kind == "http" and http.properties["Auth"]["DefaultAuthorizer"] == "Jwt"
    assert imported is None  # not in the template: unknown, not open


def test_route_authorization_and_worker_reachability() -> None:
    from slsreview.model.apis import route_authorization, worker_reachable

    text = """\
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Api:
            Type: AWS::Serverless::Api
            Properties:
              StageName: prod
              Auth: {DefaultAuthorizer: AWS_IAM}
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Handler: app.handler
              Runtime: python3.13
              InlineCode: "def handler(e, c): pass"
              Events:
                Default: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /a, Method: GET}}
                Open: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /b, Method: GET, Auth: {Authorizer: NONE}}}
                Preflight: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /b, Method: OPTIONS, Auth: {Authorizer: NONE}}}
                Policy: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /c, Method: GET, Auth: {ResourcePolicy: {IpRangeWhitelist: [10.0.0.0/8]}}}}
        """
    loaded = load_yaml("template.yaml", textwrap.dedent(text))
    config = ConfigFile("template.yaml", "template", loaded.value)
    functions, resources = build_template(config, lambda p: False)
    project = Project(configs=[config], functions=functions, resources=resources)
    states = {event.name: route_authorization(event, api)[0] for event, api in project.apis_of(functions[0]) if api}
    assert states == {"Default": "protected", "Open": "opted-out", "Preflight": "protected", "Policy": "unknown"}

    views = build_workers(ConfigFile("wrangler.toml", "wrangler", load_toml("wrangler.toml", WRANGLER_TOML).value), lambda p: False)
    assert [worker_reachable(w) for w in views] == ["its routes", "its routes"]  # routes are inherited
    quiet = load_toml("wrangler.toml", 'name = "a"\nworkers_dev = false\n').value
    assert worker_reachable(build_workers(ConfigFile("wrangler.toml", "wrangler", quiet), lambda p: False)[0]) is None
    default = load_toml("wrangler.toml", 'name = "a"\n').value
    assert worker_reachable(build_workers(ConfigFile("wrangler.toml", "wrangler", default), lambda p: False)[0]) == (
        "workers.dev (workers_dev defaults to true)"
    )


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


# -- what each function is granted (slsreview.model.grants) ------------------------------------

from slsreview.model.grants import grants_for  # noqa: E402

SAM_GRANTS = """\
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Tracing: Active
Resources:
  OrdersFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      VpcConfig: {SubnetIds: [subnet-1], SecurityGroupIds: [sg-1]}
      Policies:
        - AmazonS3ReadOnlyAccess
        - DynamoDBCrudPolicy: {TableName: !Ref OrdersTable}
        - SQSSendMessagePolicy: {QueueName: shipments}
        - Statement:
            - Effect: Allow
              Action: ["s3:Get*", "s3:PutObject"]
              Resource: !Sub "${ReceiptsBucket.Arn}/*"
            - Effect: Deny
              Action: s3:DeleteObject
              Resource: "*"
            - Effect: Allow
              NotAction: ["iam:*", "organizations:*"]
              Resource: "*"
              Condition: {Bool: {aws:MultiFactorAuthPresent: "true"}}
      DeadLetterQueue: {Type: SQS, TargetArn: !GetAtt OrdersDlq.Arn}
      EventInvokeConfig:
        DestinationConfig:
          OnFailure: {Type: SNS, Destination: !Ref AlertsTopic}
      Events:
        Queue: {Type: SQS, Properties: {Queue: !GetAtt OrdersQueue.Arn}}
  OrdersTable: {Type: AWS::DynamoDB::Table}
  ReceiptsBucket: {Type: AWS::S3::Bucket}
  OrdersDlq: {Type: AWS::SQS::Queue}
  OrdersQueue: {Type: AWS::SQS::Queue}
  AlertsTopic: {Type: AWS::SNS::Topic}
"""


def _grants(text: str, name: str | None = None):  # type: ignore[no-untyped-def]
    functions, resources = template(text)
    fn = next(f for f in functions if name is None or f.name == name)
    project = Project(functions=functions, resources=resources)
    return project.grants_for(fn)


def test_sam_function_grants_in_every_form_with_where_each_is_written() -> None:
    grants = _grants(SAM_GRANTS)
    assert [(g.source, g.policy, g.loc.line) for g in grants.grants] == [
        ("sam", "AWSLambdaBasicExecutionRole", 6),  # SAM's role: the function's logical id
        ("sam", "AWSXrayWriteOnlyAccess", 4),  # Tracing, from Globals
        ("sam", "AWSLambdaVPCAccessExecutionRole", 11),
        ("sam", "AWSLambdaSQSQueueExecutionRole", 32),  # the SQS event's poller
        ("template", "DynamoDBCrudPolicy", 14),
        ("template", "SQSSendMessagePolicy", 15),
        ("inline", "inline", 17),  # each statement where it is written
        ("inline", "inline", 20),
        ("inline", "inline", 23),
        ("sam", "DeadLetterQueue", 27),
        ("sam", "EventInvokeConfig.OnFailure", 30),
    ]
    # a managed policy we do not ship is named, and makes the answer unknown, never guessed
    assert [(u.why, u.loc.line, u.can_deny) for u in grants.unknown] == [
        ("the AWS managed policy AmazonS3ReadOnlyAccess: its statements are not known to slsreview", 13, False)
    ]
    assert not grants.known and grants.role is None
    assert grants.unknown[0].policy == "AmazonS3ReadOnlyAccess", "named, for a rule about broad managed policies"


def test_sam_grants_template_arguments_and_references() -> None:
    grants = _grants(SAM_GRANTS)
    crud = next(g for g in grants.grants if g.policy == "DynamoDBCrudPolicy")
    assert "dynamodb:PutItem" in crud.actions
    assert [(r.text, r.pattern, r.known, r.refers_to) for r in crud.resources] == [
        ("arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/{!Ref OrdersTable}", "arn:*:dynamodb:*:*:table/*", False, ("OrdersTable",)),
        ("arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/{!Ref OrdersTable}/index/*", "arn:*:dynamodb:*:*:table/*/index/*", False, ("OrdersTable",)),
    ]
    queue = next(g for g in grants.grants if g.policy == "SQSSendMessagePolicy")
    assert queue.resources[0].known and queue.resources[0].pattern == "arn:*:sqs:*:*:shipments"
    receipts = grants.grants[6]
    assert receipts.resources[0].text == "{!GetAtt ReceiptsBucket.Arn}/*"
    assert receipts.resources[0].refers_to == ("ReceiptsBucket",)
    dlq = next(g for g in grants.grants if g.policy == "DeadLetterQueue")
    assert dlq.actions == ("sqs:SendMessage",) and dlq.resources[0].refers_to == ("OrdersDlq",)
    failure = next(g for g in grants.grants if g.policy == "EventInvokeConfig.OnFailure")
    assert failure.actions == ("sns:Publish",) and failure.resources[0].refers_to == ("AlertsTopic",)


def test_deny_notaction_and_conditions_are_kept() -> None:
    grants = _grants(SAM_GRANTS)
    deny, not_action = grants.grants[7], grants.grants[8]
    assert (deny.effect, deny.actions) == ("Deny", ("s3:DeleteObject",))
    assert not_action.not_actions == ("iam:*", "organizations:*") and not_action.actions == ()
    assert not_action.condition == {"Bool": {"aws:MultiFactorAuthPresent": "true"}}
    assert grants.covers("s3:DeleteObject") == "denied"
    assert grants.denying("s3:DeleteObject") == [deny]
    # only the conditional NotAction statement could allow this
    assert not_action.action_applies("ec2:RunInstances") == "yes"
    assert not_action.action_applies("iam:CreateUser") == "no"


def test_covers_with_wildcards_arns_and_unknown_parts() -> None:
    grants = _grants(SAM_GRANTS)
    # SAM's own role: logs on "*" (AWSLambdaBasicExecutionRole), known for certain
    assert grants.covers("logs:PutLogEvents") == "granted"
    assert grants.covers("xray:PutTraceSegments") == "granted"
    # s3:Get* on the objects of !GetAtt ReceiptsBucket.Arn: granted on that bucket, whose ARN
    # is known only at deploy; a concrete ARN cannot be decided
    assert grants.covers("s3:GetObject") == "granted"
    assert grants.covers("s3:GetObject", target="ReceiptsBucket") == "granted"
    assert grants.covers("s3:GetObject", "arn:aws:s3:::receipts/a.pdf") == "unknown"
    assert [g.policy for g in grants.allowing("s3:GetObject")] == ["inline", "inline"]
    # DynamoDBCrudPolicy on !Ref OrdersTable
    assert grants.covers("dynamodb:PutItem", target="OrdersTable") == "granted"
    # another table: the template's grants name only OrdersTable, but an unshipped managed
    # policy (AmazonS3ReadOnlyAccess) is part of the role, so "not granted" cannot be said
    assert grants.covers("dynamodb:PutItem", target="AuditTable") == "unknown"
    assert grants.covers("sns:Publish", target="AlertsTopic") == "granted"
    levels = grants.access_levels()
    assert levels["dynamodb:PutItem"] == "Write" and levels["logs:CreateLogGroup"] == "Write"
    assert levels["s3:GetObject"] == "Read" and "s3:PutObject" in levels


def test_role_in_the_template_with_every_attachment() -> None:
    grants = _grants(
        """\
        Resources:
          Fn:
            Type: AWS::Lambda::Function
            Properties:
              Runtime: python3.13
              Handler: app.handler
              Code: {ZipFile: "def handler(e, c): pass"}
              Role: !GetAtt FnRole.Arn
          FnRole:
            Type: AWS::IAM::Role
            Properties:
              ManagedPolicyArns:
                - !Sub arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole
                - !Ref SharedPolicy
                - arn:aws:iam::123456789012:policy/team-boundary
              Policies:
                - PolicyName: tables
                  PolicyDocument:
                    Statement:
                      - Effect: Allow
                        Action: dynamodb:Get*
                        Resource: arn:aws:dynamodb:eu-west-1:123456789012:table/orders
          SharedPolicy:
            Type: AWS::IAM::ManagedPolicy
            Properties:
              PolicyDocument:
                Statement: {Effect: Allow, Action: "sqs:SendMessage", Resource: "*"}
          Extra:
            Type: AWS::IAM::Policy
            Properties:
              PolicyName: extra
              Roles: [!Ref FnRole]
              PolicyDocument:
                Statement: [{Effect: Allow, Action: ["s3:GetObject"], Resource: "arn:aws:s3:::receipts"}]
        """
    )
    assert grants.role == "FnRole"
    assert [(g.source, g.policy, g.via_role) for g in grants.grants] == [
        ("inline", "tables", "FnRole"),
        ("managed", "AWSLambdaBasicExecutionRole", "FnRole"),
        ("inline", "SharedPolicy", "FnRole"),
        ("inline", "Extra", "FnRole"),
    ]
    # a customer managed policy is unknown and could also deny
    assert [(u.why, u.can_deny) for u in grants.unknown] == [
        ("the customer managed policy team-boundary: its statements are not known to slsreview", True)
    ]
    assert grants.covers("dynamodb:GetItem", "arn:aws:dynamodb:eu-west-1:123456789012:table/orders") == "unknown"
    # the classic mistake: a bucket ARN grants no object action (decided by the ARN formats)
    extra = grants.grants[3]
    assert extra.resource_applies("s3:GetObject") == "no"
    assert extra.applies("s3:GetObject", "arn:aws:s3:::receipts/a.pdf") == "no"


def test_known_grants_answer_not_granted_and_granted() -> None:
    grants = _grants(
        """\
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Runtime: python3.13
              Handler: app.handler
              Policies:
                - Statement:
                    - {Effect: Allow, Action: "dynamodb:Get*", Resource: "arn:aws:dynamodb:*:*:table/orders"}
                    - {Effect: Allow, Action: "s3:*", Resource: ["arn:aws:s3:::receipts", "arn:aws:s3:::receipts/*"]}
                    - {Effect: Allow, Action: "xray:PutTraceSegments", Resource: "arn:aws:xray:*:*:group/x"}
                    - {Effect: Allow, Action: "sns:Publish", NotResource: "arn:aws:sns:*:*:internal"}
        """
    )
    assert grants.known
    assert grants.covers("dynamodb:GetItem") == "granted"
    assert grants.covers("dynamodb:GetItem", "arn:aws:dynamodb:eu-west-1:1:table/orders") == "granted"
    assert grants.covers("dynamodb:GetItem", "arn:aws:dynamodb:eu-west-1:1:table/refunds") == "not-granted"
    assert grants.covers("dynamodb:PutItem") == "not-granted"
    assert grants.covers("s3:GetObject", "arn:aws:s3:::receipts/2026/a.pdf") == "granted"
    assert grants.covers("s3:GetObject", "arn:aws:s3:::other/a.pdf") == "not-granted"
    # xray:PutTraceSegments takes only Resource "*": a specific ARN grants nothing
    assert grants.covers("xray:PutTraceSegments") == "not-granted"
    assert grants.covers("sns:Publish", "arn:aws:sns:eu-west-1:1:internal") == "not-granted"
    assert grants.covers("sns:Publish", "arn:aws:sns:eu-west-1:1:orders") == "granted"
    assert set(grants.allowed_actions()) >= {"dynamodb:GetItem", "s3:PutObject", "sns:Publish"}


@pytest.mark.parametrize(
    ("role", "why"),
    [
        ("arn:aws:iam::123456789012:role/shared-lambda", "the Role arn:aws:iam::123456789012:role/shared-lambda is defined outside this template"),
        ("!ImportValue shared-role-arn", "the Role is !ImportValue shared-role-arn, known only at deploy"),
        ("!If [UseShared, arn:aws:iam::1:role/a, arn:aws:iam::1:role/b]", "the Role is !If, known only at deploy"),
        ("!Ref RoleArn", "the Role !Ref RoleArn is not a role in this template"),
        ("!GetAtt Orders.Arn", "the Role !GetAtt Orders.Arn is a AWS::DynamoDB::Table, not an AWS::IAM::Role"),
    ],
)
def test_a_role_outside_the_template_makes_everything_unknown(role: str, why: str) -> None:
    grants = _grants(
        f"""\
        Transform: AWS::Serverless-2016-10-31
        Parameters:
          RoleArn: {{Type: String}}
        Resources:
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Runtime: python3.13
              Handler: app.handler
              Role: {role}
              Policies: [AWSLambdaBasicExecutionRole]
          Orders: {{Type: AWS::DynamoDB::Table}}
        """
    )
    assert grants.grants == (), "Policies are ignored when Role is set, as SAM ignores them"
    assert [(u.why, u.can_deny) for u in grants.unknown] == [(why, True)]
    assert grants.covers("logs:PutLogEvents") == "unknown"
    assert grants.covers("dynamodb:PutItem") == "unknown"


def test_policies_that_are_intrinsics_are_unknown() -> None:
    grants = _grants(
        """\
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Runtime: python3.13
              Handler: app.handler
              PermissionsBoundary: arn:aws:iam::123456789012:policy/boundary
              Policies:
                - !If [IsProd, AmazonS3ReadOnlyAccess, AmazonS3FullAccess]
                - NoSuchTemplatePolicy: {}
                - Statement:
                    - {Effect: Allow, Action: !Ref ActionParam, Resource: "*"}
                    - {Effect: Allow, Action: "sqs:SendMessage", Resource: !ImportValue shared-queue-arn}
        """
    )
    assert [u.why for u in grants.unknown] == [
        "a permissions boundary limits the role SAM creates",
        "a policy is !If, known only at deploy",
        "SAM has no policy template NoSuchTemplatePolicy",
    ]
    action_param, imported = grants.grants[1], grants.grants[2]
    assert not action_param.actions_known and action_param.action_applies("s3:GetObject") == "maybe"
    assert imported.resources[0].text == "{!ImportValue shared-queue-arn}" and not imported.resources[0].known
    assert grants.covers("sqs:SendMessage") == "unknown"
    assert grants.covers("logs:PutLogEvents") == "unknown", "the boundary could limit it"


def test_conditional_deny_makes_the_answer_unknown() -> None:
    grants = _grants(
        """\
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Runtime: python3.13
              Handler: app.handler
              Policies:
                - Statement:
                    - {Effect: Allow, Action: "s3:*", Resource: "*"}
                    - Effect: Deny
                      Action: s3:PutObject
                      Resource: "*"
                      Condition: {StringNotEquals: {s3:x-amz-server-side-encryption: aws:kms}}
                    - Effect: Allow
                      Action: kms:Decrypt
                      Resource: "*"
                      Condition: {StringEquals: {kms:ViaService: s3.eu-west-1.amazonaws.com}}
        """
    )
    assert grants.covers("s3:GetObject") == "granted"
    assert grants.covers("s3:PutObject") == "unknown", "the Deny applies unless the condition holds"
    assert grants.covers("kms:Decrypt") == "conditional"


def test_function_without_source_of_grants() -> None:
    grants = _grants(
        """\
        Resources:
          Fn:
            Type: AWS::Lambda::Function
            Properties: {Runtime: python3.13, Handler: app.handler, Code: {ZipFile: x}}
        """
    )
    assert [u.why for u in grants.unknown] == ["the function has no Role"]
    assert grants.covers("logs:PutLogEvents") == "unknown"
    assert grants_for is not None


def test_long_form_intrinsics_in_json_templates() -> None:
    loaded = load_json(
        "template.json",
        textwrap.dedent(
            """\
            {"Resources": {
              "Fn": {"Type": "AWS::Lambda::Function", "Properties": {
                "Runtime": "python3.13", "Handler": "app.handler", "Code": {"ZipFile": "x"},
                "Role": {"Fn::GetAtt": ["FnRole", "Arn"]}}},
              "Bucket": {"Type": "AWS::S3::Bucket"},
              "FnRole": {"Type": "AWS::IAM::Role", "Properties": {"Policies": [{
                "PolicyName": "objects",
                "PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "s3:PutObject",
                  "Resource": {"Fn::Join": ["", [{"Fn::GetAtt": ["Bucket", "Arn"]}, "/*"]]}}]}}]}}
            }}
            """
        ),
    )
    functions, resources = build_template(ConfigFile("template.json", "template", loaded.value), lambda p: False)
    grants = Project(functions=functions, resources=resources).grants_for(functions[0])
    assert grants.role == "FnRole" and grants.known
    (grant,) = grants.grants
    assert (grant.resources[0].text, grant.resources[0].refers_to) == ("{!GetAtt Bucket.Arn}/*", ("Bucket",))
    assert grants.covers("s3:PutObject", target="Bucket") == "granted"
    assert grants.covers("s3:GetObject") == "not-granted"


def test_role_policies_attached_by_role_name_and_role_policy_resources() -> None:
    grants = _grants(
        """\
        Resources:
          Fn:
            Type: AWS::Lambda::Function
            Properties:
              Runtime: python3.13
              Handler: app.handler
              Role: !GetAtt FnRole.Arn
              Code: {ZipFile: "def handler(e, c): pass"}
          FnRole:
            Type: AWS::IAM::Role
            Properties:
              RoleName: orders-fn
              AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]}
          ByName:
            Type: AWS::IAM::Policy
            Properties:
              PolicyName: by-name
              Roles: [orders-fn]
              PolicyDocument: {Statement: [{Effect: Allow, Action: sqs:SendMessage, Resource: "*"}]}
          RolePolicy:
            Type: AWS::IAM::RolePolicy
            Properties:
              RoleName: !Ref FnRole
              PolicyName: orders
              PolicyDocument: {Statement: [{Effect: Allow, Action: dynamodb:PutItem, Resource: "*"}]}
          OtherRolePolicy:
            Type: AWS::IAM::RolePolicy
            Properties:
              RoleName: someone-else
              PolicyName: other
              PolicyDocument: {Statement: [{Effect: Allow, Action: s3:GetObject, Resource: "*"}]}
        """
    )
    assert grants.known and grants.role == "FnRole"
    assert [g.policy for g in grants.grants] == ["ByName", "RolePolicy"]
    assert grants.covers("dynamodb:PutItem") == "granted"
    assert grants.covers("s3:GetObject") == "not-granted"


def test_sam_connectors_make_the_grants_unknown() -> None:
    grants = _grants(
        """\
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Fn:
            Type: AWS::Serverless::Function
            Properties: {Runtime: python3.13, Handler: app.handler, InlineCode: "def handler(e, c): pass"}
          Other:
            Type: AWS::Serverless::Function
            Connectors:
              TableConnector:
                Properties: {Destination: {Id: Orders}, Permissions: [Read]}
            Properties: {Runtime: python3.13, Handler: app.handler, InlineCode: "def handler(e, c): pass"}
          FnToOrders:
            Type: AWS::Serverless::Connector
            Properties:
              Source: {Id: Fn}
              Destination: {Id: Orders}
              Permissions: [Write]
          Orders: {Type: AWS::DynamoDB::Table}
        """
    )
    assert [(u.why, u.can_deny) for u in grants.unknown] == [("SAM connector FnToOrders adds permissions to the role", False)]
    assert grants.covers("dynamodb:PutItem") == "unknown"
    other = _grants(
        """\
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Other:
            Type: AWS::Serverless::Function
            Connectors:
              TableConnector:
                Properties: {Destination: {Id: Orders}, Permissions: [Read]}
            Properties: {Runtime: python3.13, Handler: app.handler, InlineCode: "def handler(e, c): pass"}
          Orders: {Type: AWS::DynamoDB::Table}
        """
    )
    assert [u.why for u in other.unknown] == ["SAM connector TableConnector adds permissions to the role"]


def test_written_statements_and_policy_references_name_their_owner() -> None:
    from slsreview.model.policies import policy_references, written_statements

    functions, resources = template(
        """\
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Runtime: python3.13
              Handler: app.handler
              InlineCode: "def handler(e, c): pass"
              Policies:
                - AWSLambdaBasicExecutionRole
                - DynamoDBReadPolicy: {TableName: orders}
                - Statement: [{Effect: Allow, Action: s3:GetObject, Resource: "*"}]
          Shared:
            Type: AWS::IAM::Role
            Properties:
              AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: "*"}]}
              ManagedPolicyArns: [!Ref Extra]
          Extra:
            Type: AWS::IAM::ManagedPolicy
            Properties:
              PolicyDocument: {Statement: [{Effect: Allow, Action: sqs:*, Resource: "*"}]}
          A:
            Type: AWS::Lambda::Function
            Properties: {Runtime: python3.13, Handler: app.handler, Role: !GetAtt Shared.Arn, Code: {ZipFile: x}}
          B:
            Type: AWS::Lambda::Function
            Properties: {Runtime: python3.13, Handler: app.handler, Role: !GetAtt Shared.Arn, Code: {ZipFile: x}}
        """
    )
    project = Project(functions=functions, resources=resources)
    statements = written_statements(project)
    assert [(s.owner.label, s.grant.actions, s.node.loc("Action").line) for s in statements] == [
        ("Fn", ("s3:GetObject",), 12),
        ("managed policy Extra (used by A, B)", ("sqs:*",), 21),
    ]
    refs = policy_references(project)
    assert [(r.kind, r.name, r.loc.line, r.owner.logical_id) for r in refs] == [
        ("managed", "AWSLambdaBasicExecutionRole", 10, "Fn"),
        ("template", "DynamoDBReadPolicy", 11, "Fn"),
        ("managed", "", 17, "Shared"),
    ]
    assert statements[0].owner.function is functions[0] and statements[1].owner.function is None


def test_a_deny_of_some_resources_does_not_deny_the_call_in_general() -> None:
    grants = _grants(
        """\
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Runtime: python3.13
              Handler: app.handler
              Policies:
                - Statement:
                    - {Effect: Allow, Action: sns:Publish, Resource: "*"}
                    - {Effect: Deny, Action: sns:Publish, Resource: "arn:aws:sns:*:*:*"}
                    - {Effect: Deny, Action: s3:DeleteObject, Resource: "*"}
        """
    )
    # text messages to phone numbers have no topic: allowed; topics: denied
    assert grants.covers("sns:Publish") == "unknown"
    assert grants.covers("sns:Publish", "arn:aws:sns:eu-west-1:123456789012:orders") == "denied"
    assert grants.covers("s3:DeleteObject") == "denied"
