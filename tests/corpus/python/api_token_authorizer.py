"""REST API TOKEN authorizer validating an HS256 JWT with PyJWT."""
import os

import jwt

SIGNING_KEY = os.environ.get("JWT_SIGNING_KEY", "fake-signing-key-for-tests")
AUDIENCE = os.environ.get("JWT_AUDIENCE", "orders-api")


def policy(principal, effect, resource, context=None):
    doc = {
        "principalId": principal,
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [{"Action": "execute-api:Invoke", "Effect": effect, "Resource": resource}],
        },
    }
    if context:
        doc["context"] = {k: str(v) for k, v in context.items()}
    return doc


def lambda_handler(event, context):
    token = event.get("authorizationToken", "")
    scheme, _, raw = token.partition(" ")
    if scheme.lower() != "bearer" or not raw:
        raise Exception("Unauthorized")
    try:
        claims = jwt.decode(raw, SIGNING_KEY, algorithms=["HS256"], audience=AUDIENCE)
    except jwt.PyJWTError:
        raise Exception("Unauthorized") from None

    arn_base = event["methodArn"].split("/", 1)[0]
    return policy(claims["sub"], "Allow", f"{arn_base}/*", {"scope": claims.get("scope", ""), "tenant": claims.get("tid")})
