from __future__ import annotations

from collections.abc import Iterator

from slsreview.loaders.nodes import ListNode, MapNode
from slsreview.model.project import Resource, known
from slsreview.model.resources import dead_letter_targets
from slsreview.rule import Context, Example, Expect, Report, Rule

_HEAD = "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n"


def _table(attrs: str) -> str:
    return (
        "  OrdersTable:\n"
        "    Type: AWS::DynamoDB::Table\n"
        f"{attrs}"
        "    Properties:\n"
        "      BillingMode: PAY_PER_REQUEST\n"
        "      AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]\n"
        "      KeySchema: [{AttributeName: pk, KeyType: HASH}]\n"
    )

# What deleting the stack does to each kind of data (CloudFormation's default DeletionPolicy is
# Delete for all of these; RDS clusters and instances default to Snapshot and are not listed).
_LOSES: dict[str, str] = {
    "AWS::DynamoDB::Table": "deletes the table and every item in it",
    "AWS::DynamoDB::GlobalTable": "deletes the table and every item in it, in every replica Region",
    "AWS::Serverless::SimpleTable": "deletes the table and every item in it",
    "AWS::S3::Bucket": "deletes the bucket when it is empty, and fails (leaving the stack half deleted) when it holds objects",
    "AWS::Kinesis::Stream": "deletes the stream and the records it still holds",
    "AWS::EFS::FileSystem": "deletes the file system and every file on it",
    "AWS::Cognito::UserPool": "deletes the user pool and every user account in it",
}
_DLQ_LOSES = "deletes the failed messages it holds, before anyone has looked at them"


