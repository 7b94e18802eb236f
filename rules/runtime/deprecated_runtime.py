from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

from slsreview.model.project import Function
from slsreview.rule import Context, Example, Expect, Report, Rule

WARN_DAYS = 180
# `Runtime: JAVA_VERSION`, `{{runtime}}`, `<runtime>`: substituted by a script before deploy.
_PLACEHOLDER = re.compile(r"^[A-Z][A-Z0-9_]*$|\{\{|\$\{|^<.*>$")

# Families whose identifiers follow a pattern; a version newer than our table's newest is a
# runtime released after the table was written, not a typo.
_FAMILIES = (
    re.compile(r"^nodejs(\d+)\.x$"),
    re.compile(r"^python3\.(\d+)$"),
    re.compile(r"^java(\d+)$"),
    re.compile(r"^dotnet(\d+)$"),
    re.compile(r"^ruby3\.(\d+)$"),
    re.compile(r"^provided\.al(20\d\d)$"),
)


@dataclass(frozen=True)
class Lifecycle:
    deprecated: dt.date
    block_create: dt.date
    block_update: dt.date
    successor: str


@cache
def runtime_table() -> tuple[str, str, dict[str, Lifecycle]]:
    """(as_of, source, runtime -> lifecycle), from lambda_runtimes.toml beside this file."""
    data = tomllib.loads(resources.files(__package__).joinpath("lambda_runtimes.toml").read_text("utf-8"))
    table = {
        name: Lifecycle(
            dt.date.fromisoformat(row["deprecated"]),
            dt.date.fromisoformat(row["block_create"]),
            dt.date.fromisoformat(row["block_update"]),
            row["successor"],
        )
        for name, row in data["runtimes"].items()
    }
    return data["as_of"], data["source"], table


def _is_newer_than_table(runtime: str, table: dict[str, Lifecycle]) -> bool:
    for family in _FAMILIES:
        match = family.match(runtime)
        if match:
            known = [int(m.group(1)) for m in map(family.match, table) if m]
            return bool(known) and int(match.group(1)) > max(known)
    return False


def _template(runtime: str, handler: str = "app.handler") -> dict[str, str]:
    return {
        "template.yaml": (
            "AWSTemplateFormatVersion: '2010-09-09'\n"
            "Transform: AWS::Serverless-2016-10-31\n"
            "Resources:\n"
            "  OrdersFunction:\n"
            "    Type: AWS::Serverless::Function\n"
            "    Properties:\n"
            f"      Runtime: {runtime}\n"
            f"      Handler: {handler}\n"
            "      InlineCode: |\n"
            "        exports.handler = async () => ({ statusCode: 200 });\n"
        )
    }


