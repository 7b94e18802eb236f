"""What says a value is a secret, and what only looks like one.

Four kinds of knowledge, written once for every rule and both languages:

- **credential formats** (``formats()``): the regexes of detect-secrets' plugins and a few more
  after gitleaks' rules, generated into ``data/secret_formats.json`` by
  ``scripts/generate_vocabulary.py`` from ``scripts/vocabulary/secret_formats.toml``;
- **secret names** (``secret_name``): ``STRIPE_SECRET_KEY`` and ``apiKey`` name secrets;
  ``PRIMARY_KEY`` (a key column), ``ENABLE_TOKEN_AUTH`` (a switch), ``TOKEN_TTL`` and
  ``PAYMENTS_SECRET_ARN`` (where a secret is) do not;
- **placeholders** (``is_placeholder``): ``""``, ``"PUT-YOUR-TOKEN-HERE"``, ``"<your key>"``,
  ``"xoxb-ENTER…"``, ``"${API_KEY}"``, AWS's documented example keys;
- **values that are not secrets** whatever their name (``plainly_not_secret``): booleans, numbers,
  ARNs, URLs without a password, paths, secret-store names (``prod/stripe``), other variables'
  names; and the stricter **credential shape** (``credential_shaped``) name-only evidence needs.

    >>> secret_name("STRIPE_SECRET_KEY"), secret_name("PRIMARY_KEY"), secret_name("TOKEN_TTL")
    ('strong', None, None)
    >>> is_placeholder("PUT-YOUR-TOKEN-HERE"), is_placeholder("s3cr3t-Pa55w0rd")
    (True, False)
    >>> plainly_not_secret("arn:aws:secretsmanager:eu-west-1:123456789012:secret:stripe")
    True
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

# -- credential formats (generated) -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Format:
    """One credential format: where the secret is in a match, and how sure a match is."""

    id: str
    title: str
    pattern: str
    flags: int  # re flags
    group: int  # the capture holding the secret; 0 = the whole match
    exact: bool  # no token characters may follow the match
    keywords: tuple[str, ...]  # lower-case; one must occur in a text for the regex to run
    check: str  # "", "jwt", "pem-body", "basic-auth", "not-hex": see slsreview.analysis.secret_scan
    tier: Literal["blocking", "non-blocking"]
    origin: str  # "detect-secrets AWSKeyDetector", "after gitleaks github-fine-grained-pat"

    @property
    def regex(self) -> re.Pattern[str]:
        """Compiled on first use: both users skip a format whose keywords a text lacks, so a
        review compiles only the formats some text could hold (a one-file re-review, a few)."""
        return _compiled(self.pattern, self.flags)


@dataclass(frozen=True, slots=True)
class FormatTable:
    source: dict[str, str]  # {"detect-secrets": "1.5.0"}
    reference: str  # the gitleaks release the extra formats follow
    generated: str
    formats: tuple[Format, ...]


_FLAGS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}


@cache
def format_table() -> FormatTable:
    text = resources.files(__package__).joinpath("data", "secret_formats.json").read_text("utf-8")
    data = json.loads(text)
    formats = []
    for row in data["formats"]:
        flags = 0
        for letter in row["flags"]:
            flags |= _FLAGS[letter]
        formats.append(
            Format(
                id=row["id"],
                title=row["title"],
                pattern=row["pattern"],
                flags=flags,
                group=row["group"],
                exact=row["exact"],
                keywords=tuple(row["keywords"]),
                check=row["check"],
                tier=row["tier"],
                origin=row["origin"],
            )
        )
    return FormatTable(dict(data["source"]), data["reference"], data["generated"], tuple(formats))


@cache
def _compiled(pattern: str, flags: int) -> re.Pattern[str]:
    return re.compile(pattern, flags)


def formats() -> tuple[Format, ...]:
    return format_table().formats


_TOKEN_RUN = re.compile(r"[A-Za-z0-9_-]*")
_JWT_RUN = re.compile(r"[A-Za-z0-9_.=-]*")


def candidates(fmt: Format, text: str) -> Iterator[tuple[re.Match[str], int, int]]:
    """Each match of ``fmt`` in ``text`` with the span of its secret: the capture group, or the
    whole match extended over the token characters that follow (a Stripe key is longer than
    the 24 characters its pattern needs). Matches never overlap the previous secret's span, so
    the work is linear in the text even when one token repeats a format's prefix many times."""
    position = 0
    search = fmt.regex.search
    while position <= len(text):
        match = search(text, position)
        if match is None:
            return
        start, end = match.span(fmt.group)
        if start < 0:
            position = match.end() + (match.end() == match.start())
            continue
        if fmt.group == 0 and not fmt.exact:
            run = (_JWT_RUN if fmt.check == "jwt" else _TOKEN_RUN).match(text, end)
            end = run.end() if run else end
        yield match, start, end
        position = max(end, match.end(), match.start() + 1)


