"""Cognito PreSignUp trigger: auto-confirm users from allowed domains, reject the rest."""
import os

ALLOWED_DOMAINS = {d.strip().lower() for d in os.environ.get("ALLOWED_DOMAINS", "example.com").split(",")}


def lambda_handler(event, context):
    if event["triggerSource"] not in ("PreSignUp_SignUp", "PreSignUp_AdminCreateUser"):
        return event

    email = event["request"]["userAttributes"].get("email", "")
    domain = email.rpartition("@")[2].lower()
    if domain not in ALLOWED_DOMAINS:
        raise Exception(f"Sign-ups from {domain or 'unknown'} are not allowed")

    event["response"]["autoConfirmUser"] = True
    event["response"]["autoVerifyEmail"] = True
    return event
