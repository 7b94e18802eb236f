"""Cognito PostConfirmation trigger: add the user to a group and create a profile row."""
import os

import boto3

idp = boto3.client("cognito-idp")
profiles = boto3.resource("dynamodb").Table(os.environ["PROFILES_TABLE"])
DEFAULT_GROUP = os.environ.get("DEFAULT_GROUP", "members")


def handler(event, context):
    if event["triggerSource"] != "PostConfirmation_ConfirmSignUp":
        return event
    attrs = event["request"]["userAttributes"]
    idp.admin_add_user_to_group(
        UserPoolId=event["userPoolId"], Username=event["userName"], GroupName=DEFAULT_GROUP
    )
    profiles.put_item(
        Item={"userId": attrs["sub"], "email": attrs.get("email"), "plan": "free"},
        ConditionExpression="attribute_not_exists(userId)",
    )
    return event
