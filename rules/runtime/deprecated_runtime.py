from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from slsreview.model.project import Function
from slsreview.rule import Context, Example, Expect, Report, Rule
from slsreview.vocabulary.runtimes import Lifecycle, lambda_runtimes

WARN_DAYS = 180
# Past this many days between the table's as-of date and the review, the messages say how old
# the dates are: AWS has moved block dates before, and a stale table must not go unnoticed.
STALE_DAYS = 180
# `Runtime: JAVA_VERSION`, `{{runtime}}`, `<runtime>`: substituted by a script before deploy.
_PLACEHOLDER = re.compile(r"^[A-Z][A-Z0-9_]*$|\{\{|\$\{|^<.*>$")

# Families whose identifiers follow a pattern; a version newer than our table's newest is a
# runtime released after the table was generated, not a typo.
_FAMILIES = (
    re.compile(r"^nodejs(\d+)\.x$"),
    re.compile(r"^python3\.(\d+)$"),
    re.compile(r"^java(\d+)$"),
    re.compile(r"^dotnet(\d+)$"),
    re.compile(r"^ruby(\d+)\.(\d+)$"),
    re.compile(r"^provided\.al(20\d\d)$"),
)


def _is_newer_than_table(runtime: str, known_runtimes: frozenset[str]) -> bool:
    for family in _FAMILIES:
        match = family.match(runtime)
        if match:
            known = [tuple(map(int, m.groups())) for m in map(family.match, known_runtimes) if m]
            return bool(known) and tuple(map(int, match.groups())) > max(known)
    return False


def _consequence(life: Lifecycle, today: dt.date) -> str:
    create, update = life.block_create, life.block_update
    if update is not None and today >= update:
        return f"Lambda has refused to update functions on it since {update}, so this deploy fails"
    if create is not None and today >= create:
        return f"Lambda refuses new functions on it since {create}" + (f" and updates from {update}" if update else "")
    if create is not None or update is not None:
        parts = [f"new functions on it from {create}" if create else "", f"updates from {update}" if update else ""]
        return "Lambda blocks " + " and ".join(p for p in parts if p)
    return "AWS has not published when Lambda stops creating and updating functions on it"


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


_TABLE = lambda_runtimes()
_AS_OF = _TABLE.as_of.isoformat()
_STALE_TODAY = (_TABLE.as_of + dt.timedelta(days=400)).isoformat()