# -- secret names ---------------------------------------------------------------------------------

# A name is split into lower-case parts on "_", "-", "." and camelCase humps; any part (or pair of
# parts) below makes it a secret's name, unless its last part says where the secret is or how it
# is used (ARN, NAME, TTL, HEADER...) or its first part makes it a switch (ENABLE_, USE_, IS_).
SECRET_WORDS = frozenset(
    {
        "secret",
        "secrets",
        "token",
        "password",
        "passwd",
        "passphrase",
        "pwd",
        "apikey",
        "credential",
        "credentials",
        "creds",
        "signingkey",
        "privatekey",
        "secretkey",
        "hmac",
        "accesstoken",
        "authtoken",
        "connectionstring",
    }
)
SECRET_PAIRS = frozenset(
    {
        ("api", "key"),
        ("private", "key"),
        ("signing", "key"),
        ("secret", "key"),
        ("access", "key"),
        ("auth", "key"),
        ("webhook", "key"),
        ("master", "key"),
        ("encryption", "key"),
        ("license", "key"),
        ("service", "key"),
        ("admin", "key"),
        ("account", "key"),
        ("client", "key"),
        ("session", "key"),
        ("hmac", "key"),
        ("jwt", "key"),
        ("db", "pass"),
        ("database", "pass"),
        ("smtp", "pass"),
        ("connection", "string"),
        ("database", "url"),  # DATABASE_URL carries the password by convention (postgres://u:p@h)
    }
)
# Names ending in these say where a secret is, or describe it, rather than hold it.
NOT_SECRET_SUFFIXES = frozenset(
    {
        "arn",
        "id",
        "ids",
        "name",
        "names",
        "url",
        "uri",
        "endpoint",
        "path",
        "file",
        "region",
        "ttl",
        "header",
        "param",
        "parameter",
        "table",
        "bucket",
        "enabled",
        "disabled",
        "length",
        "expiry",
        "expiration",
        "expires",
        "lifetime",
        "type",
        "mode",
        "version",
        "stage",
        "policy",
        "rotation",
        "timeout",
        "seconds",
        "minutes",
        "hours",
        "days",
        "count",
        "size",
        "limit",
        "format",
        "algorithm",
        "alg",
        "issuer",
        "audience",
        "scope",
        "scopes",
        "prefix",
        "field",
        "provider",
        "host",
        "port",
        "user",
        "username",
        "domain",
        "location",
        "ref",
        "store",
        "kms",
        "cookie",
        "query",
        "env",
        "var",
        "placeholder",
    }
)
NOT_SECRET_PREFIXES = frozenset({"enable", "disable", "use", "is", "has", "allow", "require", "skip", "max", "min", "num"})
# DATABASE_URL is a connection string by convention even though "url" otherwise says "where".
_SECRET_DESPITE_SUFFIX = frozenset({("database", "url")})

