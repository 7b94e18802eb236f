from collections.abc import Iterator

from slsreview.location import Location
from slsreview.rule import Context, Example, Expect, Report, Rule

# Problem kinds (see slsreview.loaders.Problem) this rule reports.
KINDS = ("syntax", "encoding", "unreadable", "too-large")


class UnparseableFile(Rule):
    """
    ## What it does
    Reports a configuration or source file that could not be read as what it claims to be: a
    template or wrangler config with a syntax error, a handler with a Python syntax error, a
    binary or non-UTF-8 file, or a file over the size limit.

    ## Why is this bad?
    A template that does not parse will not deploy, and a handler with a syntax error fails on its
    first invocation. It also means the review could not see that file: nothing else is reported
    about it, so a clean result would be a false one.

    ## Why this tier
    Blocking: the deploy fails or the function cannot start. A file over the size limit is only
    non-blocking: it is probably fine, but it was not reviewed (raise `max-file-size` to review it).

    ## Example
    ```yaml
    Resources:
      OrdersFunction:
        Type: AWS::Serverless::Function
         Properties:          # one space too many
    ```

    ## Use instead
    ```yaml
    Resources:
      OrdersFunction:
        Type: AWS::Serverless::Function
        Properties:
    ```

    ## References
    - [YAML 1.2 specification](https://yaml.org/spec/1.2.2/)
    - [CloudFormation template anatomy](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-anatomy.html)
    """

    id = "SLS001"
    name = "unparseable-file"
    category = "parse"
    tier = "blocking"
    platforms = ("aws-lambda", "cloudflare-workers")
    title = "A configuration or source file could not be parsed"
    fix = "Fix the syntax error at the reported line; the rest of the file was not reviewed."
    docs = ("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-anatomy.html",)

    bad = [
        Example(
            {
                "template.yaml": (
                    "AWSTemplateFormatVersion: '2010-09-09'\n"
                    "Transform: AWS::Serverless-2016-10-31\n"
                    "Resources:\n"
                    "  OrdersFunction:\n"
                    "    Type: AWS::Serverless::Function\n"
                    "     Properties:\n"
                    "      Handler: app.handler\n"
                )
            },
            expect=[
                Expect(
                    "template.yaml",
                    6,
                    16,
                    "invalid YAML: mapping values are not allowed in this context",
                )
            ],
            name="yaml-bad-indentation",
        ),
        Example(
            {"wrangler.toml": 'name = "orders"\nmain = src/index.ts\n'},
            expect=[Expect("wrangler.toml", 2, 8, "invalid TOML: Invalid value")],
            name="toml-unquoted-string",
        ),
        Example(
            {"wrangler.jsonc": '{\n  "name": "orders",\n  "main": "src/index.ts"\n  "compatibility_date": "2025-01-01"\n}\n'},
            expect=[
                Expect(
                    "wrangler.jsonc",
                    4,
                    3,
                    "invalid JSON: expected ',' or '}', found '\"compatibility_date\"'",
                )
            ],
            name="jsonc-missing-comma",
        ),
        Example(
            {
                "template.yaml": (
                    "Transform: AWS::Serverless-2016-10-31\n"
                    "Resources:\n"
                    "  Fn:\n"
                    "    Type: AWS::Serverless::Function\n"
                    "    Properties:\n"
                    "      Runtime: python3.13\n"
                    "      Handler: app.handler\n"
                ),
                "app.py": "def handler(event, context)\n    return {}\n",
            },
            expect=[Expect("app.py", 1, 28, "invalid Python: expected ':'")],
            name="python-syntax-error",
        ),
    ]
    good = [
        Example(
            {
                "template.yaml": (
                    "Transform: AWS::Serverless-2016-10-31\n"
                    "Resources:\n"
                    "  Fn:\n"
                    "    Type: AWS::Serverless::Function\n"
                    "    Properties:\n"
                    "      Runtime: python3.13\n"
                    "      Handler: app.handler\n"
                ),
                "app.py": "def handler(event, context):\n    return {}\n",
            }
        ),
        Example({"template.yaml": "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n"}, name="empty-resources"),
    ]

    def check(self, ctx: Context) -> Iterator[Report]:
        for path, problems in sorted(ctx.project.problems.items()):
            for problem in problems:
                if problem.kind in KINDS:
                    line, column, end_line, end_column = problem.span
                    yield Report(
                        Location(path, line, column, end_line, end_column),
                        problem.message,
                        tier="non-blocking" if problem.kind == "too-large" else None,
                    )
