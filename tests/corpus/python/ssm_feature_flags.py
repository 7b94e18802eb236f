"""Serves feature flags from SSM Parameter Store with a small in-memory TTL cache."""
import json
import os
import time

import boto3

ssm = boto3.client("ssm")
PREFIX = os.environ.get("FLAGS_PREFIX", "/app/flags/")
TTL = 60

_cache: dict[str, tuple[float, dict]] = {}


def load_flags(environment: str) -> dict:
    cached = _cache.get(environment)
    if cached and cached[0] > time.monotonic():
        return cached[1]
    param = ssm.get_parameter(Name=f"{PREFIX}{environment}", WithDecryption=True)
    flags = json.loads(param["Parameter"]["Value"])
    _cache[environment] = (time.monotonic() + TTL, flags)
    return flags


def handler(event, context):
    env_name = event.get("pathParameters", {}).get("env", "prod")
    api_key = ssm.get_parameter(Name="/app/partner-api-key", WithDecryption=True)["Parameter"]["Value"]
    flags = load_flags(env_name)
    return {
        "statusCode": 200,
        "headers": {"cache-control": f"max-age={TTL}"},
        "body": json.dumps({"env": env_name, "flags": flags, "partnerConfigured": bool(api_key)}),
    }
