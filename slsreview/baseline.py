"""Baselines (findings recorded once and hidden later) and confirmations (a person's sign-off).

A baseline is keyed by each finding's stable fingerprint — rule, path, function and the text
of the line, never its number — so it survives edits above the finding. It is one line per
finding, sorted by fingerprint, so that two branches that each add a finding merge without a
conflict::

    # slsreview baseline: findings listed here are hidden by --baseline. One per line, sorted.
    0f3a9c1d2e4b5a6978c1  SLS201  template.yaml  OrdersFunction

Confirmations sign off human-confirmation findings in ``.slsreview/confirmations.toml``::

    [[confirm]]
    fingerprint = "9b1c2d3e4f5a6b7c8d9e"
    by = "kim@example.com"
    at = 2026-11-20
    reason = "the public URL is the status page; no data behind it"
    until = 2027-05-20          # optional: after this date it needs signing again
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable
from pathlib import Path

from slsreview.config import ConfigError
from slsreview.findings import Confirmation, Finding
from slsreview.inputs import Inputs, utf8_text

HEADER = "# slsreview baseline: findings listed here are hidden by --baseline. One per line, sorted.\n"
CONFIRMATIONS = Path(".slsreview") / "confirmations.toml"
_CONFIRM_KEYS = {"fingerprint", "by", "at", "reason", "until"}


def write_baseline(path: Path, findings: Iterable[Finding]) -> int:
    rows = sorted(
        {f"{f.fingerprint}  {f.rule}  {f.path}  {f.function or '-'}".replace("\n", " ") for f in findings}
    )
    path.write_text(HEADER + "".join(row + "\n" for row in rows), encoding="utf-8")
    return len(rows)


def read_baseline(path: Path, inputs: Inputs | None = None) -> set[str]:
    try:
        text = (inputs or Inputs(record=False)).read(path).decode("utf-8", "replace")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the baseline ({exc.strerror})") from exc
    fingerprints = set()
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        fingerprint = line.split()[0]
        if not all(c in "0123456789abcdef" for c in fingerprint):
            raise ConfigError(f"{path}:{number}: not a baseline line (expected a fingerprint first)")
        fingerprints.add(fingerprint)
    return fingerprints


def find_confirmations(start: Path, inputs: Inputs | None = None) -> Path | None:
    inputs = inputs or Inputs(record=False)
    directory = Path(inputs.realpath(start if inputs.is_dir(start) else start.parent))
    for candidate in (directory, *directory.parents):
        if inputs.is_file(candidate / CONFIRMATIONS):
            return candidate / CONFIRMATIONS
    return None


def read_confirmations(path: Path, today: dt.date, inputs: Inputs | None = None) -> dict[str, Confirmation]:
    """Valid, unexpired confirmations by fingerprint. A malformed file is a configuration error."""
    try:
        data = tomllib.loads(utf8_text((inputs or Inputs(record=False)).read(path)))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text ({exc.reason})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
    unknown = set(data) - {"confirm"}
    if unknown:
        raise ConfigError(f"{path}: unknown key '{sorted(unknown)[0]}' (write [[confirm]] tables)")
    out: dict[str, Confirmation] = {}
    for index, entry in enumerate(data.get("confirm", []), start=1):
        where = f"{path}: confirmation #{index}"
        if not isinstance(entry, dict):
            raise ConfigError(f"{where} must be a table")
        extra = set(entry) - _CONFIRM_KEYS
        if extra:
            raise ConfigError(f"{where}: unknown key '{sorted(extra)[0]}'")
        for key in ("fingerprint", "by", "at", "reason"):
            if not str(entry.get(key, "")).strip():
                raise ConfigError(f"{where} needs '{key}'")
        until = entry.get("until")
        until_date = _date(until, where) if until is not None else None
        if until_date is not None and until_date < today:
            continue  # expired: the finding needs signing off again
        out[str(entry["fingerprint"])] = Confirmation(
            fingerprint=str(entry["fingerprint"]),
            by=str(entry["by"]),
            at=_date(entry["at"], where).isoformat(),
            reason=str(entry["reason"]).strip(),
            until=until_date.isoformat() if until_date else None,
        )
    return out


def _date(value: object, where: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise ConfigError(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from exc