class DeprecatedRuntime(Rule):
    """
    ## What it does
    Checks each Lambda function's runtime against AWS's dated deprecation schedule (a table in
    `rules/runtime/lambda_runtimes.toml`, with its "as of" date and source). Also reports a runtime
    identifier that does not exist, such as `provided.al2023023`.

    ## Why is this bad?
    A deprecated runtime gets no security patches, and some weeks after deprecation Lambda refuses
    to create functions on it and then to update them: the next deploy of this very change fails,
    often during an incident when a fix must ship. A misspelt runtime fails at deploy time.

    ## Why this tier
    Blocking once the deprecation date has passed (unpatched, and soon or already undeployable) or
    when the identifier is not a runtime at all. Non-blocking within 180 days before deprecation:
    there is time to plan the upgrade, but it should be planned now.

    ## Example
    ```yaml
    Runtime: nodejs16.x
    ```

    ## Use instead
    ```yaml
    Runtime: nodejs24.x
    ```

    ## References
    - [Lambda runtimes and their deprecation dates](https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html)
    - [Runtime deprecation policy](https://docs.aws.amazon.com/lambda/latest/dg/runtime-support-policy.html)
    """

    id = "SLS201"
    name = "deprecated-runtime"
    category = "runtime"
    tier = "blocking"
    platforms = ("aws-lambda",)
    title = "Lambda runtime is deprecated, close to deprecation, or not a runtime"
    fix = "Move the function to a supported runtime and run its tests on it."
    docs = (
        "https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html",
        "https://docs.aws.amazon.com/lambda/latest/dg/runtime-support-policy.html",
    )

    bad = [
        Example(
            _template("nodejs16.x", "index.handler"),
            expect=[
                Expect(
                    "template.yaml",
                    7,
                    16,
                    "OrdersFunction uses nodejs16.x, deprecated since 2024-06-12; Lambda has refused "
                    "to update functions on it since 2025-03-31, so this deploy fails",
                    tier="blocking",
                )
            ],
            name="deprecated-and-blocked",
        ),
        Example(
            _template("nodejs22.x", "index.handler"),
            expect=[
                Expect(
                    "template.yaml",
                    7,
                    16,
                    "OrdersFunction uses nodejs22.x, deprecated on 2027-04-30 (in 154 days); "
                    "plan the move to nodejs24.x",
                    tier="non-blocking",
                )
            ],
            name="deprecation-within-180-days",
        ),
        Example(
            _template("provided.al2023023", "bootstrap"),
            expect=[
                Expect(
                    "template.yaml",
                    7,
                    16,
                    "OrdersFunction's runtime provided.al2023023 is not a Lambda runtime identifier "
                    "(as of 2025-11-30)",
                    tier="blocking",
                )
            ],
            name="invalid-identifier",
        ),
        Example(
            {
                "template.yaml": (
                    "Transform: AWS::Serverless-2016-10-31\n"
                    "Globals:\n"
                    "  Function:\n"
                    "    Runtime: python3.9\n"
                    "Resources:\n"
                    "  OrdersFunction:\n"
                    "    Type: AWS::Serverless::Function\n"
                    "    Properties:\n"
                    "      Handler: app.handler\n"
                    "      InlineCode: 'def handler(e, c): pass'\n"
                    "  RefundsFunction:\n"
                    "    Type: AWS::Serverless::Function\n"
                    "    Properties:\n"
                    "      Handler: app.handler\n"
                    "      InlineCode: 'def handler(e, c): pass'\n"
                )
            },
            expect=[
                Expect(
                    "template.yaml",
                    4,
                    14,
                    "OrdersFunction, RefundsFunction use python3.9 (set in Globals), deprecated since "
                    "2025-12-15; Lambda has refused to update functions on it since 2026-07-01, so this "
                    "deploy fails",
                )
            ],
            name="global-runtime-reported-once",
        ),
    ]
    good = [
        Example(_template("python3.13"), name="supported"),
        Example(_template("nodejs30.x", "index.handler"), name="newer-than-the-table"),
        Example(_template("!Ref Runtime"), name="intrinsic-is-unknown-not-wrong"),
    ]
    bad.append(
        Example(
            _template("PYTHON_VERSION"),
            expect=[
                Expect(
                    "template.yaml",
                    7,
                    16,
                    "OrdersFunction's runtime PYTHON_VERSION is a placeholder; confirm that the deploy "
                    "replaces it with a supported runtime",
                    tier="human-confirmation",
                )
            ],
            name="placeholder-substituted-by-a-script",
        )
    )

    def check(self, ctx: Context) -> Iterator[Report]:
        groups: dict[tuple[object, str], list[Function]] = {}
        for fn in ctx.project.functions:
            if fn.runtime is not None and isinstance(fn.runtime.value, str):
                groups.setdefault((fn.runtime.loc, fn.runtime.value), []).append(fn)
        as_of, _, table = runtime_table()
        for (_, runtime), functions in groups.items():
            located = functions[0].runtime
            assert located is not None
            who = ", ".join(fn.name for fn in functions)
            uses = "uses" if len(functions) == 1 else "use"
            where = " (set in Globals)" if located.origin == "global" else ""
            subject = functions[0] if len(functions) == 1 else None
            life = table.get(runtime)
            if life is None and _PLACEHOLDER.search(runtime):
                yield Report(
                    located,
                    f"{who}'s runtime {runtime}{where} is a placeholder; confirm that the deploy "
                    "replaces it with a supported runtime",
                    fix="Write the runtime in the template, or check the script that substitutes it.",
                    tier="human-confirmation",
                    subject=functions[0] if len(functions) == 1 else None,
                )
                continue
            if life is None:
                if not _is_newer_than_table(runtime, table):
                    owner = f"{who}'s" if len(functions) == 1 else f"The runtime of {who},"
                    yield Report(
                        located,
                        f"{owner} runtime {runtime}{where} is not a Lambda runtime identifier (as of {as_of})",
                        fix="Use a runtime identifier from the Lambda runtimes table (for example python3.13 or nodejs24.x).",
                        tier="blocking",
                        subject=subject,
                    )
                continue
            today = ctx.today
            if today >= life.deprecated:
                if today >= life.block_update:
                    consequence = f"Lambda has refused to update functions on it since {life.block_update}, so this deploy fails"
                elif today >= life.block_create:
                    consequence = f"Lambda refuses new functions on it since {life.block_create} and updates from {life.block_update}"
                else:
                    consequence = f"Lambda blocks new functions on it from {life.block_create} and updates from {life.block_update}"
                yield Report(
                    located,
                    f"{who} {uses} {runtime}{where}, deprecated since {life.deprecated}; {consequence}",
                    fix=f"Move to {life.successor} (or another supported runtime) and run the function's tests on it.",
                    tier="blocking",
                    subject=subject,
                )
            elif (life.deprecated - today).days <= WARN_DAYS:
                days = (life.deprecated - today).days
                yield Report(
                    located,
                    f"{who} {uses} {runtime}{where}, deprecated on {life.deprecated} (in {days} days); "
                    f"plan the move to {life.successor}",
                    fix=f"Schedule the move to {life.successor} before {life.deprecated}.",
                    tier="non-blocking",
                    subject=subject,
                )
