"""The AWS managed policies whose statements the model knows, and how to read a policy ARN.

slsreview does not ship AWS's ~1,300 managed policies: they change without notice and a stale
copy would grant or deny the wrong things. It knows the few that SAM attaches to the roles it
creates for functions (and ``AdministratorAccess``, which is ``*`` on ``*`` by definition), so
that the model can say what a SAM function without ``Role`` is granted. Any other managed
policy is known by name only, and the grants say so ("unknown").

Each entry is written once from the AWS Managed Policy Reference page named beside it, with
the policy version read there (2026-12-03). A new version of one of these policies changes
what SAM functions are granted; the page's "Policy version" says when.

    >>> from slsreview.vocabulary.managed_policies import known_policy, policy_name
    >>> policy_name("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")
    ('AWSLambdaBasicExecutionRole', True)
    >>> known_policy("AWSLambdaBasicExecutionRole").statements[0]["Action"]
    ('logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_REFERENCE = "https://docs.aws.amazon.com/aws-managed-policy/latest/reference/"


@dataclass(frozen=True, slots=True)
class ManagedPolicy:
    name: str
    path: str  # "/service-role/"
    version: str  # the policy version the statements were read at
    statements: tuple[dict[str, Any], ...]

    @property
    def docs(self) -> str:
        return f"{_REFERENCE}{self.name}.html"


def _allow_all(*actions: str) -> tuple[dict[str, Any], ...]:
    return ({"Effect": "Allow", "Action": actions, "Resource": "*"},)


_LOGS = ("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents")

_KNOWN = {
    p.name: p
    for p in (
        ManagedPolicy("AWSLambdaBasicExecutionRole", "/service-role/", "v1", _allow_all(*_LOGS)),
        ManagedPolicy(
            "AWSLambdaBasicDurableExecutionRolePolicy",
            "/service-role/",
            "v3",
            _allow_all(*_LOGS, "lambda:CheckpointDurableExecution", "lambda:GetDurableExecutionState"),
        ),
        ManagedPolicy(
            "AWSLambdaVPCAccessExecutionRole",
            "/service-role/",
            "v3",
            _allow_all(
                *_LOGS,
                "ec2:CreateNetworkInterface",
                "ec2:DescribeNetworkInterfaces",
                "ec2:DescribeSubnets",
                "ec2:DeleteNetworkInterface",
                "ec2:AssignPrivateIpAddresses",
                "ec2:UnassignPrivateIpAddresses",
            ),
        ),
        ManagedPolicy(
            "AWSXrayWriteOnlyAccess",
            "/",
            "v2",
            _allow_all(
                "xray:PutTraceSegments",
                "xray:PutTelemetryRecords",
                "xray:GetSamplingRules",
                "xray:GetSamplingTargets",
                "xray:GetSamplingStatisticSummaries",
            ),
        ),
        ManagedPolicy(
            "AWSLambdaSQSQueueExecutionRole",
            "/service-role/",
            "v1",
            _allow_all("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", *_LOGS),
        ),
        ManagedPolicy(
            "AWSLambdaKinesisExecutionRole",
            "/service-role/",
            "v2",
            _allow_all(
                "kinesis:DescribeStream",
                "kinesis:DescribeStreamSummary",
                "kinesis:GetRecords",
                "kinesis:GetShardIterator",
                "kinesis:ListShards",
                "kinesis:ListStreams",
                "kinesis:SubscribeToShard",
                *_LOGS,
            ),
        ),
        ManagedPolicy(
            "AWSLambdaDynamoDBExecutionRole",
            "/service-role/",
            "v1",
            _allow_all(
                "dynamodb:DescribeStream",
                "dynamodb:GetRecords",
                "dynamodb:GetShardIterator",
                "dynamodb:ListStreams",
                *_LOGS,
            ),
        ),
        ManagedPolicy("AdministratorAccess", "/", "v1", _allow_all("*")),
    )
}

# arn:aws:iam::aws:policy/service-role/Name, arn:${AWS::Partition}:iam::aws:policy/Name,
# arn:aws:iam::123456789012:policy/team/Name (customer managed)
_POLICY_ARN = re.compile(r"^arn:(?:aws[\w-]*|\$\{AWS::Partition\}|\*):iam::(aws|\d{12}|\$\{AWS::AccountId\}):policy/(?:[\w+=,.@/-]*/)?([\w+=,.@-]+)$")
_BARE_NAME = re.compile(r"^[\w+=,.@-]+$")


def policy_name(text: str) -> tuple[str, bool] | None:
    """(name, is AWS managed) of a managed policy written as an ARN or, as SAM allows, a bare
    AWS managed policy name; None when the text is neither."""
    match = _POLICY_ARN.match(text)
    if match:
        return match.group(2), match.group(1) == "aws"
    if _BARE_NAME.match(text):
        return text, True
    return None


def known_policy(name: str) -> ManagedPolicy | None:
    """The statements of an AWS managed policy the model knows, or None."""
    return _KNOWN.get(name)


def known_policies() -> tuple[str, ...]:
    return tuple(_KNOWN)
