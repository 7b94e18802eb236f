from collections.abc import Iterator

from slsreview.location import Location
from slsreview.rule import Context, Example, Expect, Report, Rule

_TEMPLATE = """\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  OrdersFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      Timeout: 10
{extra}"""


class DuplicateKey(Rule):
    """
    ## What it does
    Reports a key written twice in the same mapping of a template or wrangler configuration.

    ## Why is this bad?
    YAML and JSON loaders disagree about duplicates: PyYAML and most JSON parsers silently keep
    the last value, stricter parsers reject the file. Either way the configuration that deploys
    is not the one the author reads: a reviewer sees `Timeout: 10`, Lambda gets `Timeout: 900`.

    ## Why this tier
    Blocking: one of the two values is silently dropped (or the deploy fails), and nobody can tell
    from the file which one the author meant.

    ## Example
    ```yaml
    Properties:
      Timeout: 10
      Timeout: 900
    ```

    ## Use instead
    ```yaml
    Properties:
      Timeout: 10
    ```

    ## References
    - [YAML 1.2: mapping keys are unique](https://yaml.org/spec/1.2.2/#mapping)
    - [RFC 8259: names within an object should be unique](https://www.rfc-editor.org/rfc/rfc8259#section-4)
    """

    id = "SLS002"
    name = "duplicate-key"
    category = "parse"
    tier = "blocking"
    platforms = ("aws-lambda", "cloudflare-workers")
    title = "A key is written twice in the same mapping"
    fix = "Keep one of the two keys: the one whose value you mean."
    docs = ("https://yaml.org/spec/1.2.2/#mapping",)

    bad = [
        Example(
            {"template.yaml": _TEMPLATE.format(extra="      Timeout: 900\n")},
            expect=[
                Expect(
                    "template.yaml",
                    10,
                    7,
                    "duplicate key 'Timeout' (first defined on line 9); YAML loaders keep only the last value",
                )
            ],
        ),
        Example(
            {"wrangler.json": '{\n  "name": "a",\n  "main": "src/index.js",\n  "name": "b"\n}\n'},
            expect=[
                Expect(
                    "wrangler.json",
                    4,
                    3,
                    "duplicate key 'name' (first defined on line 2); JSON parsers keep only the last value",
                )
            ],
        ),
    ]
    good = [Example({"template.yaml": _TEMPLATE.format(extra="      MemorySize: 256\n")})]

    def check(self, ctx: Context) -> Iterator[Report]:
        for path, problems in sorted(ctx.project.problems.items()):
            for problem in problems:
                if problem.kind == "duplicate-key":
                    yield Report(Location(path, *problem.span), problem.message)
