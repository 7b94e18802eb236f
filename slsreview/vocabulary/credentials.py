"""Words that say a value is a credential, or that code checks one.

Used by the exposure rules through ``slsreview.analysis.credentials``: which request headers carry
a credential, which environment names hold a secret (and which only look like they do), and which
library calls verify a caller. Written once here for both languages; lower-case throughout.

    >>> "authorization" in CREDENTIAL_HEADERS
    True
"""

from __future__ import annotations

# Request headers (lower-case, as the facts name them: ``headers.<name>``) that carry a caller's
# credential or a signature over the request.
CREDENTIAL_HEADERS = frozenset(
    {
        "authorization",
        "proxy-authorization",
        "x-api-key",
        "api-key",
        "apikey",
        "x-auth-token",
        "x-access-token",
        "cf-access-jwt-assertion",  # Cloudflare Access in front of a Worker
        "cf-access-client-id",
        "cf-access-client-secret",
        "stripe-signature",
        "x-hub-signature",
        "x-hub-signature-256",  # GitHub webhooks
        "x-slack-signature",
        "x-twilio-signature",
        "x-signature-ed25519",  # Discord interactions
        "svix-signature",
        "webhook-signature",
        "x-shopify-hmac-sha256",
        "cookie",  # a session cookie is checked by reading it
    }
)
# Header name shapes that carry credentials: x-<vendor>-signature, x-<app>-token, x-<app>-secret.
CREDENTIAL_HEADER_SUFFIXES = ("-signature", "-token", "-secret", "-api-key", "-apikey", "-hmac", "-auth")
# Query-string parameters that carry a credential (``?token=...``).
# (Not "key": ``?key=`` is as often an object key or a cache key as an API key.)
CREDENTIAL_QUERY_PARAMS = frozenset({"token", "api_key", "apikey", "access_token", "auth", "signature", "sig"})

# Secret *names* (WEBHOOK_SECRET, apiKey; not PRIMARY_KEY or TOKEN_TTL) are slsreview.vocabulary.secrets'.

# Calls that verify a caller's credential or a request signature, as resolved callees
# (``module.function``) or their last parts.
VERIFY_CALLEES = frozenset(
    {
        "jwt.verify",  # jsonwebtoken, @tsndr/cloudflare-worker-jwt
        "jwt.decode",  # PyJWT verifies the signature unless told not to
        "jose.jwtVerify",
        "jose.jwt.decode",  # python-jose
        "jwtVerify",
        "crypto.subtle.verify",
        "verifyKey",  # discord-interactions
        "verify_key.verify",  # PyNaCl VerifyKey(...).verify
        "stripe.webhooks.constructEvent",
        "stripe.Webhook.construct_event",
        "Webhook.verify",  # svix
        "verifyRequestSignature",
        "validateRequest",  # twilio
        "cognito.verify",
        "CognitoJwtVerifier.create",
        "verify_jwt",
        "verify_token",
        "verifyToken",
        "verify_signature",
        "verifySignature",
        "access.getIdentity",  # Workers: ctx.access, set when Cloudflare Access authenticated the request
    }
)
# Modules whose use means the handler authenticates its callers (framework auth middleware,
# identity providers' SDKs).
AUTH_MODULES = (
    "hono/bearer-auth",
    "hono/basic-auth",
    "hono/jwt",
    "hono/jwk",
    "@hono/clerk-auth",
    "@hono/auth-js",
    "@hono/firebase-auth",
    "@clerk/",
    "@auth/",
    "better-auth",
    "@cloudflare/pages-plugin-cloudflare-access",
    "aws-jwt-verify",
    "jose",
    "jsonwebtoken",
    "@tsndr/cloudflare-worker-jwt",
    "itty-router-extras/auth",
)