class DeprecatedRuntime(Rule):
    """
    ## What it does
    Checks each Lambda function's runtime against AWS's dated deprecation schedule: cfn-lint's
    runtime lifecycle data, generated into `slsreview/vocabulary/data/lambda_runtimes.json` with
    its as-of date and cfn-lint version (`python scripts/generate_vocabulary.py`). Also reports
    a runtime identifier that does not exist, such as `provided.al2023023`: the identifiers are
    the ones botocore's Lambda model accepts, so a new runtime without published dates (say
    `python3.15`) is accepted, not called a typo.

    ## Why is this bad?
    A deprecated runtime gets no security patches, and some weeks after deprecation Lambda refuses
    to create functions on it and then to update them: the next deploy of this very change fails,
    often during an incident when a fix must ship. A misspelt runtime fails at deploy time.

    ## Why this tier
    Blocking once the deprecation date has passed (unpatched, and soon or already undeployable) or
    when the identifier is not a runtime at all. Non-blocking within 180 days before deprecation:
    there is time to plan the upgrade, but it should be planned now. When the review runs more
    than 180 days after the table's as-of date, each message says how old its dates are: AWS has
    moved block dates before (nodejs18.x's moved from 2026 to 2027), so a stale table is said, not
    silently trusted.

    ## Example
    ```yaml
    Runtime: nodejs12.x
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
            _template("nodejs12.x", "index.handler"),
            expect=[
                Expect(
                    "template.yaml",
                    7,
                    16,
                    "OrdersFunction uses nodejs12.x, deprecated since 2023-03-31; Lambda has refused "
                    "to update functions on it since 2023-04-30, so this deploy fails",
                    tier="blocking",
                )
            ],
            name="deprecated-and-blocked",
        ),
        Example(
            _template("nodejs18.x", "index.handler"),
            expect=[
                Expect(
                    "template.yaml",
                    7,
                    16,
                    "OrdersFunction uses nodejs18.x, deprecated since 2025-09-01; Lambda blocks new "
                    "functions on it from 2027-02-01 and updates from 2027-03-03",
                    tier="blocking",
                )
            ],
            name="deprecated-not-yet-blocked",
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
                    f"(as of {_AS_OF})",
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
                    "2025-12-15; Lambda blocks new functions on it from 2027-02-01 and updates from "
                    "2027-03-03",
                )
            ],
            name="global-runtime-reported-once",
        ),
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
        ),
        Example(
            _template("nodejs12.x", "index.handler"),
            expect=[
                Expect(
                    "template.yaml",
                    7,
                    16,
                    "OrdersFunction uses nodejs12.x, deprecated since 2023-03-31; Lambda has refused "
                    "to update functions on it since 2023-04-30, so this deploy fails "
                    f"(dates as of {_AS_OF}, 400 days before this review: AWS may have moved them)",
                    tier="blocking",
                )
            ],
            name="stale-table-says-how-old-its-dates-are",
            today=_STALE_TODAY,
        ),
    ]
    good = [
        Example(_template("python3.13"), name="supported"),
        Example(_template("python3.15"), name="accepted-identifier-without-published-dates"),
        Example(_template("nodejs30.x", "index.handler"), name="newer-than-the-table"),
        Example(_template("!Ref Runtime"), name="intrinsic-is-unknown-not-wrong"),
    ]

    def check(self, ctx: Context) -> Iterator[Report]:
        groups: dict[tuple[object, str], list[Function]] = {}
        for fn in ctx.project.functions:
            if fn.runtime is not None and isinstance(fn.runtime.value, str):
                groups.setdefault((fn.runtime.loc, fn.runtime.value), []).append(fn)
        table = lambda_runtimes()
        age = (ctx.today - table.as_of).days
        stale = (
            f" (dates as of {table.as_of}, {age} days before this review: AWS may have moved them)"
            if age > STALE_DAYS
            else ""
        )
        for (_, runtime), functions in groups.items():
            located = functions[0].runtime
            assert located is not None
            who = ", ".join(fn.name for fn in functions)
            uses = "uses" if len(functions) == 1 else "use"
            where = " (set in Globals)" if located.origin == "global" else ""
            subject = functions[0] if len(functions) == 1 else None
            life = table.lifecycle.get(runtime)
            if life is None:
                if table.is_identifier(runtime):
                    continue  # accepted by Lambda, no lifecycle dates published yet
                if _PLACEHOLDER.search(runtime):
                    yield Report(
                        located,
                        f"{who}'s runtime {runtime}{where} is a placeholder; confirm that the deploy "
                        "replaces it with a supported runtime",
                        fix="Write the runtime in the template, or check the script that substitutes it.",
                        tier="human-confirmation",
                        subject=subject,
                    )
                elif not _is_newer_than_table(runtime, table.identifiers | frozenset(table.lifecycle)):
                    owner = f"{who}'s" if len(functions) == 1 else f"The runtime of {who},"
                    yield Report(
                        located,
                        f"{owner} runtime {runtime}{where} is not a Lambda runtime identifier (as of {table.as_of})",
                        fix="Use a runtime identifier from the Lambda runtimes table (for example python3.13 or nodejs24.x).",
                        tier="blocking",
                        subject=subject,
                    )
                continue
            successor = life.successor or "a newer runtime"
            today = ctx.today
            if life.deprecated is None:
                continue
            if today >= life.deprecated:
                yield Report(
                    located,
                    f"{who} {uses} {runtime}{where}, deprecated since {life.deprecated}; {_consequence(life, today)}{stale}",
                    fix=f"Move to {successor} (or another supported runtime) and run the function's tests on it.",
                    tier="blocking",
                    subject=subject,
                )
            elif (life.deprecated - today).days <= WARN_DAYS:
                days = (life.deprecated - today).days
                yield Report(
                    located,
                    f"{who} {uses} {runtime}{where}, deprecated on {life.deprecated} (in {days} days); "
                    f"plan the move to {successor}{stale}",
                    fix=f"Schedule the move to {successor} before {life.deprecated}.",
                    tier="non-blocking",
                    subject=subject,
                )
