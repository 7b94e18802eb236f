"""Findings: what a review reports, in the shape SPEC.md fixes.

    >>> finding.to_json()["tier"]
    'blocking'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Tier = Literal["blocking", "non-blocking", "human-confirmation"]
TIERS: tuple[Tier, ...] = ("blocking", "non-blocking", "human-confirmation")
FAIL_ON = (*TIERS, "never")

CATEGORIES = (
    "idempotency",
    "retries",
    "timeouts",
    "secrets",
    "pii",
    "permissions",
    "exposure",
    "validation",
    "runtime",
    "observability",
    "cleanup",
    "local-proof",
    "docs",
    "parse",
)
PLATFORMS = ("aws-lambda", "cloudflare-workers")


def tier_rank(tier: str) -> int:
    """0 for blocking, 1 for non-blocking, 2 for human-confirmation, 3 for never."""
    return FAIL_ON.index(tier)


@dataclass(frozen=True, slots=True)
class Confirmation:
    """A person's sign-off on a human-confirmation finding (``.slsreview/confirmations.toml``)."""

    fingerprint: str
    by: str
    at: str  # YYYY-MM-DD
    reason: str
    until: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"by": self.by, "at": self.at, "reason": self.reason}
        if self.until:
            out["until"] = self.until
        return out


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    name: str
    category: str
    tier: Tier
    message: str
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    function: str | None
    platform: str | None
    fix: str
    docs: str
    fingerprint: str = ""
    # Not part of the JSON report: the template resource the finding belongs to (for
    # resource-level Metadata suppressions) and the normalised source line (for fingerprints).
    resource: tuple[str, str] | None = None
    snippet: str = ""
    confirmation: Confirmation | None = None  # set when a person signed this finding off

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.rule, self.message)

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "name": self.name,
            "category": self.category,
            "tier": self.tier,
            "message": self.message,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "function": self.function,
            "platform": self.platform,
            "fix": self.fix,
            "docs": self.docs,
            "fingerprint": self.fingerprint,
            **({"confirmation": self.confirmation.to_json()} if self.confirmation else {}),
        }