class StatefulResourceWithoutDeletionPolicy(Rule):
    """
    ## What it does
    Lists the template's resources that hold data and have no explicit `DeletionPolicy`: DynamoDB
    tables (also global tables and SAM `SimpleTable`s), S3 buckets, Kinesis streams, EFS file
    systems, Cognito user pools, and SQS queues that are some queue's dead-letter queue (the one
    place failed messages wait for a person). A resource that protects itself from deletion
    (`DeletionProtectionEnabled: true` on a table, `DeletionProtection: ACTIVE` on a user pool)
    counts as decided.

    A resource that keeps its data on stack deletion (`DeletionPolicy: Retain` or `Snapshot`)
    without an `UpdateReplacePolicy` is listed too: an update that replaces it (a new table name or
    key schema) still deletes the old one with its data. `DeletionPolicy: Delete` written down is a
    decision, and not listed.

    One finding per resource, on its logical id (or on its `DeletionPolicy` when only the
    replacement policy is missing). Work queues, topics and log groups are not listed: their
    content is transient or covered by SLS505.

    ## Why is this bad?
    CloudFormation's default `DeletionPolicy` is `Delete`: `sam delete` on a stack, or a stack
    removed by a cleanup job, deletes the orders table, the uploads bucket's objects (or fails half
    way when the bucket is not empty) and the dead-letter messages nobody has read. Whether data
    should outlive its stack is a decision the template should record, not a default.

    ## Why this tier
    Human confirmation: keeping the data or deleting it with the stack can both be right (a
    preview stack should clean up after itself); a person who knows what the data is decides.

    ## Example
    ```yaml
    OrdersTable:
      Type: AWS::DynamoDB::Table
      Properties:
        BillingMode: PAY_PER_REQUEST
    ```

    ## Use instead
    ```yaml
    OrdersTable:
      Type: AWS::DynamoDB::Table
      DeletionPolicy: Retain
      UpdateReplacePolicy: Retain
      Properties:
        BillingMode: PAY_PER_REQUEST
    ```

    ## References
    - [DeletionPolicy attribute](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html)
    - [UpdateReplacePolicy attribute](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-updatereplacepolicy.html)
    - [SAM resource attributes](https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-resource-attributes.html)
    - [sam delete](https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-cli-command-reference-sam-delete.html)
    """

    id = "SLS506"
    name = "stateful-resource-without-deletion-policy"
    category = "cleanup"
    tier = "human-confirmation"
    platforms = ("aws-lambda",)
    title = "A table, bucket, stream or dead-letter queue has no DeletionPolicy: removing the stack decides for you"
    fix = (
        "Set DeletionPolicy and UpdateReplacePolicy on the resource: Retain to keep the data when the stack goes, "
        "Delete (written down) when it should go with it."
    )
    docs = (
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html",
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-updatereplacepolicy.html",
    )

    bad = [
        Example(
            {"template.yaml": _HEAD + _table("")},
            expect=[
                Expect(
                    "template.yaml",
                    4,
                    3,
                    "OrdersTable (AWS::DynamoDB::Table) has no DeletionPolicy: deleting the stack deletes the table "
                    "and every item in it",
                )
            ],
            name="table",
        ),
        Example(
            {
                "template.yaml": _HEAD
                + "  Uploads:\n    Type: AWS::S3::Bucket\n"
                + "  OrdersQueue:\n    Type: AWS::SQS::Queue\n    Properties:\n"
                "      RedrivePolicy: {deadLetterTargetArn: !GetAtt OrdersDLQ.Arn, maxReceiveCount: 5}\n"
                "  OrdersDLQ:\n    Type: AWS::SQS::Queue\n"
            },
            expect=[
                Expect(
                    "template.yaml",
                    4,
                    3,
                    "Uploads (AWS::S3::Bucket) has no DeletionPolicy: deleting the stack deletes the bucket when it is "
                    "empty, and fails (leaving the stack half deleted) when it holds objects",
                ),
                Expect(
                    "template.yaml",
                    10,
                    3,
                    "OrdersDLQ (AWS::SQS::Queue), a dead-letter queue, has no DeletionPolicy: deleting the stack "
                    "deletes the failed messages it holds, before anyone has looked at them",
                ),
            ],
            name="bucket-and-dead-letter-queue-but-not-the-work-queue",
        ),
        Example(
            {"template.yaml": _HEAD + _table("    DeletionPolicy: Retain\n")},
            expect=[
                Expect(
                    "template.yaml",
                    6,
                    5,
                    "OrdersTable (AWS::DynamoDB::Table) is kept when the stack is deleted (DeletionPolicy: Retain) but "
                    "has no UpdateReplacePolicy: an update that replaces it still deletes the table and every item in it",
                )
            ],
            name="retained-but-not-on-replacement",
        ),
    ]
    good = [
        Example(
            {"template.yaml": _HEAD + _table("    DeletionPolicy: Retain\n    UpdateReplacePolicy: Retain\n")},
            name="retained",
        ),
        Example(
            {"template.yaml": _HEAD + _table("    DeletionPolicy: Delete\n")},
            name="delete-written-down-for-a-preview-stack",
        ),
        Example(
            {"template.yaml": _HEAD + _table("") + "      DeletionProtectionEnabled: true\n"},
            name="deletion-protection",
        ),
        Example(
            {
                "template.yaml": _HEAD
                + "  JobsQueue:\n    Type: AWS::SQS::Queue\n    Properties:\n      VisibilityTimeout: 60\n"
                "  Events:\n    Type: AWS::SNS::Topic\n"
            },
            name="work-queue-and-topic-hold-nothing-to-keep",
        ),
    ]

    def check(self, ctx: Context) -> Iterator[Report]:
        dead_letters: dict[str, set[str]] = {}
        for resource in ctx.project.resources:
            loses = _LOSES.get(resource.type)
            label = f"{resource.logical_id} ({resource.type})"
            if resource.type == "AWS::SQS::Queue":
                if resource.template not in dead_letters:
                    dead_letters[resource.template] = dead_letter_targets(ctx.project.resources, resource.template)
                if resource.logical_id in dead_letters[resource.template]:
                    loses, label = _DLQ_LOSES, f"{label}, a dead-letter queue,"
            if loses is None or _protected(resource):
                continue
            deletion = resource.attribute("DeletionPolicy")
            if deletion is None:
                yield Report(resource, f"{label} has no DeletionPolicy: deleting the stack {loses}")
            elif (
                deletion.value in ("Retain", "RetainExceptOnCreate", "Snapshot")
                and resource.attribute("UpdateReplacePolicy") is None
            ):
                yield Report(
                    resource.node.key_loc("DeletionPolicy"),
                    f"{label} is kept when the stack is deleted (DeletionPolicy: {deletion.value}) but has no "
                    f"UpdateReplacePolicy: an update that replaces it still {loses}",
                    fix="Add UpdateReplacePolicy with the same value as DeletionPolicy.",
                )


def _protected(resource: Resource) -> bool:
    """The resource refuses to be deleted: a decision, written in its properties."""
    props = resource.properties
    if props.get("DeletionProtectionEnabled") is True or props.get("DeletionProtection") == "ACTIVE":
        return True
    if not known(props.get("DeletionProtectionEnabled", False)):
        return True
    replicas = props.get("Replicas")
    return isinstance(replicas, ListNode) and bool(replicas) and all(
        isinstance(r, MapNode) and r.get("DeletionProtectionEnabled") is True for r in replicas
    )