_PARTS = re.compile(r"[^a-z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def name_parts(name: str) -> list[str]:
    """``"stripeApiKey"`` -> ``["stripe", "api", "key"]``; ``"X-Api-Key"`` -> ``["x", "api", "key"]``."""
    return [p for p in _PARTS.split(_CAMEL.sub("_", name).lower()) if p]


def secret_name(name: str) -> Literal["strong", "weak"] | None:
    """``strong`` when the name says it holds a secret (``WEBHOOK_SECRET``, ``apiKey``,
    ``DB_PASSWORD``); ``weak`` when it ends in ``KEY`` or ``PASS`` without saying which kind
    (``STRIPE_KEY``: only a credential-shaped value makes it a secret, since ``PARTITION_KEY``
    ends the same way); None otherwise."""
    parts = name_parts(name)
    if not parts:
        return None
    pairs = list(itertools.pairwise(parts))
    if parts[-1] in NOT_SECRET_SUFFIXES and not any(p in _SECRET_DESPITE_SUFFIX for p in pairs[-1:]):
        return None
    if parts[0] in NOT_SECRET_PREFIXES and len(parts) > 1:
        return None
    if any(part in SECRET_WORDS for part in parts) or any(pair in SECRET_PAIRS for pair in pairs):
        return "strong"
    if parts[-1] in ("key", "pass") and len(parts) > 1 and parts[-2] not in NOT_SECRET_KEY_QUALIFIERS:
        return "weak"
    return None


# X_KEY where X says what kind of key it is, and that kind is not a credential.
NOT_SECRET_KEY_QUALIFIERS = frozenset(
    {
        "primary",
        "partition",
        "sort",
        "range",
        "hash",
        "cache",
        "s3",
        "object",
        "idempotency",
        "dedup",
        "dedupe",
        "deduplication",
        "public",
        "foreign",
        "lookup",
        "map",
        "group",
        "message",
        "item",
        "row",
        "column",
        "index",
        "file",
        "image",
        "upload",
        "route",
        "queue",
        "lock",
        "pk",
        "sk",
        "gsi",
        "lsi",
        "tenant",
        "user",
        "customer",
        "order",
        "config",
        "storage",
        "prefix",
        "kms",
        "cmk",
        "bypass",
        "pass",
        "sub",
        "header",
        "unique",
        "event",
        "metric",
        "label",
        "property",
        "field",
        "attribute",
        "state",
        "context",
        "request",
        "response",
        "query",
        "path",
        "template",
    }
)


def is_secret_name(name: str) -> bool:
    return secret_name(name) == "strong"


# -- request headers and fields ---------------------------------------------------------------------

# Request headers (lower-case) whose value is the caller's credential: logging one logs a key.
# Signatures (x-hub-signature-256, stripe-signature) are not here: an HMAC over one body is not
# reusable as a credential.
SECRET_HEADERS = frozenset(
    {
        "authorization",
        "proxy-authorization",
        "cookie",
        "set-cookie",
        "x-api-key",
        "api-key",
        "apikey",
        "x-auth-token",
        "x-access-token",
        "cf-access-jwt-assertion",
        "cf-access-client-secret",
    }
)
SECRET_HEADER_SUFFIXES = ("-secret", "-token", "-api-key", "-apikey", "-password")
# Body and query fields whose value is a credential the caller sent.
SECRET_FIELDS = frozenset(
    {
        "password",
        "passwd",
        "passphrase",
        "secret",
        "client_secret",
        "clientsecret",
        "api_key",
        "apikey",
        "private_key",
        "privatekey",
        "access_token",
        "accesstoken",
        "refresh_token",
        "refreshtoken",
        "id_token",
        "idtoken",
        "session_token",
        "sessiontoken",
        "current_password",
        "new_password",
        "newpassword",
        "oldpassword",
    }
)
# Properties of a Workers binding that hold credentials (Hyperdrive: the database password).
SECRET_BINDING_PROPERTIES = frozenset({"connectionString", "password"})


def is_secret_header(name: str) -> bool:
    name = name.lower()
    return name in SECRET_HEADERS or name.endswith(SECRET_HEADER_SUFFIXES)


def is_secret_field(name: str) -> bool:
    return name.lower().replace("-", "_") in SECRET_FIELDS or name.lower() in SECRET_FIELDS


# -- placeholders -----------------------------------------------------------------------------------

# A word of these anywhere in a value marks it as a placeholder a person will replace
# ("PUT-YOUR-TOKEN-HERE", "sk_live_REPLACE_ME", "AKIAIOSFODNN7EXAMPLE").
PLACEHOLDER_WORDS = frozenset(
    {
        "your",
        "yours",
        "here",
        "replace",
        "replaceme",
        "changeme",
        "placeholder",
        "example",
        "examplekey",
        "dummy",
        "fake",
        "sample",
        "todo",
        "tbd",
        "fixme",
        "insert",
        "enter",
        "redacted",
        "notasecret",
        "demo",
    }
)
# A short value of letters only that holds one of these is a made-up stand-in ("MyAPIkey",
# "KeyValue", "testpassword"), not a generated credential.
STAND_IN_PARTS = ("key", "token", "secret", "password", "passwd", "pass", "value", "my", "test", "demo", "sample", "dummy")
STAND_IN_WORDS = frozenset({"test", "testing", "password", "passwd", "pass", "secret", "key", "token", "my", "your", "demo", "sample", "example", "dummy", "value", "admin", "user", "changeme", "default", "p", "a", "ssw", "rd", "w"})
# A value that is only one of these is a placeholder too ("secret", "password", "changeit"); as
# a part of a longer value they prove nothing ("sk_test_..." is a real test key).
PLACEHOLDER_VALUES = frozenset(
    {
        "secret",
        "secrets",
        "password",
        "passwd",
        "pass",
        "token",
        "key",
        "apikey",
        "api_key",
        "api-key",
        "secretkey",
        "secret_key",
        "mysecret",
        "supersecret",
        "test",
        "testing",
        "dev",
        "local",
        "default",
        "admin",
        "root",
        "none",
        "null",
        "nil",
        "undefined",
        "empty",
        "unset",
        "optional",
        "required",
        "changeit",
        "change_me",
        "change-me",
        "letmein",
        "123456",
        "12345678",
        "qwerty",
        "foo",
        "bar",
        "foobar",
        "xxx",
    }
)
_PLACEHOLDER_SHAPES = re.compile(
    r"""^(?:
        <[^<>]*>                         # <your key>
      | \[[^\[\]]*\]                     # [API_KEY]
      | \$\{\{?[^}]*\}\}?                # ${API_KEY}, ${{ secrets.X }}
      | \$[A-Za-z_][A-Za-z0-9_]*         # $API_KEY
      | \{\{[^}]*\}\}                    # {{ api_key }}, {{resolve:...}}
      | %[A-Za-z_][A-Za-z0-9_]*%         # %API_KEY%
      | %[sd]                            # a format string
      | \*+ | \.+ | …+ | -+ | _+ | \#+   # ****, ..., ---
    )$""",
    re.VERBOSE,
)
_WORDS = re.compile(r"[A-Za-z]+")
_HUMPS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")

# AWS's documented example credentials (docs.aws.amazon.com/IAM/latest/UserGuide/security-creds.html).
DOCUMENTED_EXAMPLES = frozenset(
    {
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "AKIAI44QH8DHBEXAMPLE",
        "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
    }
)


def is_placeholder(value: str) -> bool:
    """True for a value a person is meant to replace: empty, a template marker, a word like
    ``YOUR``/``HERE``/``EXAMPLE``/``CHANGEME``, an ellipsis, one character repeated, or one of
    AWS's documented example keys."""
    text = value.strip().strip("'\"`")
    if not text or text in DOCUMENTED_EXAMPLES:
        return True
    if _PLACEHOLDER_SHAPES.match(text) or "…" in text or "..." in text:
        return True
    if text.lower() in PLACEHOLDER_VALUES:
        return True
    if "${" in text or "{{" in text or ("<" in text and ">" in text):
        return True
    if len(set(text.lower()) - set("-_ .")) <= 2:  # xxxxxxxx, 00000000, x-x-x
        return True
    if len(text) <= 20 and text.isalpha() and any(p in text.lower() for p in STAND_IN_PARTS):
        return True
    # made of stand-in words and digits only: "TestPassword123!", "MyPassword1", "Password123"
    humps = [w.lower() for run in _WORDS.findall(text) for w in (_HUMPS.findall(run) or [run])]
    if humps and len(text) <= 32 and all(h in STAND_IN_WORDS for h in humps):
        return True
    words = [w.lower() for run in _WORDS.findall(text) for w in (_HUMPS.findall(run) or [run])]
    if any(word in PLACEHOLDER_WORDS for word in words):
        return True
    return any(run in ("xxx", "xxxx", "XXX", "XXXX") or (set(run.lower()) == {"x"} and len(run) >= 3) for run in _WORDS.findall(text))


# -- values that are no secret ----------------------------------------------------------------------

_BOOLEANS = frozenset({"true", "false", "yes", "no", "on", "off", "enabled", "disabled", "1", "0"})
_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?(?:[smhdwy]|ms|kb|mb|gb)?$", re.IGNORECASE)
_URL = re.compile(r"^[a-z][a-z0-9+.-]*://([^/@\s]*@)?[^\s]*$", re.IGNORECASE)
_IDENTIFIER_PIECE = re.compile(r"^(?:[a-z]+|[A-Z]+|\d+|[a-z]+\d+|[A-Z]+\d+|(?:[A-Z][a-z]+)+)$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)
_DOMAIN = re.compile(r"^(?:[a-z0-9-]+\.)+[a-z]{2,}$", re.IGNORECASE)
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)


def plainly_not_secret(value: str) -> bool:
    """True for a value that cannot be a credential whatever it is called: a boolean, a number
    or duration, an ARN, a URL without a password, a path, an e-mail address or domain, a
    sentence, or a name built of words (``prod/stripe``, ``orders-api-key``, ``STRIPE_KEY``: the
    name of a secret in a store, or of another variable)."""
    text = value.strip()
    if text.lower() in _BOOLEANS or _NUMBER.match(text):
        return True
    if text.startswith(("arn:", "/", "./", "../", "~/", "s3://", "ssm:", "secretsmanager:", "$.", "$$.")) or text == "$":
        return True  # ARNs, paths, JSONPath (Step Functions' "token.$": "$$.Task.Token")
    url = _URL.match(text)
    if url and not (url.group(1) and ":" in url.group(1)):
        return True
    if any(ch.isspace() for ch in text):
        return True
    if _EMAIL.match(text) or _DOMAIN.match(text):
        return True
    pieces = [p for p in re.split(r"[/_.:-]+", text) if p]
    # words joined by - _ . / : ("prod/stripe", "orders-api-key", "MF-Proxy-Shared-Secret",
    # "miniflare-hello-world-HelloWorldObject"): a name, not a generated credential
    return len(pieces) >= 2 and all(_IDENTIFIER_PIECE.match(p) for p in pieces) and len(pieces[-1]) <= 24


def _mixed_case(piece: str) -> bool:
    return any(c.islower() for c in piece) and any(c.isupper() for c in piece)


def entropy(text: str) -> float:
    """Shannon entropy in bits per character."""
    if not text:
        return 0.0
    counts: dict[str, int] = {}
    for ch in text:
        counts[ch] = counts.get(ch, 0) + 1
    n = len(text)
    return -sum(c / n * math.log2(c / n) for c in counts.values())


def credential_shaped(value: str) -> bool:
    """True when a value looks like a generated credential: at least 16 characters without
    spaces, mixing letters with digits or symbols, not a placeholder, a UUID or anything
    ``plainly_not_secret``, and varied (at least 3 bits of entropy per character). Used only
    together with a secret's name: shape alone never makes a finding."""
    text = value.strip()
    if len(text) < 16 or len(text) > 4096 or is_placeholder(text) or plainly_not_secret(text) or _UUID.match(text):
        return False
    has_lower = any(c.islower() for c in text)
    has_upper = any(c.isupper() for c in text)
    has_digit = any(c.isdigit() for c in text)
    has_symbol = any(not c.isalnum() for c in text)
    if not (has_digit or has_symbol) or sum((has_lower, has_upper, has_digit)) < 2:
        return False
    return entropy(text) >= 3.0


def is_uuid(value: str) -> bool:
    return bool(_UUID.match(value.strip()))


# -- local secrets files ----------------------------------------------------------------------------

# Wrangler reads .dev.vars and .dev.vars.<environment> (and .env, .env.<environment>) for local
# development; dotenv tools read .env, .env.local, .env.<mode>. Files named as examples or
# templates are meant to be committed.
LOCAL_ENV_PREFIXES = (".dev.vars", ".env")
EXAMPLE_SUFFIXES = frozenset({"example", "examples", "sample", "template", "tmpl", "dist", "defaults", "default", "schema", "tpl", "vault", "placeholder"})


def local_env_file(filename: str) -> Literal["secrets", "example"] | None:
    """``secrets`` for ``.dev.vars``, ``.dev.vars.staging``, ``.env``, ``.env.local``;
    ``example`` for ``.dev.vars.example``, ``.env.sample``, ``example.env``; None otherwise."""
    name = filename.lower()
    for prefix in LOCAL_ENV_PREFIXES:
        if name == prefix:
            return "secrets"
        if name.startswith(prefix + "."):
            parts = name[len(prefix) + 1 :].split(".")
            return "example" if any(p in EXAMPLE_SUFFIXES for p in parts) else "secrets"
    if name.endswith(".env") and name[:-4].rstrip(".").split(".")[-1] in EXAMPLE_SUFFIXES:
        return "example"
    return None
