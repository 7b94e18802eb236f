"""The credential scan, the secret vocabulary and the .env loader.

Every credential below is made at run time from a hash (``fake``), so that no credential-shaped
string is written in the repository: a committed example key would trip every secret scanner
(ours included) that looks at this tree.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time

import pytest

from slsreview.analysis.secret_scan import match_value, scan_text
from slsreview.loaders.dotenv_loader import load_dotenv
from slsreview.redact import mask, redact
from slsreview.vocabulary.secrets import (
    credential_shaped,
    format_table,
    is_placeholder,
    local_env_file,
    plainly_not_secret,
    secret_name,
)


def fake(length: int, seed: str = "", alphabet: str = "") -> str:
    """A deterministic random-looking string of letters and digits (or of ``alphabet``)."""
    out = ""
    counter = 0
    while len(out) < length:
        digest = hashlib.sha256(f"{seed}:{counter}".encode()).digest()
        chunk = base64.b64encode(digest).decode().translate({ord(c): None for c in "+/="})
        if alphabet:
            chunk = "".join(alphabet[b % len(alphabet)] for b in digest)
        out += chunk
        counter += 1
    return out[:length]


def _b64url(document: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(document).encode()).decode().rstrip("=")


def jwt(payload: dict) -> str:
    return f"{_b64url({'alg': 'HS256', 'typ': 'JWT'})}.{_b64url(payload)}.{fake(43, 'sig')}"


HEX = "0123456789abcdef"
UPPER_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

# (format id, a value of that format)
FORMATS = [
    ("aws-access-key-id", "AKIA" + fake(16, "aws", UPPER_DIGITS)),
    ("github-token", "ghp_" + fake(36, "gh")),
    ("github-token", "github_pat_" + fake(82, "ghpat")),
    ("gitlab-token", "glpat-" + fake(20, "gl")),
    ("stripe-live-key", "sk_live_" + fake(40, "st")),
    ("stripe-live-key", "rk_live_" + fake(30, "rk")),
    ("stripe-test-key", "sk_test_" + fake(40, "stt")),
    ("stripe-webhook-secret", "whsec_" + fake(32, "wh")),
    ("slack-token", "xoxb-" + fake(12, "s1", "0123456789") + "-" + fake(12, "s2", "0123456789") + "-" + fake(24, "s3").lower()),
    ("slack-webhook-url", "https://hooks.slack.com/services/T" + fake(8, "t").upper() + "/B" + fake(8, "b").upper() + "/" + fake(24, "w")),
    ("sendgrid-api-key", "SG." + fake(22, "sg1") + "." + fake(43, "sg2")),
    ("google-api-key", "AIza" + fake(35, "g")),
    ("openai-api-key", "sk-" + fake(20, "o1") + "T3BlbkFJ" + fake(20, "o2")),
    ("anthropic-api-key", "sk-ant-api03-" + fake(93, "an") + "AA"),
    ("npm-token", "npm_" + fake(36, "npm").lower()),
    ("jwt", jwt({"sub": "svc", "role": "service_role"})),
    ("mailchimp-api-key", fake(32, "mc", HEX) + "-us14"),
    ("digitalocean-token", "dop_v1_" + fake(64, "do", HEX)),
    ("huggingface-token", "hf_" + fake(34, "hf", "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")),
]


@pytest.mark.parametrize(("format_id", "value"), FORMATS, ids=[f"{f}-{i}" for i, (f, _) in enumerate(FORMATS)])
def test_each_format_is_found_where_it_is_written(format_id: str, value: str) -> None:
    text = f'import os\n\nCLIENT = Client(key="{value}")\n'
    (found,) = scan_text("src/app.py", text)
    assert found.format == format_id
    assert (found.loc.line, found.loc.column) == (3, 22)
    assert (found.loc.end_line, found.loc.end_column) == (3, 22 + len(value))
    assert found.value == value and found.length == len(value)
    assert value not in repr(found) and found.shown == mask(value)


def test_test_mode_and_browser_keys_are_weaker() -> None:
    tiers = {f.id: f.tier for f in format_table().formats}
    assert tiers["stripe-test-key"] == tiers["google-api-key"] == "non-blocking"
    assert tiers["stripe-live-key"] == tiers["aws-access-key-id"] == "blocking"


def test_the_table_records_its_source_and_skips_with_reasons() -> None:
    table = format_table()
    assert table.source == {"detect-secrets": "1.5.0"}
    assert table.reference.startswith("gitleaks v8.30.0")
    origins = {f.origin.split(" (")[0] for f in table.formats}
    assert "detect-secrets AWSKeyDetector" in origins and "after gitleaks github-fine-grained-pat" in origins


@pytest.mark.parametrize(
    "text",
    [
        'AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"',  # AWS's documented example key
        'secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"  # aws_secret_access_key',
        'token = "xoxb-ENTER-YOUR-TOKEN-HERE"',
        'STRIPE = "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx"',
        'STRIPE = "sk_live_YOUR_SECRET_KEY_HERE_1234"',
        'key = "ghp_000000000000000000000000000000000000"',
        'PEM_HEADER = "-----BEGIN PRIVATE KEY-----"',  # a marker used to parse a key, not a key
        'pem = pem.replace("-----BEGIN RSA PRIVATE KEY-----", "").replace("\\n", "")',
        'key = "-----BEGIN PRIVATE KEY-----\\nMIIE...\\n-----END PRIVATE KEY-----"',
        'DATABASE_URL = "postgres://postgres:postgres@localhost:5432/app"',
        'url = "postgres://user:password@db.example.com/app"',
        'url = "https://user:${PASSWORD}@host/path"',
        'anon = "' + jwt({"role": "anon", "iss": "supabase"}) + '"',  # public by design
        'sample = "' + jwt({"sub": "1234567890", "name": "John Doe", "iat": 1516239022}) + '"',  # jwt.io's
        'BUCKET = "arn:aws:s3:::orders-' + fake(20, "bucket", HEX) + '"',
        'ID = "4a6d9f0e-2b1c-4c3d-9e8f-7a6b5c4d3e2f"',  # a UUID
        'integrity = "sha512-' + fake(86, "lock") + '=="',  # a lockfile hash
        "commit = '" + fake(40, "sha", HEX) + "'",
        'kv_id = "0f2ac74b498b48028cb68387c421e279"',
    ],
)
def test_no_finding_for_placeholders_examples_and_ids(text: str) -> None:
    assert scan_text("src/app.py", text + "\n", names=True) == []


def test_a_private_key_block_is_one_finding_over_its_lines() -> None:
    body = "\n".join(fake(64, f"pem{i}") for i in range(4))
    text = f'KEY = """-----BEGIN RSA PRIVATE KEY-----\n{body}\n-----END RSA PRIVATE KEY-----"""\n'
    (found,) = scan_text("app.py", text)
    assert found.format == "private-key"
    assert (found.loc.line, found.loc.column, found.loc.end_line) == (1, 10, 6)
    assert found.value.startswith("-----BEGIN") and found.value.endswith("KEY-----")


def test_a_url_password_for_a_real_host_is_found() -> None:
    password = fake(18, "pw")
    (found,) = scan_text("wrangler.toml", f'localConnectionString = "x"\nurl = "postgres://app:{password}@db.prod.internal:5432/app"\n')
    assert (found.format, found.value, found.name, found.loc.line) == ("url-password", password, "url", 2)


def test_name_evidence_only_in_source_and_only_with_a_credential_shape() -> None:
    key = fake(32, "apikey")
    text = f'API_KEY = "{key}"\nPRIMARY_KEY = "{fake(32, "pk")}"\nTOKEN_HEADER = "x-auth-token-value-1"\nheaders = {{"x-api-key": "{key}"}}\npassword = "correct horse battery staple"\n'
    assert scan_text("app.py", text) == []
    found = scan_text("app.py", text, names=True)
    assert [(s.format, s.name, s.loc.line, s.tier) for s in found] == [
        ("secret-named-literal", "API_KEY", 1, "non-blocking"),
        ("secret-named-literal", "x-api-key", 4, "non-blocking"),
    ]


def test_match_value_answers_for_one_configuration_value() -> None:
    fmt = match_value("whsec_" + fake(32, "v"))
    assert fmt is not None and fmt.id == "stripe-webhook-secret"
    assert match_value("PUT-YOUR-TOKEN-HERE") is None
    assert match_value("") is None


@pytest.mark.parametrize(
    "text",
    [
        "eyJ" * 50_000,
        "eyJa." * 40_000,
        "ghp_" * 50_000,
        "AKIA" * 50_000,
        "xoxb-1-" * 30_000,
        "cloudflare" * 20_000,
        "-----BEGIN PRIVATE KEY-----" * 5_000,
        "PADDING = '" + "p" * 200_000 + "'",
        "a = 'bcdefghij' " * 20_000,
    ],
    ids=lambda t: t[:12],
)
def test_hostile_text_is_scanned_in_linear_time(text: str) -> None:
    start = time.perf_counter()
    scan_text("app.py", text, names=True)
    redact(text)
    assert time.perf_counter() - start < 3.0


# -- the vocabulary ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "strength"),
    [
        ("STRIPE_SECRET_KEY", "strong"),
        ("WEBHOOK_SECRET", "strong"),
        ("apiKey", "strong"),
        ("DB_PASSWORD", "strong"),
        ("x-api-key", "strong"),
        ("DATABASE_URL", "strong"),
        ("STRIPE_KEY", "weak"),
        ("PRIMARY_KEY", None),  # a database key column
        ("PARTITION_KEY", None),
        ("ENABLE_TOKEN_AUTH", None),  # a switch
        ("TOKEN_TTL", None),
        ("PAYMENTS_SECRET_ARN", None),  # where the secret is
        ("SECRET_NAME", None),
        ("MAX_TOKENS", None),
        ("AWS_ACCESS_KEY_ID", None),
        ("PASSWORD_MIN_LENGTH", None),
        ("AUTH_TOKEN_HEADER", None),
    ],
)
def test_secret_names(name: str, strength: str | None) -> None:
    assert secret_name(name) == strength


@pytest.mark.parametrize(
    "value",
    ["", "PUT-YOUR-TOKEN-HERE", "<your key>", "xoxb-ENTER…", "${API_KEY}", "{{ api_key }}", "changeme", "secret", "xxxxxxxx", "sk_live_...", "YOUR_API_KEY", "replace-me-with-the-key", "AKIAIOSFODNN7EXAMPLE"],
)
def test_placeholders(value: str) -> None:
    assert is_placeholder(value)


@pytest.mark.parametrize("value", ["s3cr3t-Pa55w0rd", "sk_test_" + "a1B2c3D4e5F6g7H8", "hunter2", "ethereum-node-key-7"])
def test_not_placeholders(value: str) -> None:
    assert not is_placeholder(value)


@pytest.mark.parametrize(
    "value", ["true", "3600", "15m", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:stripe", "https://api.example.com/v1", "/prod/stripe/key", "prod/stripe", "orders-api-key", "STRIPE_API_KEY", "Bearer token", "api.example.com", "ops@example.com"]
)
def test_plainly_not_secret(value: str) -> None:
    assert plainly_not_secret(value) and not credential_shaped(value)


def test_credential_shape() -> None:
    assert credential_shaped(fake(32, "shape"))
    assert credential_shaped(fake(32, "hex", HEX))
    assert not credential_shaped("short1A")
    assert not credential_shaped("4a6d9f0e-2b1c-4c3d-9e8f-7a6b5c4d3e2f")
    assert not credential_shaped("abcdefghijklmnopqrstuvwxyz")  # letters only
    assert not credential_shaped("postgres://localhost:5432/app")


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        (".dev.vars", "secrets"),
        (".dev.vars.staging", "secrets"),
        (".env", "secrets"),
        (".env.local", "secrets"),
        (".env.production", "secrets"),
        (".dev.vars.example", "example"),
        (".env.example", "example"),
        (".env.sample", "example"),
        (".env.template", "example"),
        ("example.env", "example"),
        ("environment.ts", None),
        (".envrc", None),
    ],
)
def test_local_env_file_names(name: str, kind: str | None) -> None:
    assert local_env_file(name) == kind


# -- redaction ------------------------------------------------------------------------------------


def test_mask_shows_a_short_prefix_and_the_length() -> None:
    assert mask("ghp_" + "a" * 36) == "ghp_…(40 chars)"
    assert mask("hunter2!!") == "hu…(9 chars)"
    assert mask("short") == "…(5 chars)"


@pytest.mark.parametrize(("format_id", "value"), FORMATS, ids=[f"{f}-{i}" for i, (f, _) in enumerate(FORMATS)])
def test_redact_masks_every_format(format_id: str, value: str) -> None:
    text = f"the value {value} was logged"
    assert value not in redact(text)


def test_redact_masks_known_values_of_any_shape() -> None:
    assert redact("db password hunter2-prod here", known={"hunter2-prod"}) == "db password hun…(12 chars) here"


# -- the .env loader ---------------------------------------------------------------------------------


def test_dotenv_entries_with_positions() -> None:
    text = 'A=1\nexport TOKEN="abc def"\n# comment\nKEY="-----BEGIN\nbody\n-----END"\nB = \'q\'\n  C=plain # note\nnot an entry\nD=\n'
    env = load_dotenv(".dev.vars", text).value
    assert dict(env) == {"A": "1", "TOKEN": "abc def", "KEY": "-----BEGIN\nbody\n-----END", "B": "q", "C": "plain", "D": ""}
    assert env.loc("TOKEN").short() == ".dev.vars:2:15"
    assert (env.loc("KEY").line, env.loc("KEY").end_line) == (4, 6)
    assert env.key_loc("C").short() == ".dev.vars:8:3"


# -- SLS306 inside a git repository -------------------------------------------------------------------


def _git(root, *args: str) -> None:
    import subprocess

    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, env={**__import__("os").environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"})


def test_a_tracked_dev_vars_is_reported_even_when_gitignore_names_it_and_an_ignored_one_never(tmp_path) -> None:
    from tests.conftest import run_review, write_tree

    worker = 'name = "w"\nmain = "src/index.ts"\ncompatibility_date = "2025-06-01"\n'
    write_tree(tmp_path, {"wrangler.toml": worker, "src/index.ts": "export default {};\n", ".dev.vars": f"API_TOKEN={fake(24, 'tracked')}\n"})
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "committed the secrets")
    write_tree(tmp_path, {".gitignore": ".dev.vars*\n", "app/.dev.vars.staging": f"API_TOKEN={fake(24, 'ignored')}\n"})
    found = [(f.path, f.line) for f in run_review(tmp_path, select=["SLS306"]).findings]
    assert found == [(".dev.vars", 1)]
