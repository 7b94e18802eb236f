from collections.abc import Iterator

from slsreview.rule import Context, Example, Expect, Report, Rule

_TEMPLATE = """\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  OrdersFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs10.x  {comment}
      Handler: index.handler
"""


class InvalidSuppression(Rule):
    """
    ## What it does
    Reports a suppression (`# slsreview: ignore[SLS201] reason` or a resource's
    `Metadata.slsreview.ignore` entry) that does not apply: it gives no reason, names an unknown
    rule, or is past its `until=` date. The finding it meant to hide is reported as usual.

    ## Why is this bad?
    A suppression is a reviewer's sign-off. Without a reason the next reviewer cannot tell whether
    it still holds; an expired one was meant to be revisited; an unknown id hides nothing and
    suggests a typo that leaves the real finding visible but the author believing it handled.

    ## Why this tier
    Non-blocking: the underlying finding is reported on its own tier; this one only asks for the
    suppression to be mended.

    ## Example
    ```yaml
    Runtime: nodejs10.x  # slsreview: ignore[SLS201]
    ```

    ## Use instead
    ```yaml
    Runtime: nodejs10.x  # slsreview: ignore[SLS201] until=2027-01-31 migration tracked in OPS-12
    ```

    ## References
    - [slsreview suppressions](https://github.com/slsreview/slsreview#suppressions)
    """

    id = "SLS004"
    name = "invalid-suppression"
    category = "docs"
    tier = "non-blocking"
    platforms = ("aws-lambda", "cloudflare-workers")
    title = "A suppression has no reason, names an unknown rule, or has expired"
    fix = "Give the suppression a reason (and an until= date), correct the rule id, or fix the finding."
    docs = ("https://github.com/slsreview/slsreview#suppressions",)

    bad = [
        Example(
            {"template.yaml": _TEMPLATE.format(comment="# slsreview: ignore[SLS201]")},
            expect=[Expect("template.yaml", 7, 28, "suppression has no reason: say why this finding is acceptable")],
            name="no-reason",
        ),
        Example(
            {"template.yaml": _TEMPLATE.format(comment="# slsreview: ignore[SLS201] until=2020-01-31 migrating in OPS-12")},
            expect=[
                Expect(
                    "template.yaml", 7, 28, "suppression expired on 2020-01-31: the finding it hid is reported again"
                )
            ],
            name="expired",
        ),
        Example(
            {"template.yaml": _TEMPLATE.format(comment="# slsreview: ignore[SLS999] not a rule")},
            expect=[Expect("template.yaml", 7, 28, "suppression names unknown rule SLS999")],
            name="unknown-rule",
        ),
    ]
    good = [
        Example({"template.yaml": _TEMPLATE.format(comment="# slsreview: ignore[SLS201] until=2099-01-31 migrating in OPS-12")})
    ]

    def check(self, ctx: Context) -> Iterator[Report]:
        for suppression in ctx.suppressions:
            if suppression.problem is not None:
                yield Report(suppression.loc, f"suppression {suppression.problem}")
