"""Where values come from that a rule cares about: randomness, the clock, and secrets.

A call listed here returns a ``Source`` of kind ``random``, ``time`` or ``secret`` (see
``facts.py``) named by the word: ``uuid.uuid4()`` is ``random``/``uuid4``, ``Date.now()`` is
``time``/``Date.now``, ``get_secret_value(SecretId="db")`` is ``secret``/``db``.

    >>> from slsreview.vocabulary.spelling import spellings
    >>> spellings(RANDOM, "python")["uuid.uuid4"], spellings(TIME, "javascript")["Date.now"]
    ('uuid4', 'Date.now')
    >>> SECRET_READS[("ssm", "GetParameter")]
    SecretRead(name_key='Name', decrypt_key='WithDecryption')
"""

from __future__ import annotations

from dataclasses import dataclass

from slsreview.vocabulary.spelling import ABSENT, Absent, Word

# Python Workers reach the JavaScript globals through the `js` module (js.crypto.randomUUID).
RANDOM: tuple[Word, ...] = (
    Word("uuid4", python=("uuid.uuid4",)),
    Word("uuid1", python=("uuid.uuid1",)),
    Word("os.urandom", python=("os.urandom",)),
    Word("secrets.token_hex", python=("secrets.token_hex",)),
    Word("secrets.token_urlsafe", python=("secrets.token_urlsafe",)),
    Word("secrets.token_bytes", python=("secrets.token_bytes",)),
    Word("secrets.choice", python=("secrets.choice",)),
    Word("secrets.randbelow", python=("secrets.randbelow",)),
    Word("secrets.randbits", python=("secrets.randbits",)),
    Word("crypto.randomUUID", python=("js.crypto.randomUUID",), javascript=("crypto.randomUUID",)),
    Word("crypto.randomBytes", javascript=("crypto.randomBytes",)),
    Word("crypto.randomInt", javascript=("crypto.randomInt",)),
    # not known to the Python analyzer through `js` yet
    Word(
        "crypto.getRandomValues",
        javascript=("crypto.getRandomValues", "crypto.webcrypto.getRandomValues"),
    ),
    Word("Math.random", python=("js.Math.random",), javascript=("Math.random",)),
    Word("uuid.v1", javascript=("uuid.v1",)),
    Word("uuid.v4", javascript=("uuid.v4", "uuid")),
    Word("uuid.v7", javascript=("uuid.v7",)),
    Word("nanoid", javascript=("nanoid.nanoid", "nanoid")),
    Word("ulid", javascript=("ulid.ulid", "ulid.monotonicFactory")),
    Word("cuid2", javascript=("@paralleldrive/cuid2.createId",)),
    Word("cuid", javascript=("cuid",)),
)
# Every function of these modules is random; the Source is named by the function's qualified
# name (random.randint). Python only: JavaScript's Math.random is a word of its own above.
PYTHON_RANDOM_MODULES = frozenset({"random"})

TIME: tuple[Word, ...] = (
    Word("time.time", python=("time.time",)),
    Word("time.time_ns", python=("time.time_ns",)),
    Word("datetime.now", python=("datetime.datetime.now",)),
    Word("datetime.utcnow", python=("datetime.datetime.utcnow",)),
    Word("datetime.today", python=("datetime.datetime.today",)),
    Word("date.today", python=("datetime.date.today",)),
    Word("Date.now", python=("js.Date.now",), javascript=("Date.now",)),
    Word("Date", javascript=("Date",)),  # Date() called without new: the time as a string
    Word("performance.now", javascript=("performance.now", "perf_hooks.performance.now")),
    Word("process.hrtime", javascript=("process.hrtime", "process.hrtime.bigint")),
)
# Constructed without arguments, the current time (`new Date()`): JavaScript only
TIME_CONSTRUCTORS: tuple[Word, ...] = (Word("new Date()", javascript=("Date",)),)


@dataclass(frozen=True, slots=True)
class SecretRead:
    """An AWS operation whose result is a secret: the input naming the secret, and the input
    without which the value is not decrypted (a plain SSM String parameter is no secret).

    Both analyzers count SSM reads as secrets only when ``WithDecryption`` is given and not
    literally ``False``; a secret whose name is not a literal is named ``*``."""

    name_key: str
    decrypt_key: str | None = None


SECRET_READS: dict[tuple[str, str], SecretRead] = {
    ("secretsmanager", "GetSecretValue"): SecretRead("SecretId"),
    ("ssm", "GetParameter"): SecretRead("Name", "WithDecryption"),
    ("ssm", "GetParameters"): SecretRead("Names", "WithDecryption"),
    ("ssm", "GetParametersByPath"): SecretRead("Path", "WithDecryption"),
}


@dataclass(frozen=True, slots=True)
class PowertoolsRead:
    """A Powertools for AWS Lambda parameters function whose result is a secret.

    ``python``/``javascript``: the function's name in each (``ABSENT``: not recognised there).
    ``decrypt``: the keyword (Python) or option (JavaScript, ``getParameter("/x", { decrypt:
    true })``) without which a parameter is not decrypted, and so no secret."""

    python: str | Absent
    javascript: str | Absent
    decrypt: str | None = None


POWERTOOLS_SECRET_READS: tuple[PowertoolsRead, ...] = (
    PowertoolsRead("get_secret", "getSecret"),
    PowertoolsRead("get_parameter", "getParameter", "decrypt"),
    PowertoolsRead("get_parameters", "getParameters", "decrypt"),
    PowertoolsRead("get_parameters_by_name", ABSENT, "decrypt"),
)
